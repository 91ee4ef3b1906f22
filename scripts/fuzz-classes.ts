/**
 * The structural classes of `npm run fuzz` (issue 23): model files that are valid JSON and
 * well-typed, but whose structure makes tfjs hang, allocate far more than it seems, or fail after
 * building — each generated at random, run through `validateModelJSON` and, when accepted, built
 * (or loaded) by tfjs to check that the report was exact and nothing was left behind.
 *
 * - **graph**: functional models whose `inbound_nodes` name missing layers, later layers, their own
 *   layer, node indexes 0–3, with duplicated or missing names (tfjs's `fromConfig` spins forever on
 *   the unsatisfiable ones);
 * - **flags**: `stateful`, `return_sequences`, `use_bias`, ... set to 1, 0, "yes", "", [], {},
 *   2.5, null, true, false (tfjs takes any truthy value for true);
 * - **stacked**: stateful and stateless RNNs over 1–3 stacked cells of 1–100,000 units with batches
 *   of 1–10⁷, some wrapped in Bidirectional (every cell's states are allocated);
 * - **flat**: metadata and layer configs holding flat arrays of 10⁴–2·10⁶ numbers, some with a
 *   reserved name or a non-finite number at a random place (memory must not grow per element);
 * - **optimizer**: a Dense model with a training config of each tfjs optimizer and 0–4 optimizer
 *   weights of random shapes and dtypes, loaded with `loadLayersModelSafely`.
 */
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {InitializerError} from '../src';
import {loadLayersModelSafely, validateModelJSON} from '../src/tools';
import {disposeOptimizer} from '../src/tools/untrusted/optimizer-weights';

type Json = Record<string, unknown>;

/** One generated case: its class, its file, and for optimizer cases the weight data to load with. */
export interface ClassCase {
  kind: 'graph' | 'flags' | 'stacked' | 'flat' | 'optimizer';
  json: Json;
}

const LAYER_NAMES = ['x', 'a', 'b', 'c', 'nosuch'];

/** x → a → b → c, with a shared between two depths when `shared`. */
function functionalBase(shared: boolean): Json[] {
  return [
    {
      name: 'x',
      class_name: 'InputLayer',
      config: {name: 'x', batch_input_shape: [null, 4], dtype: 'float32', sparse: false},
      inbound_nodes: [],
    },
    {
      name: 'a',
      class_name: 'Dense',
      config: {name: 'a', units: 4},
      inbound_nodes: shared ? [[['x', 0, 0, {}]], [['b', 0, 0, {}]]] : [[['x', 0, 0, {}]]],
    },
    {
      name: 'b',
      class_name: 'Dense',
      config: {name: 'b', units: 4},
      inbound_nodes: [[['a', 0, 0, {}]]],
    },
    {
      name: 'c',
      class_name: 'Dense',
      config: {name: 'c', units: 2},
      inbound_nodes: [[[shared ? 'a' : 'b', shared ? 1 : 0, 0, {}]]],
    },
  ];
}

const graphCase: fc.Arbitrary<ClassCase> = fc
  .record({
    shared: fc.boolean(),
    edits: fc.array(
      fc.record({
        layer: fc.nat(3),
        node: fc.nat(1),
        name: fc.constantFrom(...LAYER_NAMES),
        index: fc.nat(3),
        rename: fc.option(fc.constantFrom(...LAYER_NAMES), {freq: 5}),
      }),
      {minLength: 0, maxLength: 3},
    ),
    output: fc.option(fc.tuple(fc.constantFrom(...LAYER_NAMES), fc.nat(2)), {freq: 4}),
  })
  .map(({shared, edits, output}) => {
    const layers = functionalBase(shared);
    for (const e of edits) {
      const layer = layers[e.layer];
      const nodes = layer.inbound_nodes as unknown[][][];
      if (nodes.length > 0) {
        const node = nodes[e.node % nodes.length];
        node[0] = [e.name, e.index, 0, {}];
      }
      if (e.rename !== null) layer.name = e.rename;
    }
    return {
      kind: 'graph' as const,
      json: {
        modelTopology: {
          class_name: 'Model',
          config: {
            name: 'g',
            layers,
            input_layers: [['x', 0, 0]],
            output_layers: [output === null ? ['c', 0, 0] : [output[0], output[1], 0]],
          },
        },
      },
    };
  });

const FLAGS = [
  'stateful',
  'return_sequences',
  'return_state',
  'go_backwards',
  'unroll',
  'use_bias',
];
const TRUTHY = fc.constantFrom<unknown>(1, 0, 'yes', '', [], {}, 2.5, null, true, false);

