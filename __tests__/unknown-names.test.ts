/**
 * Unknown initializer names: one error of ours with the nearest accepted names, in a layer config
 * (through the registry hook), a model file loaded by tfjs, and a config object; valid names and
 * every other tfjs lookup behave exactly as without the package.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError} from '../src';
import {
  TFJS_IDENTIFIERS,
  editDistance,
  isInitializerName,
  nearestInitializerNames,
} from '../src/initializers/initializer-names';
import {hookUnknownInitializerNames} from '../src/initializers/unknown-name-hook';
import {TFJS_BUILTIN_NAMES, registeredNames} from '../src/initializers/registry';
import {BaseInitializer} from '../src/initializers/base';
import {register} from '../src';

const dense = (kernelInitializer: unknown): tfl.layers.Layer =>
  tfl.layers.dense({units: 2, kernelInitializer: kernelInitializer as never});

/** The error a layer config with this initializer throws, or null. */
function errorOf(kernelInitializer: unknown): Error | null {
  try {
    dense(kernelInitializer);
    return null;
  } catch (e) {
    return e as Error;
  }
}

describe('an unknown initializer name in a layer config', () => {
  it.each([
    ['XavierUniformCustm', "'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)"],
    ['xavieruniformcustom', "'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)"],
    ['glorot_uniform', "'GlorotUniform' or 'glorotUniform' (tfjs)"],
    ['heNormel', "'HeNormal' or 'heNormal' (tfjs)"],
    ['Sparseinit', "'SparseInit' or 'sparseInit' (tfjs-initializers)"],
  ])('%s: our error, naming %s', (name, offered) => {
    const e = errorOf(name);
    expect(e).toBeInstanceOf(InitializerError);
    expect((e as Error).message).toBe(
      `tfjs-initializers: unknown initializer '${name}'. Did you mean ${offered}? ` +
        'Names are case-sensitive: a registered class name (PascalCase, or camelCase with a ' +
        "lower-case first letter) or, as a string option, one of tfjs's identifiers " +
        "('glorotUniform', 'heNormal', 'zeros', ...). tfjs-initializers is imported and its " +
        'initializers are registered with tf.serialization; a name from another package loads ' +
        'once that package is imported.',
    );
  });

  it('in a {className, config} object too, and for a name close to nothing', () => {
    expect(errorOf({className: 'KaimingNormel', config: {}})?.message).toContain(
      "unknown initializer 'KaimingNormel'. Did you mean 'KaimingNormal' or 'kaimingNormal' (tfjs-initializers)?",
    );
    // A part of a name; tfjs's LeCunNormal and this package's LecunNormal are two suggestions.
    expect(errorOf('lecun')?.message).toContain(
      "Did you mean one of: 'LecunNormal' or 'lecunNormal' (tfjs-initializers); " +
        "'LeCunNormal' or 'leCunNormal' (tfjs); 'LecunUniform' or 'lecunUniform' " +
        "(tfjs-initializers); 'LeCunUniform' or 'leCunUniform' (tfjs)?",
    );
    expect(errorOf('qwertyuiop')?.message).toContain(
      "unknown initializer 'qwertyuiop'. No registered initializer name is close to it.",
    );
  });

  it('in a model file loaded by tfjs itself (tf.loadLayersModel, topology only)', async () => {
    // As tfjs saves a Dense layer (snake_case keys), its kernel initializer's class mistyped.
    const dense = {
      class_name: 'Dense',
      config: {
        name: 'dense',
        units: 2,
        batch_input_shape: [null, 3],
        kernel_initializer: {class_name: 'XavierUniformCustm', config: {gain: 1, seed: 1}},
      },
    };
    const typo = {class_name: 'Sequential', config: {name: 'typo', layers: [dense]}};
    const before = tf.memory().numTensors;
    const e = await tfl.loadLayersModel({load: async () => ({modelTopology: typo})}).then(
      () => null,
      (error: Error) => error,
    );
    expect(e).toBeInstanceOf(InitializerError);
    expect(e?.message).toMatch(
      /^tfjs-initializers: unknown initializer 'XavierUniformCustm'\. Did you mean 'XavierUniformCustom' or 'xavierUniformCustom' \(tfjs-initializers\)\?/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('what the hook leaves as tfjs has it', () => {
  it('every valid name builds the class tfjs builds for it', () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    // 'constant' / 'Constant' need a value: tfjs refuses them without one, with or without the hook.
    const names = [...TFJS_IDENTIFIERS, ...TFJS_BUILTIN_NAMES].filter(
      (n) => !/^[cC]onstant$/.test(n),
    );
    expect(errorOf('constant')?.message).toMatch(/^config must have value set/);
    for (const name of names) {
      // tfjs's identifiers are the class names with a lower-case first letter (identity: Identity).
      const cls = name.charAt(0).toUpperCase() + name.slice(1);
      const made = (dense(name) as unknown as {kernelInitializer: {getClassName(): string}})
        .kernelInitializer;
      expect([name, made.getClassName()]).toEqual([
        name,
        [
          'GlorotUniform',
          'GlorotNormal',
          'HeNormal',
          'HeUniform',
          'LeCunNormal',
          'LeCunUniform',
        ].includes(cls)
          ? 'VarianceScaling' // tfjs's six helpers save as VarianceScaling
          : cls,
      ]);
      expect(name in map || TFJS_IDENTIFIERS.includes(name)).toBe(true);
    }
    for (const name of registeredNames()) {
      const made = (dense(name) as unknown as {kernelInitializer: unknown}).kernelInitializer;
      expect(made).toBeInstanceOf(map[name][0]);
    }
  });

  it('other lookups keep tfjs errors and answers: layers, constraints, `in`', async () => {
    const map = tf.serialization.SerializationMap.getMap().classNameMap;
    expect('NoSuchClass' in map).toBe(false);
    expect('Dense' in map).toBe(true);
    // (errors are read by message here: toThrow and rejects.toThrow format the stack, which maps
    // every tfjs frame through its source map and takes a second)
    let constraint: unknown = null;
    try {
      tfl.layers.dense({units: 2, kernelConstraint: 'maxNorn' as never});
    } catch (error) {
      constraint = error;
    }
    expect((constraint as Error).message).toMatch(/^Unknown constraint: maxNorn\./);
    const layer = {className: 'Dens', config: {units: 2, batchInputShape: [null, 3]}};
    const topology = {className: 'Sequential', config: {name: 's', layers: [layer]}};
    const e = await tfl.loadLayersModel({load: async () => ({modelTopology: topology})}).then(
      () => null,
      (error: Error) => error,
    );
    expect(e?.message).toMatch(/^Unknown layer: Dens\./);
    expect(Object.keys(map)).toEqual(expect.arrayContaining(['Dense', 'XavierUniformCustom']));
  });

  it('classes registered afterwards load, and installing twice changes nothing', () => {
    const map = tf.serialization.SerializationMap.getMap();
    const before = map.classNameMap;
    hookUnknownInitializerNames();
    expect(map.classNameMap).toBe(before);
    class LateInit extends BaseInitializer<object> {
      static override className = 'LateInit';
      constructor() {
        super({}, {});
      }
      protected generate(shape: number[]): tf.Tensor {
        return tf.zeros(shape);
      }
    }
    register(LateInit as never);
    expect(isInitializerName('LateInit', 'className')).toBe(true);
    expect(errorOf('lateInit')).toBeNull();
    expect(errorOf('LateInitt')?.message).toContain("Did you mean 'LateInit' or 'lateInit'");
  });
});

describe('nearest names', () => {
  it('edit distance counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', 'abc')).toBe(0);
    expect(editDistance('glorotunifrom', 'glorotuniform')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it("offer spellings by form: a saved model's class_name is never offered a tfjs identifier", () => {
    expect(nearestInitializerNames('glorotUnifrom', 'string')).toEqual([
      {spellings: ['GlorotUniform', 'glorotUniform'], origin: 'tfjs'},
    ]);
    expect(nearestInitializerNames('glorotUnifrom', 'className')).toEqual([
      {spellings: ['GlorotUniform'], origin: 'tfjs'},
    ]);
    expect(isInitializerName('glorotUniform', 'string')).toBe(true);
    expect(isInitializerName('glorotUniform', 'className')).toBe(false);
    expect(isInitializerName('Dense', 'string')).toBe(false); // a registered class, not an initializer
    expect(nearestInitializerNames('toString')).toEqual([]);
    // A hostile file's megabyte name: no edit distances over it (the test's timeout would catch
    // them), and the message shows 60 characters of it.
    const huge = 'x'.repeat(1e6);
    expect(nearestInitializerNames(huge)).toEqual([]);
    expect(errorOf(huge)?.message).toContain(
      `unknown initializer '${'x'.repeat(57)}...'. No registered`,
    );
  });
});
