/**
 * Issue 23, one regression test per reproduction that is cheap enough for the fast tier (the
 * hostile fixtures of scripts/hostile-models.ts go through every loader and command in
 * validate.test.ts; the crash tests, and tfjs's own Orthogonal with the full bundle loaded, are
 * in the slow tier). Memory-hungry reproductions are tested through the estimates and limits, not
 * by allocating gigabytes. Item 12 belongs to the HTML report's tests.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {Worker} from 'worker_threads';
import {buildSync} from 'esbuild';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError, XavierUniformCustom} from '../../../src';
import {loadLayersModelSafely, validateModelJSON} from '../../../src/tools';
import {fileIO} from '../../../src/node';
import {saveModelFiles} from '../../../src/node/atomic-write';
import {runCli} from '../../../src/cli/main';
import {EXIT} from '../../../src/cli/exit-codes';
import {estimateBytesPerExample} from '../../../src/cli/memory-preflight';
import {HOSTILE} from '../../../scripts/hostile-models';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reliability-'));
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

async function cli(...args: string[]): Promise<{code: number; out: string; err: string}> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['--backend', 'cpu', ...args], {
    out: (t) => out.push(t),
    err: (t) => err.push(t),
  });
  return {code, out: out.join('\n'), err: err.join('\n')};
}

/** A Dense(3 → 4) model saved with fileIO into `dir`. */
async function savedModel(dir: string, compile?: tf.Optimizer): Promise<void> {
  const model = tfl.sequential({
    layers: [tfl.layers.dense({units: 4, inputShape: [3], name: 'd'})],
  });
  if (compile !== undefined) model.compile({optimizer: compile, loss: 'meanSquaredError'});
  await model.save(fileIO(dir), {includeOptimizer: compile !== undefined});
  model.dispose();
}

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    fs
      .readdirSync(dir, {recursive: true, withFileTypes: true})
      .filter((e) => e.isFile())
      .map((e) => {
        const file = path.join(e.parentPath ?? (e as unknown as {path: string}).path, e.name);
        return [path.relative(dir, file), fs.readFileSync(file).toString('hex')];
      }),
  );