const flagsCase: fc.Arbitrary<ClassCase> = fc
  .record({
    flags: fc.array(fc.tuple(fc.constantFrom(...FLAGS), TRUTHY), {minLength: 1, maxLength: 3}),
  })
  .map(({flags}) => {
    const config: Json = {
      name: 'lstm',
      units: 3,
      batch_input_shape: [2, 4, 1],
      recurrent_initializer: {class_name: 'GlorotUniform', config: {seed: 1}},
    };
    for (const [k, v] of flags) config[k] = v;
    return {
      kind: 'flags' as const,
      json: {
        modelTopology: {
          class_name: 'Sequential',
          config: {name: 's', layers: [{class_name: 'LSTM', config}]},
        },
      },
    };
  });

const CELLS = ['LSTMCell', 'GRUCell', 'SimpleRNNCell'];
const stackedCase: fc.Arbitrary<ClassCase> = fc
  .record({
    cells: fc.array(fc.tuple(fc.constantFrom(...CELLS), fc.constantFrom(1, 5, 50, 5000, 100000)), {
      minLength: 1,
      maxLength: 3,
    }),
    stateful: fc.constantFrom<unknown>(true, false, 1),
    batch: fc.constantFrom(1, 7, 1000, 100000, 10000000),
    bidirectional: fc.boolean(),
  })
  .map(({cells, stateful, batch, bidirectional}) => {
    const rnn = {
      class_name: 'RNN',
      config: {
        name: 'rnn',
        stateful,
        cell: {
          class_name: 'StackedRNNCells',
          // tfjs's own Orthogonal (the default) takes seconds per cell with the full bundle loaded.
          config: {
            cells: cells.map(([c, units]) => ({
              class_name: c,
              config: {
                units,
                recurrent_initializer: {class_name: 'GlorotUniform', config: {seed: 1}},
              },
            })),
          },
        },
      },
    };
    const layer = bidirectional
      ? {
          class_name: 'Bidirectional',
          config: {name: 'bi', layer: rnn, batch_input_shape: [batch, 2, 3]},
        }
      : {...rnn, config: {...rnn.config, batch_input_shape: [batch, 2, 3]}};
    return {
      kind: 'stacked' as const,
      json: {modelTopology: {class_name: 'Sequential', config: {name: 's', layers: [layer]}}},
    };
  });

const flatCase: fc.Arbitrary<ClassCase> = fc
  .record({
    length: fc.integer({min: 10_000, max: 2_000_000}),
    bad: fc.option(
      fc.tuple(
        fc.double({min: 0, max: 1, noNaN: true}),
        fc.constantFrom<unknown>('__proto__', 'to_string', Infinity),
      ),
      {freq: 2},
    ),
    inLayer: fc.boolean(),
  })
  .map(({length, bad, inLayer}) => {
    const values: unknown[] = new Array(length).fill(0.5);
    if (bad !== null) values[Math.floor(bad[0] * (length - 1))] = bad[1];
    const dense: Json = {name: 'dense', units: 4, batch_input_shape: [null, 3]};
    if (inLayer) dense.notes = values;
    return {
      kind: 'flat' as const,
      json: {
        modelTopology: {
          class_name: 'Sequential',
          config: {name: 's', layers: [{class_name: 'Dense', config: dense}]},
        },
        ...(inLayer ? {} : {userDefinedMetadata: {values}}),
      },
    };
  });

const OPTIMIZERS: Record<string, Json> = {
  SGD: {learningRate: 0.1},
  Momentum: {learningRate: 0.1, momentum: 0.9, useNesterov: false},
  Adam: {learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7},
  RMSProp: {learningRate: 0.1, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false},
  RMSPropCentered: {learningRate: 0.1, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: true},
  Adagrad: {learningRate: 0.1, initialAccumulatorValue: 0.1},
  Adadelta: {learningRate: 0.1, rho: 0.95, epsilon: 1e-7},
  Adamax: {learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0},
};

const optimizerCase: fc.Arbitrary<ClassCase> = fc
  .record({
    optimizer: fc.constantFrom(...Object.keys(OPTIMIZERS)),
    entries: fc.array(
      fc.tuple(
        fc.constantFrom([], [1], [2], [3, 4], [4]),
        fc.constantFrom('float32', 'float32', 'int32', 'complex64', 'bool'),
      ),
      {maxLength: 4},
    ),
  })
  .map(({optimizer, entries}) => ({
    kind: 'optimizer' as const,
    json: {
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 's',
          layers: [
            {class_name: 'Dense', config: {name: 'dense', units: 4, batch_input_shape: [null, 3]}},
          ],
        },
      },
      trainingConfig: {
        loss: 'mean_squared_error',
        metrics: null,
        optimizer_config: {
          class_name: optimizer.replace('Centered', ''),
          config: OPTIMIZERS[optimizer],
        },
      },
      weightsManifest: [
        {
          paths: [],
          weights: [
            {name: 'dense/kernel', shape: [3, 4], dtype: 'float32'},
            {name: 'dense/bias', shape: [4], dtype: 'float32'},
            ...entries.map(([shape, dtype], i) => ({
              name: `opt${i}`,
              shape,
              dtype,
              group: 'optimizer',
            })),
          ],
        },
      ],
    },
  }));

