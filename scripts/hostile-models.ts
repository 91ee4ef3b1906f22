import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

/**
 * Hostile and corrupted `model.json` texts, each a small edit of one valid model, as raw JSON text
 * (a JavaScript object literal cannot hold an own `__proto__` key; `JSON.parse` can). Used by the
 * error table, the untrusted-model tests and the fuzz script; `npm run fixtures:hostile` writes
 * the ones the CLI rows load to `__tests__/fixtures/hostile/`.
 */

/** A valid model: Dense(3 → 4) with a seeded XavierUniformCustom kernel, topology only. */
export function baseModel(): {
  modelTopology: {
    class_name: string;
    config: {name: string; layers: Array<{class_name: string; config: Record<string, unknown>}>};
  };
  format: string;
} {
  return {
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'Dense',
            config: {
              name: 'dense',
              units: 4,
              batch_input_shape: [null, 3],
              kernel_initializer: {class_name: 'XavierUniformCustom', config: {gain: 1, seed: 1}},
            },
          },
        ],
      },
    },
    format: 'layers-model',
  };
}

/** The base model with its one layer's config changed by `edit`, as JSON text. */
function withLayer(edit: (config: Record<string, unknown>) => void): string {
  const m = baseModel();
  edit(m.modelTopology.config.layers[0].config);
  return JSON.stringify(m);
}

/** The base model's text with `from` replaced by `to`. */
const replaced = (what: string, from: string, to: string): {what: string; text: string} => ({
  what,
  text: JSON.stringify(baseModel()).replace(from, to),
});

/** The base model's text with `"units":4` replaced by raw JSON text `raw`. */
const unitsText = (raw: string): string =>
  JSON.stringify(baseModel()).replace('"units":4', `"units":${raw}`);

/** A weights manifest of one group naming `weights.bin` and the Dense layer's two weights. */
function withManifest(
  kernelShape: number[],
  extra: Record<string, unknown> = {},
  paths = ['weights.bin'],
): string {
  const m = {
    ...baseModel(),
    weightsManifest: [
      {
        paths,
        weights: [
          {name: 'dense/kernel', shape: kernelShape, dtype: 'float32', ...extra},
          {name: 'dense/bias', shape: [4], dtype: 'float32'},
        ],
      },
    ],
  };
  return JSON.stringify(m);
}

/** The base model with a weights manifest whose specs (the valid ones: kernel [3, 4], bias [4]) are edited. */
function withSpecs(
  edit: (specs: Array<Record<string, unknown>>) => Array<Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): string {
  const specs = [
    {name: 'dense/kernel', shape: [3, 4], dtype: 'float32'},
    {name: 'dense/bias', shape: [4], dtype: 'float32'},
  ];
  return JSON.stringify({
    ...baseModel(),
    weightsManifest: [{paths: ['weights.bin'], weights: edit(specs)}],
    ...extra,
  });
}

/**
 * A valid functional model: Input x [null, 3] → Dense a (4) → Dense b (2), topology only, as
 * tfjs's `toJSON` writes it; `edit` changes it (layers[1] is a, layers[2] is b).
 */
function functional(edit: (layers: Array<Record<string, unknown>>) => void): string {
  const layers: Array<Record<string, unknown>> = [
    {
      name: 'x',
      class_name: 'InputLayer',
      config: {name: 'x', batch_input_shape: [null, 3], dtype: 'float32', sparse: false},
      inbound_nodes: [],
    },
    {
      name: 'a',
      class_name: 'Dense',
      config: {name: 'a', units: 4},
      inbound_nodes: [[['x', 0, 0, {}]]],
    },
    {
      name: 'b',
      class_name: 'Dense',
      config: {name: 'b', units: 2},
      inbound_nodes: [[['a', 0, 0, {}]]],
    },
  ];
  edit(layers);
  return JSON.stringify({
    modelTopology: {
      class_name: 'Model',
      config: {name: 'f', layers, input_layers: [['x', 0, 0]], output_layers: [['b', 0, 0]]},
    },
    format: 'layers-model',
  });
}

/** A stateful RNN over StackedRNNCells of `units`, with batch `batch`, as a Sequential model. */
function stackedStateful(units: number[], batch: number): string {
  return JSON.stringify({
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'm',
        layers: [
          {
            class_name: 'RNN',
            config: {
              name: 'rnn',
              stateful: true,
              batch_input_shape: [batch, 2, 1],
              cell: {
                class_name: 'StackedRNNCells',
                config: {cells: units.map((u) => ({class_name: 'LSTMCell', config: {units: u}}))},
              },
            },
          },
        ],
      },
    },
    format: 'layers-model',
  });
}

