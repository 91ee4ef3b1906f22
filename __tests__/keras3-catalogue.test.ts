import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {Eye, LecunNormal, LecunUniform, OrthogonalInitializer} from '../src';
import {fileIO} from '../src/node';
import {take} from './helpers/stats';

/**
 * A model.json in the Keras 3 format whose initializers are serialized as Keras 3 writes them —
 * `{"module": "keras.initializers", "class_name": "LecunNormal", "config": {"seed": 5},
 * "registered_name": null}` — with the Keras 3 names tfjs does not know.
 */
describe('Keras 3 model.json with LecunNormal, LecunUniform, OrthogonalInitializer, IdentityInitializer', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-k3-'));
    fs.copyFileSync(
      path.join(__dirname, 'fixtures', 'keras3-catalogue.json'),
      path.join(dir, 'model.json'),
    );
  });
  afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

  it('loads topology-only and runs each initializer with its saved config', async () => {
    const model = await tfl.loadLayersModel(fileIO(path.join(dir, 'model.json')));
    const w = (name: string): Float32Array =>
      model.getLayer(name).getWeights()[0].dataSync() as Float32Array;
    expect(w('lecun_normal')).toEqual(take(new LecunNormal({seed: 5}).apply([8, 16])));
    expect(w('lecun_uniform')).toEqual(take(new LecunUniform({seed: 6}).apply([16, 16])));
    expect(w('orthogonal')).toEqual(
      take(new OrthogonalInitializer({gain: 1, seed: 42}).apply([16, 16])),
    );
    expect(w('identity')).toEqual(take(new Eye({gain: 2}).apply([16, 12])));
    expect(model.getLayer('he_normal').getWeights()[0].shape).toEqual([12, 4]);
    const layer = model.getLayer('orthogonal') as unknown as {kernelInitializer: unknown};
    expect(layer.kernelInitializer).toBeInstanceOf(OrthogonalInitializer);
    const y = model.predict(tf.ones([2, 8])) as tf.Tensor;
    expect(y.shape).toEqual([2, 4]);
    y.dispose();
    // Saved again by tfjs: the same classes and configs (Keras 3's own, our defaults left out).
    const again = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    const inits = again.config.layers
      .map(
        (l: {config: {kernel_initializer: {class_name: string; config: object}}}) =>
          l.config.kernel_initializer,
      )
      .filter(Boolean);
    expect(inits.slice(0, 4)).toEqual([
      {class_name: 'LecunNormal', config: {seed: 5}},
      {class_name: 'LecunUniform', config: {seed: 6}},
      {class_name: 'OrthogonalInitializer', config: {seed: 42}},
      {class_name: 'Eye', config: {gain: 2}}, // Keras 3's IdentityInitializer loads as Eye, and saves as Eye
    ]);
  });
});
