import * as tf from '@tensorflow/tfjs';
import {inceptionV3} from './inception-v3';
import {reinitialize} from '../src/tools';
tf.env().set('IS_TEST', true);
async function main() {
  await tf.setBackend('cpu');
  const m = inceptionV3();
  reinitialize(m);
  const { Session } = await import('node:inspector/promises');
  const s = new Session(); s.connect();
  await s.post('Profiler.enable'); await s.post('Profiler.start');
  for (let r = 0; r < 5; r++) reinitialize(m);
  const {profile} = await s.post('Profiler.stop');
  require('fs').writeFileSync('/tmp/i24-reinit.cpuprofile', JSON.stringify(profile));
}
main();