/** A stateful LSTM(4) over batches of 2, as JSON text. */
const HOSTILE_STATEFUL = JSON.stringify({
  modelTopology: {
    class_name: 'Sequential',
    config: {
      name: 'm',
      layers: [
        {
          class_name: 'LSTM',
          config: {name: 'lstm', units: 4, stateful: true, batch_input_shape: [2, 3, 1]},
        },
      ],
    },
  },
  format: 'layers-model',
});

/** Name → {what is wrong, the file's text}. */
export const HOSTILE: Readonly<Record<string, {what: string; text: string}>> = {
  'proto-key': replaced(
    'a `__proto__` key in a layer config',
    '"units":4',
    '"units":4,"__proto__":{"polluted":true}',
  ),
  'constructor-key': replaced(
    'a `constructor.prototype` key in an initializer config',
    '"gain":1',
    '"gain":1,"constructor":{"prototype":{"polluted":true}}',
  ),
  'constructor-class': replaced(
    'a layer whose class is `constructor`',
    '"class_name":"Dense"',
    '"class_name":"constructor"',
  ),
  'to-string-initializer': replaced(
    'an initializer class `to_string` (tfjs camel-cases it to `toString`)',
    '"class_name":"XavierUniformCustom"',
    '"class_name":"to_string"',
  ),
  'units-string': {what: '`units` is a string', text: unitsText('"4"')},
  'units-null': {what: '`units` is null', text: unitsText('null')},
  'units-fraction': {what: '`units` is 2.5', text: unitsText('2.5')},
  'units-infinite': {what: '`units` is 1e999 (parsed as Infinity)', text: unitsText('1e999')},
  'units-huge': {what: '`units` is 1e12', text: unitsText('1e12')},
  'kernel-huge': {
    what: 'Dense(100000 → 100000): a kernel of 1e10 elements',
    text: withLayer((c) => Object.assign(c, {units: 100000, batch_input_shape: [null, 100000]})),
  },
  'total-huge': {
    what: 'three Dense(20000 → 20000) layers: 1.2e9 weights in all, each kernel within the per-weight limit',
    text: JSON.stringify({
      ...baseModel(),
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'm',
          layers: [0, 1, 2].map((i) => ({
            class_name: 'Dense',
            config: {
              name: `dense${i}`,
              units: 20000,
              ...(i === 0 ? {batch_input_shape: [null, 20000]} : {}),
            },
          })),
        },
      },
    }),
  },
  'input-shape-huge': {
    what: 'an input shape of 1e12 elements',
    text: withLayer((c) => Object.assign(c, {batch_input_shape: [1000000, 1000000]})),
  },
  'stateful-huge': {
    what: 'a stateful LSTM(1000) with batch size 1e7: state tensors of 2e10 elements',
    text: JSON.stringify({
      ...baseModel(),
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'm',
          layers: [
            {
              class_name: 'LSTM',
              config: {
                name: 'lstm',
                units: 1000,
                stateful: true,
                batch_input_shape: [10000000, 2, 1],
              },
            },
          ],
        },
      },
    }),
  },
  'builtin-nan-scale': replaced(
    "tfjs's VarianceScaling with `scale` a list (tfjs does not " +
      'check it; its truncated normal then rejects NaN forever)',
    '"kernel_initializer":{"class_name":"XavierUniformCustom","config":{"gain":1,"seed":1}}',
    '"kernel_initializer":{"class_name":"VarianceScaling","config":' +
      '{"scale":[846069,254374],"mode":"fan_avg","distribution":"normal","seed":null}}',
  ),
  'bias-rank': replaced(
    'XavierUniformCustom as a bias initializer (a rank-1 weight has no fans)',
    '"units":4',
    '"units":4,"bias_initializer":{"class_name":"XavierUniformCustom","config":{}}',
  ),
  'layer-as-initializer': replaced(
    'a layer class (Dense) named as a kernel initializer',
    '"kernel_initializer":{"class_name":"XavierUniformCustom","config":{"gain":1,"seed":1}}',
    '"kernel_initializer":{"class_name":"Dense","config":{"units":1}}',
  ),
  'seed-string': replaced('an initializer seed given as a string', '"seed":1', '"seed":"7"'),
  'unknown-layer': replaced(
    'a layer class nobody registered',
    '"class_name":"Dense"',
    '"class_name":"NoSuchLayer"',
  ),
  'keras-l2-regularizer': replaced(
    "Keras 2's L2 regularizer class, which tfjs does not register (it has L1L2)",
    '"units":4',
    '"units":4,"kernel_regularizer":{"class_name":"L2","config":{"l2":0.01}}',
  ),
  'keras3-input-layer': {
    what: 'a Keras 3 InputLayer (`batch_shape`, which tfjs 4.x does not read)',
    text: JSON.stringify({
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'm',
          layers: [
            {class_name: 'InputLayer', config: {name: 'input_layer', batch_shape: [null, 3]}},
            {class_name: 'Dense', config: {name: 'dense', units: 4}},
          ],
        },
      },
      format: 'layers-model',
    }),
  },
  'not-a-model': {
    what: 'a topology whose root is a layer, not a model',
    text: JSON.stringify({modelTopology: {class_name: 'Dense', config: {units: 4}}}),
  },
  'deep-nesting': {
    what: 'metadata nested 1000 levels deep',
    text: JSON.stringify(baseModel()).replace(
      /}$/,
      `,"userDefinedMetadata":${'['.repeat(1000)}${']'.repeat(1000)}}`,
    ),
  },
  'manifest-huge': {
    what: 'a weights manifest that declares a 1e12-element kernel',
    text: withManifest([1000000, 1000000]),
  },
  'manifest-dtype': {
    what: 'a weights manifest with dtype float64',
    text: withManifest([3, 4], {dtype: 'float64'}),
  },
  'manifest-escape': {
    what: 'a weights manifest whose file is outside the model directory',
    text: withManifest([3, 4], {}, ['../../../outside.bin']),
  },
  'weights-oversize': {
    what: 'a weights file larger than its manifest declares (64 bytes declared)',
    text: withManifest([3, 4]),
  },
  'weights-short': {
    what: 'a weights file one byte shorter than its manifest declares (64 bytes declared)',
    text: withManifest([3, 4]),
  },
  'manifest-transposed': {
    what: 'the Dense kernel [3, 4] saved as [4, 3]',
    text: withManifest([4, 3]),
  },
  'manifest-duplicate': {
    what: 'the bias listed twice (tfjs would keep the second and leak the first)',
    text: withSpecs((s) => [...s, {...s[1]}]),
  },
  'manifest-missing': {
    what: 'the bias left out of the manifest',
    text: withSpecs((s) => s.slice(0, 1)),
  },
  'manifest-extra': {
    what: 'a manifest entry no weight of the model has',
    text: withSpecs((s) => [...s, {name: 'dense/gamma', shape: [4], dtype: 'float32'}]),
  },
  'manifest-int-bias': {
    what: 'an int32 bias for the float32 one',
    text: withSpecs((s) => [s[0], {...s[1], dtype: 'int32'}]),
  },
  'manifest-quantization-null': {
    what: 'a `quantization` of null (tfjs reads its dtype and throws a TypeError)',
    text: withSpecs((s) => [{...s[0], quantization: null}, s[1]]),
  },
  'manifest-absolute': {
    what: 'a weights path that is absolute',
    text: withManifest([3, 4], {}, ['/etc/hostname']),
  },
  'manifest-nul': {
    what: 'a NUL byte in a weights path',
    text: withManifest([3, 4], {}, ['weights.bin\u0000.txt']),
  },
  'manifest-folder': {
    what: 'a weights path that names the model folder itself',
    text: withManifest([3, 4], {}, ['.']),
  },
  'manifest-twice': {
    what: 'one weights file named twice',
    text: withManifest([3, 4], {}, ['weights.bin', 'weights.bin']),
  },
  'training-loss': {
    what: 'a training config whose loss tfjs does not know (tfjs would build every weight, then fail)',
    text: withSpecs((s) => s, {
      trainingConfig: {
        loss: 'no_such_loss',
        metrics: null,
        optimizer_config: {class_name: 'SGD', config: {learningRate: 0.1}},
      },
    }),
  },
  'graph-missing-layer': {
    what:
      "a functional model whose layer b takes its input from a layer 'nosuch' it does not have " +
      '(tfjs waits for it forever)',
    text: functional((l) => {
      l[2].inbound_nodes = [[['nosuch', 0, 0, {}]]];
    }),
  },
  'graph-cycle': {
    what: 'a functional model whose layers a and b take their inputs from each other (tfjs waits forever)',
    text: functional((l) => {
      l[1].inbound_nodes = [[['b', 0, 0, {}]]];
    }),
  },
  'graph-self-loop': {
    what: 'a functional model whose layer b takes its input from itself (tfjs waits forever)',
    text: functional((l) => {
      l[2].inbound_nodes = [[['b', 0, 0, {}]]];
    }),
  },
  'graph-node-index': {
    what: 'a functional model whose layer b takes node 5 of layer a, which has one node (tfjs waits forever)',
    text: functional((l) => {
      l[2].inbound_nodes = [[['a', 5, 0, {}]]];
    }),
  },
  'stateful-truthy': {
    what: '`"stateful": 1`, which tfjs takes for true (it allocates the states)',
    text: JSON.stringify(JSON.parse(HOSTILE_STATEFUL)).replace('"stateful":true', '"stateful":1'),
  },
  'stacked-stateful': {
    what:
      'a stateful RNN of StackedRNNCells [LSTMCell(5000), LSTMCell(1)] with batch 100000: ' +
      'states of 1.1e9 elements, though its output has 100000',
    text: stackedStateful([5000, 1], 100000),
  },
  'optimizer-sgd-weights': {
    what:
      "optimizer weights (group 'optimizer') for an SGD optimizer, which takes none besides its " +
      'iteration count (tfjs fails after loading every model weight)',
    text: withSpecs(
      (s) => [
        ...s,
        {name: 'iter', shape: [], dtype: 'int32', group: 'optimizer'},
        {name: 'dense/kernel/m', shape: [3, 4], dtype: 'float32', group: 'optimizer'},
        {name: 'dense/bias/m', shape: [4], dtype: 'float32', group: 'optimizer'},
      ],
      {
        trainingConfig: {
          loss: 'mean_squared_error',
          metrics: null,
          optimizer_config: {class_name: 'SGD', config: {learningRate: 0.1}},
        },
      },
    ),
  },
  'duplicate-names': {
    what: "two layers named 'dense' (tfjs builds it, but saves both kernels as dense/kernel)",
    text: JSON.stringify({
      ...baseModel(),
      modelTopology: {
        class_name: 'Sequential',
        config: {
          name: 'm',
          layers: [
            {class_name: 'Dense', config: {name: 'dense', units: 4, batch_input_shape: [null, 3]}},
            {class_name: 'Dense', config: {name: 'dense', units: 2}},
          ],
        },
      },
    }),
  },
  'metadata-flat-array': {
    what: 'metadata holding a flat array of 20000 numbers whose last element is the string "__proto__"',
    text: JSON.stringify(baseModel()).replace(
      /}$/,
      `,"userDefinedMetadata":{"values":[${'0,'.repeat(20000)}"__proto__"]}}`,
    ),
  },
  'metadata-string': {
    what: 'user-defined metadata that is a string, not an object',
    text: withSpecs((s) => s, {userDefinedMetadata: 'x'}),
  },
};