describe('1. reinit --out never reaches the model it reads', () => {
  it('refuses an --out whose files the manifest names, or that resolves to the source through ..', async () => {
    const a = path.join(tmp, 'a');
    await savedModel(a);
    // The manifest names sub/weights.bin: `--out a/sub` would write over it.
    fs.mkdirSync(path.join(a, 'sub'));
    fs.renameSync(path.join(a, 'weights.bin'), path.join(a, 'sub', 'weights.bin'));
    const json = JSON.parse(fs.readFileSync(path.join(a, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = ['sub/weights.bin'];
    fs.writeFileSync(path.join(a, 'model.json'), JSON.stringify(json));
    const before = snapshot(a);
    const sub = await cli('reinit', a, '--out', path.join(a, 'sub'), '--seed', '1');
    expect(sub.code).toBe(EXIT.usage);
    expect(sub.err).toContain(
      `--out ${path.join(a, 'sub')} would write ${fs.realpathSync(a)}/sub/weights.bin, which is ` +
        'a weights file of the model being read',
    );
    const dotdot = path.join(a, 'nosuch') + '/..';
    const up = await cli('reinit', a, '--out', dotdot, '--seed', '1');
    expect(up.code).toBe(EXIT.usage);
    expect(up.err).toContain(`--out ${dotdot} is the folder the model is read from`);
    expect(snapshot(a)).toEqual(before);
  });
});

describe('2. a save interrupted after its commit is read whole and finished by the next', () => {
  it('the state a SIGKILL leaves with the weights under two names loads, and the next save cleans up', async () => {
    const dir = path.join(tmp, 'interrupted');
    await savedModel(dir);
    const weights = fs.readFileSync(path.join(dir, 'weights.bin'));
    // As a save killed after linking the new weights to their final name leaves it: model.json
    // names the temporary; weights.bin is a second name of it; an unrelated temporary beside.
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const temporary = '.weights.bin.tmp-0123456789ab';
    fs.renameSync(path.join(dir, 'weights.bin'), path.join(dir, temporary));
    fs.linkSync(path.join(dir, temporary), path.join(dir, 'weights.bin'));
    json.weightsManifest[0].paths = [temporary];
    fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(json));
    fs.writeFileSync(path.join(dir, '.model.json.tmp-ba9876543210'), '{"half":');
    const artifacts = await (fileIO(dir).load as () => Promise<tf.io.ModelArtifacts>)();
    expect(Buffer.from(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []))).toEqual(
      weights,
    );
    await saveModelFiles('test', dir, {
      json: 'model.json',
      weightsFile: 'weights.bin',
      weights: new Uint8Array(weights),
      text: (p) =>
        JSON.stringify({...json, weightsManifest: [{...json.weightsManifest[0], paths: [p]}]}),
    });
    expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(fs.statSync(path.join(dir, 'weights.bin')).nlink).toBe(1);
    expect(
      JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths,
    ).toEqual(['weights.bin']);
  });

  it('a file with a second name outside its folder is still refused', async () => {
    const dir = path.join(tmp, 'linked-out');
    await savedModel(dir);
    fs.linkSync(path.join(dir, 'weights.bin'), path.join(tmp, 'elsewhere.bin'));
    await expect((fileIO(dir).load as () => Promise<tf.io.ModelArtifacts>)()).rejects.toThrow(
      /has 2 hard links/,
    );
  });
});

describe('3. scanning a file takes memory for its depth, not its size', () => {
  it('a flat array of 2,000,000 numbers is scanned in a 32 MB heap', async () => {
    const bundle = buildSync({
      entryPoints: [path.join(__dirname, '..', '..', '..', 'src', 'tools', 'untrusted', 'scan.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      write: false,
      logLevel: 'silent',
    }).outputFiles[0].text;
    const code =
      `const module = {exports: {}}; (function (exports, module) {${bundle}})(module.exports, module);\n` +
      `const {parentPort} = require('worker_threads');\n` +
      // 2e6 small integers: 16 MB of array; a path string and a record per element would take ~150 MB.
      `const json = {userDefinedMetadata: {values: new Array(2e6).fill(7)}};\n` +
      `module.exports.scanJson(json, {maxDepth: 100});\n` +
      `parentPort.postMessage('scanned');\n`;
    const result = await new Promise<string>((resolve) => {
      const worker = new Worker(code, {eval: true, resourceLimits: {maxOldGenerationSizeMb: 32}});
      worker.on('message', (m: string) => resolve(m));
      worker.on('error', (e) => resolve(`error: ${e.message}`));
    });
    expect(result).toBe('scanned');
  });
});

describe('4. graphs tfjs cannot finish are refused; the ones it can are built as tfjs builds them', () => {
  it('a shared layer called at two depths and a nested model: the dry build matches tfjs', async () => {
    const variables = new Set(Object.keys(tf.engine().state.registeredVariables));
    const x = tfl.input({shape: [4], name: 'x'});
    const a = tfl.layers.dense({units: 4, name: 'a'});
    const b = tfl.layers.dense({units: 4, name: 'b'});
    const inner = tfl.model({
      inputs: x,
      outputs: a.apply(b.apply(a.apply(x))) as tfl.SymbolicTensor,
      name: 'inner',
    });
    const y = tfl.input({shape: [4], name: 'y'});
    const outer = tfl.model({
      inputs: y,
      outputs: tfl.layers
        .dense({units: 2, name: 'out'})
        .apply(inner.apply(y)) as tfl.SymbolicTensor,
      name: 'outer',
    });
    const json = JSON.parse(JSON.stringify({modelTopology: outer.toJSON(null, false)}));
    const report = await validateModelJSON(json);
    expect(report.weightElements).toBe(outer.countParams());
    // tfjs's dispose counts the calls of a shared layer and keeps its weights: disposed by hand.
    for (const [name, v] of Object.entries(tf.engine().state.registeredVariables))
      if (!variables.has(name)) v.dispose();
  });

  it('each graph fault is refused by validateModelJSON and by inspect, with its place', async () => {
    for (const name of [
      'graph-missing-layer',
      'graph-cycle',
      'graph-self-loop',
      'graph-node-index',
    ]) {
      const error = await validateModelJSON(JSON.parse(HOSTILE[name].text)).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InitializerError);
      expect((error as InitializerError).parameter).toMatch(/inbound_nodes\[0\]\[0\]$/);
      expect((error as Error).message).toContain('tfjs would wait for it forever');
    }
  });
});

describe('5, 6. the states of stateful RNNs are counted as tfjs allocates them', () => {
  const sequential = (layer: Record<string, unknown>): Record<string, unknown> => ({
    modelTopology: {class_name: 'Sequential', config: {name: 's', layers: [layer]}},
  });
  const cases: Record<string, Record<string, unknown>> = {
    'StackedRNNCells (every cell)': sequential({
      class_name: 'RNN',
      config: {
        name: 'rnn',
        stateful: true,
        batch_input_shape: [7, 2, 3],
        cell: {
          class_name: 'StackedRNNCells',
          config: {
            cells: [
              {class_name: 'LSTMCell', config: {units: 50}},
              {class_name: 'GRUCell', config: {units: 3}},
            ],
          },
        },
      },
    }),
    'ConvLSTM2D (the output shape)': sequential({
      class_name: 'ConvLSTM2D',
      config: {
        name: 'c',
        stateful: true,
        filters: 4,
        kernel_size: 3,
        batch_input_shape: [2, 3, 8, 8, 1],
      },
    }),
    'Bidirectional (both directions)': sequential({
      class_name: 'Bidirectional',
      config: {
        name: 'b',
        batch_input_shape: [5, 2, 3],
        layer: {class_name: 'LSTM', config: {name: 'l', units: 6, stateful: true}},
      },
    }),
  };
  it.each(Object.keys(cases))('%s', async (name) => {
    const json = cases[name];
    const report = await validateModelJSON(json);
    const before = tf.memory();
    const model = await tfl.models.modelFromJSON(JSON.parse(JSON.stringify(json)));
    const weights = model.weights.reduce(
      (n, w) => n + (w.shape as number[]).reduce((p, d) => p * d, 1),
      0,
    );
    expect(report.weightElements).toBe(weights);
    // Every float32 tfjs allocated beyond the weights is a state.
    expect(report.stateElements).toBe((tf.memory().numBytes - before.numBytes) / 4 - weights);
    expect(report.stateElements).toBeGreaterThan(0);
    model.dispose();
  });

  it('a stacked stateful RNN whose states exceed the limit, reported small by its output, is refused', async () => {
    const before = tf.memory().numTensors;
    await expect(validateModelJSON(JSON.parse(HOSTILE['stacked-stateful'].text))).rejects.toThrow(
      /would create state tensors of shapes \[\[100000, 1\], \[100000, 1\], \[100000, 5000\], \[100000, 5000\]\]/,
    );
    await expect(validateModelJSON(JSON.parse(HOSTILE['stateful-truthy'].text))).rejects.toThrow(
      /stateful: must be true or false/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("7. tfjs's own Orthogonal does not run while a checked model is built", () => {
  it('where tfjs would run it (chained ops loaded), the Haar sampler draws it; the config is unchanged', async () => {
    const proto = Object.getPrototypeOf(tfl.initializers.orthogonal({})) as {apply: () => unknown};
    const own = jest.spyOn(proto, 'apply');
    const tensorProto = tf.Tensor.prototype as unknown as {flatten?: unknown};
    // What loading the full @tensorflow/tfjs bundle adds, and what makes tfjs's own Orthogonal run.
    tensorProto.flatten = function flatten(this: tf.Tensor) {
      return tf.reshape(this, [this.size]);
    };
    try {
      const topology = {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [
            {
              class_name: 'Dense',
              config: {
                name: 'd',
                units: 128,
                batch_input_shape: [null, 96],
                kernel_initializer: {class_name: 'Orthogonal', config: {gain: 2, seed: null}},
              },
            },
          ],
        },
      };
      const model = await loadLayersModelSafely({load: async () => ({modelTopology: topology})});
      expect(own).not.toHaveBeenCalled();
      expect(model.layers[0].getConfig().kernelInitializer).toEqual({
        className: 'Orthogonal',
        config: {gain: 2, seed: null},
      });
      // Orthonormal rows, times the gain: K·Kᵀ = 4·I (96 rows of 128).
      const gram = tf.tidy(() => {
        const k = model.getWeights()[0];
        return tf.max(tf.abs(tf.sub(tf.matMul(k, k, false, true), tf.mul(tf.eye(96), 4))));
      });
      expect(gram.dataSync()[0]).toBeLessThan(1e-4);
      gram.dispose();
      model.dispose();
    } finally {
      delete tensorProto.flatten;
      own.mockRestore();
    }
  });
});

describe('11. on wasm, sizes are checked against what its 4 GiB heap has left', () => {
  let previous: string;
  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
    previous = tf.getBackend();
    expect(await tf.setBackend('wasm')).toBe(true);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it('an initializer refuses a shape of 1.6e9 elements at once, allocating nothing', () => {
    const before = tf.memory();
    expect(() => new XavierUniformCustom().apply([40000, 40000])).toThrow(
      /shape has 1600000000 elements \(6\.0 GiB of float32\), more than the 4\.0 GiB the wasm backend's heap/,
    );
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('a model whose weights fit the element limits but not the heap is refused before loading', async () => {
    const json = {
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [
            {
              class_name: 'Dense',
              config: {name: 'd', units: 40000, batch_input_shape: [null, 30000]},
            },
          ],
        },
      },
    };
    await expect(validateModelJSON(json, {maxTotalElements: 2 ** 31 - 1})).rejects.toThrow(
      /loading the model on the wasm backend needs about 4\.5 GiB of its heap/,
    );
    // A tenth of it fits: accepted.
    const small = JSON.parse(JSON.stringify(json).replace('"units":40000', '"units":4000'));
    await expect(validateModelJSON(small, {maxTotalElements: 2 ** 31 - 1})).resolves.toBeDefined();
  });
});

describe('8, 9. optimizer weights and training configs leave nothing behind', () => {
  const OPTIMIZERS: Record<string, Record<string, unknown>> = {
    SGD: {learningRate: 0.1},
    Momentum: {learningRate: 0.1, momentum: 0.9, useNesterov: false},
    Adam: {learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7},
    RMSProp: {learningRate: 0.1, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false},
    Adagrad: {learningRate: 0.1, initialAccumulatorValue: 0.1},
    Adadelta: {learningRate: 0.1, rho: 0.95, epsilon: 1e-7},
    Adamax: {learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0},
  };
  const withOptimizer = (name: string, config = OPTIMIZERS[name]): Record<string, unknown> => ({
    ...JSON.parse(HOSTILE['optimizer-sgd-weights'].text),
    trainingConfig: {
      loss: 'mean_squared_error',
      metrics: null,
      optimizer_config: {class_name: name, config},
    },
  });

  it.each(Object.keys(OPTIMIZERS))(
    '%s: 3 validations leave tf.memory() as it was',
    async (name) => {
      const json = withOptimizer(name);
      delete json.weightsManifest;
      const before = tf.memory();
      const variables = Object.keys(tf.engine().state.registeredVariables);
      for (let i = 0; i < 3; i++) await validateModelJSON(json);
      expect(tf.memory().numTensors).toBe(before.numTensors);
      expect(Object.keys(tf.engine().state.registeredVariables)).toEqual(variables);
    },
  );

  it('optimizer weights are checked against what the optimizer takes, before anything is built', async () => {
    const weightData = new ArrayBuffer(4 * (12 + 4 + 1 + 12 + 4));
    const load = (name: string, config = OPTIMIZERS[name]): Promise<unknown> => {
      const json = withOptimizer(name, config) as {
        modelTopology: object;
        trainingConfig: tf.io.TrainingConfig;
        weightsManifest: Array<{weights: tf.io.WeightsManifestEntry[]}>;
      };
      return loadLayersModelSafely({
        load: async () => ({
          modelTopology: json.modelTopology,
          trainingConfig: json.trainingConfig,
          weightSpecs: json.weightsManifest[0].weights,
          weightData,
        }),
      });
    };
    const before = tf.memory().numTensors;
    const variables = Object.keys(tf.engine().state.registeredVariables);
    await expect(load('SGD')).rejects.toThrow(
      /SGD optimizer takes its iteration count and then nothing else/,
    );
    await expect(load('Adamax')).rejects.toThrow(/Adamax optimizer cannot take saved weights/);
    // Centered RMSProp keeps three weights per variable: two do not divide.
    await expect(load('RMSProp', {...OPTIMIZERS.RMSProp, centered: true})).rejects.toThrow(
      /RMSProp optimizer takes its iteration count and then 3 weight\(s\) per variable/,
    );
    expect(tf.memory().numTensors).toBe(before);
    expect(Object.keys(tf.engine().state.registeredVariables)).toEqual(variables);
    // With strict: false an entry may name no weight, but tfjs still decodes it: not a complex64 one.
    const specs = JSON.parse(
      HOSTILE['optimizer-sgd-weights'].text,
    ).weightsManifest[0].weights.slice(0, 2);
    await expect(
      loadLayersModelSafely(
        {
          load: async () => ({
            modelTopology: (withOptimizer('SGD') as {modelTopology: object}).modelTopology,
            weightSpecs: [...specs, {name: 'extra', shape: [2], dtype: 'complex64'}],
            weightData: new ArrayBuffer(4 * 16 + 16),
          }),
        },
        {strict: false},
      ),
    ).rejects.toThrow(/weight 'extra' is complex64 and no weight of the model takes it/);
    // One weight per variable is what Momentum takes: it loads, its accumulators set.
    const model = (await load('Momentum')) as tfl.LayersModel;
    expect((await model.optimizer.getWeights()).map((w) => w.name)).toEqual([
      'iter',
      'dense/kernel/m',
      'dense/bias/m',
    ]);
    model.dispose();
  });
});

describe('10. the CLI reads a model saved with its optimizer', () => {
  it('doctor and reinit start the backend before the strict read compiles the training config', async () => {
    const dir = path.join(tmp, 'with-optimizer');
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 4, inputShape: [3]}), tfl.layers.repeatVector({n: 100000})],
    });
    model.compile({optimizer: tf.train.adam(0.01), loss: 'meanSquaredError'});
    await model.save(fileIO(dir), {includeOptimizer: true});
    model.dispose();
    const saved = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(saved.trainingConfig.optimizer_config.class_name).toBe('Adam');
    expect(
      saved.weightsManifest[0].weights.some((w: {group?: string}) => w.group === 'optimizer'),
    ).toBe(true);
    // doctor reads and loads it, and stops only at its memory check (one example of 400,000
    // values is more than 1 MiB), before running anything.
    const doctor = await cli('doctor', dir, '--max-memory', '1', '--out', path.join(tmp, 'o.html'));
    expect(doctor.code).toBe(EXIT.failed);
    expect(doctor.err).toContain('one example needs about');
    const reinit = await cli('reinit', dir, '--out', path.join(tmp, 'opt-out'), '--seed', '1');
    expect(reinit.err).not.toContain('No backend');
    expect(reinit.code).toBe(EXIT.ok);
  });
});

describe('13. doctor --max-memory is estimated before anything runs', () => {
  it('the estimate counts every layer output of one example, three times over', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({units: 8, inputShape: [5]}),
        tfl.layers.repeatVector({n: 7}),
        tfl.layers.flatten(),
      ],
    });
    // Input 5, Dense 8, RepeatVector 7·8, Flatten 56: 125 float32s, 3 times over.
    expect(estimateBytesPerExample(model)).toBe(3 * 4 * (5 + 8 + 56 + 56));
    model.dispose();
  });

  it('a RepeatVector of 3e7 steps is refused at --max-memory 100 without running the model', async () => {
    const dir = path.join(tmp, 'repeat');
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 4, inputShape: [3]}), tfl.layers.repeatVector({n: 3e7})],
    });
    await model.save(fileIO(dir));
    model.dispose();
    const before = tf.memory().numBytes;
    const r = await cli('doctor', dir, '--max-memory', '100', '--out', path.join(tmp, 'r.html'));
    expect(r.code).toBe(EXIT.failed);
    expect(r.err).toContain(
      'one example needs about 1.3 GiB for the forward and backward pass on cpu (estimated ' +
        "from the layers' output shapes; nothing was run), more than the 100 MiB allowed",
    );
    expect(tf.memory().numBytes).toBe(before);
  });
});

