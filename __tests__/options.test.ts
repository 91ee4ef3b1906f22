import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  InitializerError,
  KaimingNormal,
  SparseInit,
  XavierUniformCustom,
  registeredNames,
} from '../src';
import {fileIO} from '../src/node';
import {registeredClass} from './helpers/initializer-cases';

describe('option parsing', () => {
  it('ignores the customObjects key tfjs adds on deserialization', () => {
    expect(new XavierUniformCustom({customObjects: {}, gain: 2} as never).getConfig()).toEqual({
      gain: 2,
    });
  });

  it('treats null (how tfjs saves undefined) as absent', () => {
    const init = new SparseInit({sparsity: null, std: null, seed: null} as never);
    expect(init.getConfig()).toEqual({sparsity: 0.1}); // PyTorch's default variant, filled in
    expect(init.getConfig()).toEqual(new SparseInit().getConfig());
  });

  it.each([[5], ['gain'], [[1, 2]], [() => 1]])(
    'rejects a non-object options argument %p',
    (args) => {
      expect(() => new XavierUniformCustom(args as never)).toThrow(InitializerError);
      expect(() => new XavierUniformCustom(args as never)).toThrow(
        /XavierUniformCustom: options must be an object/,
      );
    },
  );

  it('rejects __proto__ / constructor keys from JSON and leaves Object.prototype alone', () => {
    const hostile = JSON.parse('{"gain": 2, "__proto__": {"polluted": true}}');
    expect(() => new XavierUniformCustom(hostile)).toThrow(/unknown option `__proto__`/);
    expect(() => new XavierUniformCustom(JSON.parse('{"constructor": 1}'))).toThrow(
      /unknown option `constructor`/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads only own keys: inherited values are not options', () => {
    const args = Object.create({gain: -5});
    expect(new XavierUniformCustom(args).getConfig()).toEqual({}); // gain 1, the default
  });

  it('the error carries the class and parameter', () => {
    try {
      new SparseInit({std: -1});
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(InitializerError);
      expect((e as InitializerError).owner).toBe('SparseInit');
      expect((e as InitializerError).parameter).toBe('std');
      expect((e as InitializerError).name).toBe('InitializerError');
    }
  });

  it('options are frozen after construction', () => {
    const init = new XavierUniformCustom({gain: 2});
    const config = init.getConfig();
    config.gain = 100;
    expect(init.getConfig().gain).toBe(2);
  });
});

/*
 * Saved configs (issue 20): lean — only the options that differ from their defaults — in the format
 * tfjs reads; files written by the previous release (every option, `null` when unset) still load;
 * and an option this version does not know: ignored when `null`, refused when set (ignoring it would
 * draw other values than the file's writer meant).
 */
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