/** Extra files of a hostile fixture directory: weights files of the wrong size. */
export const HOSTILE_FILES: Readonly<Record<string, Record<string, Uint8Array>>> = {
  'weights-oversize': {'weights.bin': new Uint8Array(4096)},
  'weights-short': {'weights.bin': new Uint8Array(63)},
  'manifest-transposed': {'weights.bin': new Uint8Array(64)},
};

/** Where the hostile folders that git cannot hold (links, FIFOs) are built, at test time; ignored by git. */
export const HOSTILE_FS_DIR = '__tests__/fixtures/hostile-fs';

/**
 * Hostile model folders that git cannot hold: each is the valid base model with its 64-byte
 * weights (`withManifest([3, 4])`), and `build(dir, outside)` then turns one file into a link, a
 * FIFO or a hard link (`outside`: a 64-byte file outside every model folder). The error table and
 * the tests build them under {@link HOSTILE_FS_DIR} before loading them.
 */
export const HOSTILE_FS: Readonly<
  Record<string, {what: string; build: (dir: string, outside: string) => void}>
> = {
  'link-outside': {
    what: 'weights.bin a symbolic link to a file outside the folder',
    build: (dir, outside) => fs.symlinkSync(outside, path.join(dir, 'weights.bin')),
  },
  'link-zero': {
    what: 'weights.bin a symbolic link to /dev/zero',
    build: (dir) => fs.symlinkSync('/dev/zero', path.join(dir, 'weights.bin')),
  },
  fifo: {
    what: 'weights.bin a FIFO (reading it would block forever)',
    build: (dir) => execFileSync('mkfifo', [path.join(dir, 'weights.bin')]),
  },
  'hard-link': {
    what: 'weights.bin a hard link to a file outside the folder',
    build: (dir, outside) => fs.linkSync(outside, path.join(dir, 'weights.bin')),
  },
  'link-loop': {
    what: 'weights.bin a symbolic link to itself',
    build: (dir) => fs.symlinkSync('weights.bin', path.join(dir, 'weights.bin')),
  },
  'json-fifo': {
    what: 'model.json a FIFO',
    build: (dir) => {
      fs.writeFileSync(path.join(dir, 'weights.bin'), new Uint8Array(64));
      fs.rmSync(path.join(dir, 'model.json'));
      execFileSync('mkfifo', [path.join(dir, 'model.json')]);
    },
  },
};

/** Builds every {@link HOSTILE_FS} folder under `root` (default {@link HOSTILE_FS_DIR}), afresh. */
export function buildHostileFs(root: string = HOSTILE_FS_DIR): void {
  fs.rmSync(root, {recursive: true, force: true});
  fs.mkdirSync(root, {recursive: true});
  const outside = path.join(root, 'outside.bin');
  fs.writeFileSync(outside, new Uint8Array(64));
  for (const [name, {build}] of Object.entries(HOSTILE_FS)) {
    const dir = path.join(root, name);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'model.json'), withManifest([3, 4]));
    build(dir, outside);
  }
}
