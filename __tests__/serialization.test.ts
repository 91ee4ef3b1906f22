import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  SparseInit,
  XavierUniformCustom,
  ZeroBias,
  registeredNames,
  type Initializer,
  sparseInit,
  xavierUniformCustom,
  zeroBias,
} from '../src';
import {fileIO} from '../src/node';
import {take} from './helpers/stats';

type Kernel = tfl.layers.Layer;

function kernelConfig(model: tfl.LayersModel, layer: number): {className: string; config: object} {
  const json = model.toJSON(null, false) as {
    config: {layers: Array<{config: {kernel_initializer: {class_name: string; config: object}}}>};
  };
  const init = json.config.layers[layer].config.kernel_initializer;
  return {className: init.class_name, config: init.config};
}

function build(kernel: Initializer | string, bias: Initializer | string): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 12,
        inputShape: [5],
        activation: 'tanh',
        kernelInitializer: kernel,
        biasInitializer: bias,
      }),
      tfl.layers.dense({
        units: 3,
        kernelInitializer: new SparseInit({sparsity: 0.5, seed: 4}),
        biasInitializer: 'ZeroBias',
      }),
    ],
  });
}

const weightsOf = (layer: Kernel): Float32Array[] =>
  layer.getWeights().map((w) => w.dataSync() as Float32Array);

describe('registration', () => {
  it('registers the seed initializers under their class names', () => {
    expect(registeredNames()).toEqual(
      expect.arrayContaining(['XavierUniformCustom', 'SparseInit', 'ZeroBias']),
    );
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const [name, cls] of [
      ['XavierUniformCustom', XavierUniformCustom],
      ['SparseInit', SparseInit],
      ['ZeroBias', ZeroBias],
    ] as const) {
      expect(map[name][0]).toBe(cls);
    }
  });

  it('instances are tfjs Initializers', () => {
    const Base = Object.getPrototypeOf(tfl.initializers.zeros().constructor);
    expect(new XavierUniformCustom()).toBeInstanceOf(Base);
  });
});

describe('three ways to name an initializer', () => {
  it.each([
    ['instance', new XavierUniformCustom({gain: 2, seed: 1}), new ZeroBias()],
    ['factory', xavierUniformCustom({gain: 2, seed: 1}), zeroBias()],
  ])('%s: kernel matches a direct apply', (_how, kernel, bias) => {
    const model = build(kernel, bias);
    const [w, b] = weightsOf(model.layers[0]);
    expect(w).toEqual(take(new XavierUniformCustom({gain: 2, seed: 1}).apply([5, 12])));
    expect(Array.from(b)).toEqual(new Array(12).fill(0));
    expect(kernelConfig(model, 0)).toEqual({
      className: 'XavierUniformCustom',
      config: {gain: 2, seed: 1}, // only what differs from the defaults
    });
  });

  it('string names build the layers with default options', () => {
    const model = build('XavierUniformCustom', 'ZeroBias');
    const [w] = weightsOf(model.layers[0]);
    const a = Math.sqrt(6 / 17);
    expect(Math.max(...Array.from(w).map(Math.abs))).toBeLessThanOrEqual(Math.fround(a));
    expect(new Set(w).size).toBe(60);
    expect(kernelConfig(model, 0).className).toBe('XavierUniformCustom');
    const sparse = tfl.sequential({
      layers: [tfl.layers.dense({units: 20, inputShape: [30], kernelInitializer: 'SparseInit'})],
    });
    const [k] = weightsOf(sparse.layers[0]);
    expect(k.filter((v) => v === 0).length).toBe(30 * 2);
    sparseInit(); // the factory exists for the string's class too
  });
});

describe('save and load', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-'));
  });
  afterEach(() => fs.rmSync(dir, {recursive: true, force: true}));

  it('round-trips classes, configs and weights through model.json on disk', async () => {
    const model = build(new XavierUniformCustom({gain: 1.5, fanIn: 7}), 'ZeroBias');
    await model.save(fileIO(dir));
    expect(fs.existsSync(path.join(dir, 'model.json'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'weights.bin'))).toBe(true);
    const loaded = await tfl.loadLayersModel(fileIO(path.join(dir, 'model.json')));
    expect(kernelConfig(loaded, 0)).toEqual(kernelConfig(model, 0));
    expect(kernelConfig(loaded, 1)).toEqual({
      className: 'SparseInit',
      config: {sparsity: 0.5, seed: 4},
    });
    for (let i = 0; i < 2; i++)
      expect(weightsOf(loaded.layers[i])).toEqual(weightsOf(model.layers[i]));
    const layer = loaded.layers[0] as unknown as {
      kernelInitializer: unknown;
      biasInitializer: unknown;
    };
    expect(layer.kernelInitializer).toBeInstanceOf(XavierUniformCustom);
    expect(layer.biasInitializer).toBeInstanceOf(ZeroBias);
  });

  it('a topology-only load runs our initializers with the saved options', async () => {
    const model = build(new XavierUniformCustom({gain: 3, seed: 21}), new ZeroBias());
    await model.save(fileIO(dir));
    const fresh = await tfl.loadLayersModel(fileIO(dir, {weights: false}));
    expect(weightsOf(fresh.layers[0])[0]).toEqual(
      take(new XavierUniformCustom({gain: 3, seed: 21}).apply([5, 12])),
    );
    expect(weightsOf(fresh.layers[1])[0]).toEqual(
      take(new SparseInit({sparsity: 0.5, seed: 4}).apply([12, 3])),
    );
  });

  it('round-trips in memory with tf.io.withSaveHandler / fromMemory', async () => {
    const model = build(new XavierUniformCustom({seed: 3}), 'ZeroBias');
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        saved = artifacts;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
      }),
    );
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved as tf.io.ModelArtifacts));
    expect(weightsOf(loaded.layers[0])).toEqual(weightsOf(model.layers[0]));
  });

  it('loads a Keras 3 format model.json (snake_case, module / registered_name keys) that names them', async () => {
    fs.copyFileSync(
      path.join(__dirname, 'fixtures', 'keras3-topology.json'),
      path.join(dir, 'model.json'),
    );
    const model = await tfl.loadLayersModel(fileIO(path.join(dir, 'model.json')));
    const [w, b] = weightsOf(model.getLayer('hidden'));
    expect(w).toEqual(take(new XavierUniformCustom({gain: 2, seed: 7}).apply([6, 40])));
    expect(Array.from(b)).toEqual(new Array(40).fill(0));
    const [k] = weightsOf(model.getLayer('out'));
    expect(k).toEqual(take(new SparseInit({sparsity: 0.25, std: 0.5, seed: 11}).apply([40, 20])));
    const y = model.predict(tf.ones([2, 6])) as tf.Tensor;
    expect(y.shape).toEqual([2, 20]);
    y.dispose();
  });

  it('fileIO refuses weight paths that leave the model directory', async () => {
    const model = build('ZeroBias', 'ZeroBias');
    const weights = model.weights.map((w) => ({
      name: w.originalName,
      shape: w.shape,
      dtype: w.dtype,
    }));
    const json = {
      modelTopology: model.toJSON(null, false),
      weightsManifest: [{paths: ['../escape.bin'], weights}],
    };
    model.dispose();
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    await expect(tfl.loadLayersModel(fileIO(dir))).rejects.toThrow(
      /fileIO: weights file "\.\.\/escape\.bin" in .* \(weightsManifest\[0\]\.paths\[0\]\): contains '\.\.'; weights paths must stay below the model folder/,
    );
  });
});
