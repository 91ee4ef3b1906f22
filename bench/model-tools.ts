/**
 * `npx tsx bench/model-tools.ts [dir-of-a-real-model]`: how long `tfjs-init inspect` (no weights
 * loaded) and `tfjs-init doctor --batch 2` take on a MobileNetV2-sized model (Keras's MobileNetV2:
 * width 1.0, 224×224 input, 152 layers, 2.3 M weights with a 10-class head), run as a user runs them — the bin, in a
 * fresh process — and, for inspect, also in-process. With a directory argument (e.g. a real
 * Keras-converted MobileNetV2), that model is timed as well. Prints figures; asserts nothing.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/index';
import {inspectModel} from '../src/tools/inspect';
import {fileIO} from '../src/node';
import {mobilenetV2} from '../scripts/model-corpus';

const ROOT = path.resolve(__dirname, '..');

function timeCli(args: string[]): {ms: number; code: number} {
  const t0 = process.hrtime.bigint();
  let code = 0;
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'bin', 'tfjs-init.cjs'), ...args], {
      cwd: ROOT,
      stdio: 'ignore',
      timeout: 600_000,
    });
  } catch (e) {
    code = (e as {status: number}).status;
  }
  return {ms: Number(process.hrtime.bigint() - t0) / 1e6, code};
}

async function main(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-model-tools-'));
  const model = mobilenetV2(2, {alpha: 1, size: 224});
  const dir = path.join(tmp, 'mobilenet_v2');
  await model.save(fileIO(dir));
  console.log(
    `Keras-style MobileNetV2 (alpha 1, ` +
      `224×224): ${model.layers.length} ` +
      `layers, ${model.countParams()} weights; ${os.cpus().length} ` +
      `cores, ${os.cpus()[0]?.model}`,
  );
  model.dispose();
  const targets = [dir, ...process.argv.slice(2)];
  for (const target of targets) {
    const json = JSON.parse(fs.readFileSync(path.join(target, 'model.json'), 'utf8'));
    const t0 = performance.now();
    await inspectModel(json);
    const inProcess = performance.now() - t0;
    const inspect = timeCli(['inspect', target]);
    const doctor = timeCli([
      'doctor',
      target,
      '--batch',
      '2',
      '--out',
      path.join(tmp, 'report.html'),
    ]);
    console.log(`${target}:`);
    console.log(`  inspectModel in-process:       ${inProcess.toFixed(0)} ms`);
    console.log(
      `  tfjs-init inspect (process):   ${inspect.ms.toFixed(0)} ms (exit ${inspect.code})`,
    );
    console.log(
      `  tfjs-init doctor --batch 2:    ${(doctor.ms / 1000).toFixed(1)} s (exit ${doctor.code})`,
    );
  }
  fs.rmSync(tmp, {recursive: true, force: true});
}

void main();