/** All five classes, equally often. */
export const classCases: fc.Arbitrary<ClassCase> = fc.oneof(
  graphCase,
  flagsCase,
  stackedCase,
  flatCase,
  optimizerCase,
);

const BYTES: Record<string, number> = {float32: 4, int32: 4, bool: 1, complex64: 8};

/**
 * Disposes the state tensors tfjs allocated for the stateful RNNs of `model` (its `dispose` keeps
 * them: they are tfjs's own leak, not this package's, and would hide one here).
 */
function disposeStates(layers: readonly unknown[]): void {
  for (const layer of layers as Array<Record<string, unknown>>) {
    if (Array.isArray(layer.states_)) tf.dispose(layer.states_ as tf.Tensor[]);
    for (const inner of [layer.forwardLayer, layer.backwardLayer, layer.layer])
      if (inner !== undefined) disposeStates([inner]);
    if (Array.isArray(layer.layers)) disposeStates(layer.layers as unknown[]);
  }
}

/**
 * Runs one case; returns its outcome, and pushes a description of anything that is a crash: an
 * error not ours, a tensor or variable left behind, a report that differs from what tfjs built
 * (weights and stateful states), or a file accepted that tfjs then fails to load.
 */
export async function runClassCase(c: ClassCase, crashes: string[]): Promise<string> {
  const before = tf.memory().numTensors;
  const variables = Object.keys(tf.engine().state.registeredVariables).length;
  const leftBehind = (): string | null =>
    tf.memory().numTensors !== before ||
    Object.keys(tf.engine().state.registeredVariables).length !== variables
      ? `${tf.memory().numTensors - before} tensors, ` +
        `${Object.keys(tf.engine().state.registeredVariables).length - variables} variables left`
      : null;
  let report;
  try {
    report = await validateModelJSON(c.json, {maxTotalElements: 5_000_000});
  } catch (e) {
    const left = leftBehind();
    if (left !== null) crashes.push(`${c.kind}: refused but ${left}`);
    if (e instanceof InitializerError) return 'refused (InitializerError)';
    crashes.push(`${c.kind}: ${(e as Error).stack?.split('\n').slice(0, 2).join(' ')}`);
    return 'CRASH in validateModelJSON';
  }
  try {
    if (c.kind === 'optimizer') {
      const specs = (c.json.weightsManifest as Json[])[0].weights as tf.io.WeightsManifestEntry[];
      const bytes = specs.reduce(
        (n, s) => n + (s.shape as number[]).reduce((a, b) => a * b, 1) * BYTES[s.dtype],
        0,
      );
      const model = await loadLayersModelSafely({
        load: async () => ({
          modelTopology: c.json.modelTopology as object,
          trainingConfig: c.json.trainingConfig as tf.io.TrainingConfig,
          weightSpecs: specs,
          weightData: new ArrayBuffer(bytes),
        }),
      });
      disposeOptimizer(model.optimizer);
      model.dispose();
    } else {
      const start = tf.memory().numBytes;
      const model = await tf.models.modelFromJSON(JSON.parse(JSON.stringify(c.json)) as never);
      const weights = model.weights.reduce(
        (n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1),
        0,
      );
      const states = (tf.memory().numBytes - start) / 4 - weights;
      disposeStates(model.layers);
      const values = model.weights.map((w) => w.read());
      model.dispose();
      // tfjs counts the calls of a shared layer and keeps its weights after dispose: freed here.
      for (const v of values) if (!v.isDisposed) v.dispose();
      if (weights !== report.weightElements || states !== report.stateElements) {
        crashes.push(
          `${c.kind}: reported ${report.weightElements} weights + ${report.stateElements} ` +
            `states, tfjs built ${weights} + ${states}`,
        );
        return 'BAD REPORT';
      }
    }
  } catch (e) {
    crashes.push(`${c.kind}: accepted, but tfjs failed: ${(e as Error).message.split('\n')[0]}`);
    return 'CRASH: accepted but not loadable';
  }
  const left = leftBehind();
  if (left !== null) {
    crashes.push(`${c.kind}: loaded, then disposed, but ${left}`);
    return 'LEAK';
  }
  return 'accepted and built (report = what tfjs built)';
}
