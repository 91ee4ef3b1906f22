/**
 * Saved configs (issue 20): lean — only the options that differ from their defaults — in the format
 * tfjs reads; files written by the previous release (every option, `null` when unset) still load;
 * and an option this version does not know: ignored when `null`, refused when set (ignoring it would
 * draw other values than the file's writer meant).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError, KaimingNormal, XavierUniformCustom, registeredNames} from '../src';
import {fileIO} from '../src/node';
import {registeredClass} from './helpers/initializer-cases';

type Json = Record<string, unknown>;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'config-format-'));
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

/** A one-layer model.json (topology only) whose Dense kernel is saved as `initializer`. */
function writeModel(name: string, initializer: Json): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(dir);
  const layer = {
    class_name: 'Dense',
    config: {
      units: 8,
      name: 'dense',
      batch_input_shape: [null, 8],
      dtype: 'float32',
      kernel_initializer: initializer,
      bias_initializer: {class_name: 'Zeros', config: {}},
    },
  };
  const modelTopology = {class_name: 'Sequential', config: {name: 'seq', layers: [layer]}};
  fs.writeFileSync(
    path.join(dir, 'model.json'),
    JSON.stringify({modelTopology, format: 'layers-model'}),
  );
  return dir;
}

const kernelOf = async (dir: string): Promise<Float32Array> => {
  const model = await tfl.loadLayersModel(fileIO(dir));
  const values = model.weights[0].read().dataSync() as Float32Array;
  model.dispose();
  return values;
};

describe('lean configs', () => {
  it.each(registeredNames())(
    '%s: a default instance saves {}; a saved config reads back equal',
    (name) => {
      const Cls = registeredClass(name);
      const config = new Cls().getConfig();
      // SparseInit fills in PyTorch's sparsity when neither variant is given: it saves that choice.
      expect(config).toEqual(name === 'SparseInit' ? {sparsity: 0.1} : {});
      const seeded = new Cls(new Cls().hasOption('seed') ? {seed: 3} : {});
      expect(new Cls(JSON.parse(JSON.stringify(seeded.getConfig()))).getConfig()).toEqual(
        seeded.getConfig(),
      );
    },
  );

  it('a model saved with every registered class carries no null option key', () => {
    const layers = registeredNames().map((name) => {
      const Cls = registeredClass(name);
      // Dense layers that are never built: only their saved configs are read.
      return tfl.layers.dense({
        units: 4,
        kernelInitializer: new Cls(new Cls().hasOption('seed') ? {seed: 1} : {}),
      });
    });
    const configs = layers.map(
      (l) =>
        (l.getConfig() as {kernelInitializer: {className: string; config: Json}}).kernelInitializer,
    );
    const withNull = configs.filter((c) => Object.values(c.config).some((v) => v === null));
    expect(withNull).toEqual([]);
    expect(configs.find((c) => c.className === 'XavierUniformCustom')).toEqual({
      className: 'XavierUniformCustom',
      config: {seed: 1},
    });
  });
});

describe('files written by the previous release', () => {
  it('load: every option saved, null when unset, gives the same instance and values as the lean config', async () => {
    const old = writeModel('previous', {
      class_name: 'KaimingNormal',
      config: {
        a: 0,
        mode: 'fan_out',
        nonlinearity: 'relu',
        seed: 5,
        fan_in: null,
        fan_out: null,
        in_axis: null,
        out_axis: null,
        batch_axis: null,
        input_axes: null,
        output_axes: null,
      },
    });
    const lean = writeModel('lean', {
      class_name: 'KaimingNormal',
      config: {mode: 'fan_out', nonlinearity: 'relu', seed: 5},
    });
    const model = await tfl.loadLayersModel(fileIO(old));
    const init = (model.layers[0] as unknown as {kernelInitializer: KaimingNormal})
      .kernelInitializer;
    expect(init.getConfig()).toEqual({mode: 'fanOut', nonlinearity: 'relu', seed: 5});
    model.dispose();
    expect(await kernelOf(old)).toEqual(await kernelOf(lean));
  });
});

describe('an option this version does not know (written by a later one)', () => {
  const config = (extra: Json): Json => ({
    class_name: 'XavierUniformCustom',
    config: {gain: 2, seed: 4, ...extra},
  });

  it('set to null (unset) is ignored: the same values as without it', async () => {
    const plain = writeModel('plain', config({}));
    const unset = writeModel('unset', config({future_axis: null}));
    expect(await kernelOf(unset)).toEqual(await kernelOf(plain));
    expect(new XavierUniformCustom({gain: 2, futureAxis: null} as never).getConfig()).toEqual({
      gain: 2,
    });
  });

  it('set to a value is refused, naming the class, the option and the options it knows', async () => {
    const dir = writeModel('future', config({future_axis: 2}));
    const tensors = tf.memory().numTensors;
    await expect(tfl.loadLayersModel(fileIO(dir))).rejects.toThrow(
      'XavierUniformCustom: unknown option `futureAxis`. Allowed options: `gain`, `seed`, `fanIn`, ' +
        '`fanOut`, `inAxis`, `outAxis`, `batchAxis`, `inputAxes`, `outputAxes`',
    );
    expect(tf.memory().numTensors).toBe(tensors);
    expect(() => new XavierUniformCustom({futureAxis: 2} as never)).toThrow(InitializerError);
  });
});