describe('14. duplicate names and polluted prototypes', () => {
  it('reinit refuses a model with two layers of one name before it writes anything', async () => {
    const dir = path.join(tmp, 'dup');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'model.json'), HOSTILE['duplicate-names'].text);
    const out = path.join(tmp, 'dup-out');
    const r = await cli('reinit', dir, '--out', out);
    expect(r.code).toBe(EXIT.malformed);
    expect(r.err).toContain('two layers of one model are named "dense"');
    expect(fs.existsSync(out)).toBe(false);
  });

  it('options are read from the object itself, never from Object.prototype', async () => {
    const huge = JSON.parse(HOSTILE['kernel-huge'].text);
    const dir = path.join(tmp, 'pollution');
    await savedModel(dir);
    const polluted = {build: false, strict: 'yes', weights: false, limits: 'none'};
    for (const [key, value] of Object.entries(polluted))
      Object.defineProperty(Object.prototype, key, {value, configurable: true, writable: true});
    try {
      // Without the dry build, the 1e10-element kernel would pass.
      await expect(validateModelJSON(huge)).rejects.toThrow(/would create weight 'kernel'/);
      await expect(validateModelJSON(huge, {})).rejects.toThrow(/would create weight 'kernel'/);
      const artifacts = await (fileIO(dir, {}).load as () => Promise<tf.io.ModelArtifacts>)();
      expect(artifacts.weightSpecs).toHaveLength(2);
      const model = await loadLayersModelSafely(fileIO(dir), {});
      model.dispose();
    } finally {
      for (const key of Object.keys(polluted))
        delete (Object.prototype as Record<string, unknown>)[key];
    }
  });
});
