/**
 * The weights manifest against the topology: validateModelJSON pairs each manifest entry with a
 * weight of the dry-built model exactly as tfjs's loader does (by name, with tfjs's fallback for
 * TF 2.2 cell names and Keras 3's index names), and refuses — before any tensor exists — every
 * manifest tfjs would load half-way (leaking), load wrongly, or not at all. What it accepts, tfjs
 * loads with the same values.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError} from '../../../src';
import {loadLayersModelSafely, validateModelJSON} from '../../../src/tools';

type Spec = {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: Record<string, unknown>;
  group?: string;
};

/** The artifacts model.save would write, in memory. */
async function artifactsOf(
  model: tfl.LayersModel,
  options?: {includeOptimizer?: boolean},
): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
    options,
  );
  return saved as tf.io.ModelArtifacts;
}

const data = (a: tf.io.ModelArtifacts): Uint8Array =>
  new Uint8Array(tf.io.CompositeArrayBuffer.join(a.weightData as tf.io.WeightData));

/** A model.json object from artifacts, with `specs` and `extra` fields in place of the saved ones. */
function json(
  a: tf.io.ModelArtifacts,
  specs: Spec[] = a.weightSpecs as Spec[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      modelTopology: a.modelTopology,
      weightsManifest: [{paths: ['weights.bin'], weights: specs}],
      ...extra,
    }),
  );
}

/**
 * Models whose weights tfjs names in each of its ways: plain, wrapped, nested, RNN cells, frozen.
 * (Recurrent kernels use this package's orthogonal initializer: tfjs's own needs the full bundle.)
 */
const MODELS: Record<string, () => tfl.LayersModel> = {
  mlp: () =>
    tfl.sequential({
      layers: [
        tfl.layers.dense({units: 4, inputShape: [3], name: 'd1'}),
        tfl.layers.dense({units: 2, name: 'd2', trainable: false}),
      ],
    }),
  conv: () =>
    tfl.sequential({
      layers: [
        tfl.layers.conv2d({filters: 2, kernelSize: 3, inputShape: [6, 6, 1]}),
        tfl.layers.batchNormalization(),
        tfl.layers.separableConv2d({filters: 3, kernelSize: 1}),
        tfl.layers.flatten(),
        tfl.layers.dense({units: 2}),
      ],
    }),
  recurrent: () =>
    tfl.sequential({
      layers: [
        tfl.layers.embedding({inputDim: 10, outputDim: 3, inputLength: 4}),
        tfl.layers.bidirectional({
          layer: tfl.layers.lstm({
            units: 2,
            returnSequences: true,
            recurrentInitializer: 'OrthogonalInitializer',
          }) as never,
        }),
        tfl.layers.timeDistributed({layer: tfl.layers.dense({units: 2})}),
        tfl.layers.rnn({
          cell: [
            tfl.layers.gruCell({units: 2, recurrentInitializer: 'OrthogonalInitializer'}),
            tfl.layers.simpleRNNCell({units: 2, recurrentInitializer: 'OrthogonalInitializer'}),
          ],
        }),
      ],
    }),
  nested: () => {
    const input = tfl.input({shape: [5]});
    const inner = tfl.sequential({
      layers: [tfl.layers.dense({units: 3, inputShape: [5]}), tfl.layers.dense({units: 2})],
    });
    const a = tfl.layers.dense({units: 2}).apply(input) as tfl.SymbolicTensor;
    return tfl.model({
      inputs: input,
      outputs: tfl.layers
        .add()
        .apply([a, inner.apply(input) as tfl.SymbolicTensor]) as tfl.SymbolicTensor,
    });
  },
};

/** Loads with plain tfjs from the artifacts (specs and data as given); resolves to the values of every weight. */
async function tfjsValues(
  a: tf.io.ModelArtifacts,
  specs: Spec[],
  bytes: Uint8Array,
): Promise<number[][]> {
  const model = await tfl.loadLayersModel({
    load: async () => ({
      ...a,
      weightSpecs: specs as tf.io.WeightsManifestEntry[],
      weightData: bytes.slice().buffer,
    }),
  });
  const values = model.weights.map((w) => Array.from(w.read().dataSync()));
  model.dispose();
  return values;
}

describe('the manifest against the topology', () => {
  it.each(Object.keys(MODELS))(
    '%s: the saved manifest pairs with every planned weight; its bytes are exactly the weight data',
    async (name) => {
      const model = MODELS[name]();
      const a = await artifactsOf(model);
      const before = tf.memory().numTensors;
      const report = await validateModelJSON(json(a));
      expect(tf.memory().numTensors).toBe(before);
      expect(report.manifestBytes).toBe(data(a).byteLength);
      expect(report.manifestGroups).toEqual([
        {paths: ['weights.bin'], bytes: data(a).byteLength, place: 'weightsManifest[0]'},
      ]);
      model.dispose();
    },
  );

  /** Edits of a saved manifest, what they do to tfjs, and our refusal. */
  const EDITS: Array<[string, (specs: Spec[]) => Spec[], RegExp]> = [
    [
      'a kernel saved transposed',
      (s) => s.map((w, i) => (i === 0 ? {...w, shape: [...w.shape].reverse()} : w)),
      /weightsManifest\[0\]\.weights\[0\]\.shape: weight '.*kernel' has shape \[4, 3\], but the model's weight has shape \[3, 4\]/,
    ],
    [
      'the same weight listed twice',
      (s) => [...s, {...s[0]}],
      /weightsManifest\[0\]\.weights\[4\]\.name: weight '.*' is listed twice \(also at weightsManifest\[0\]\.weights\[0\]\)/,
    ],
    [
      'a weight left out',
      (s) => s.slice(1),
      /weightsManifest: 1 of the model's 4 weights are not in the manifest: 'd1\/kernel' \[3, 4\]/,
    ],
    [
      'an entry no weight has',
      (s) => [...s, {name: 'd1/extra', shape: [2], dtype: 'float32'}],
      /weightsManifest\[0\]\.weights\[4\]\.name: weight 'd1\/extra' is not a weight of the model \(it has d1\/kernel, d1\/bias, d2\/kernel, d2\/bias\)/,
    ],
    [
      'an int32 bias for a float32 one',
      (s) => s.map((w, i) => (i === 1 ? {...w, dtype: 'int32'} : w)),
      /weights\[1\]\.dtype: weight 'd1\/bias' has dtype "int32", but the model's weight has dtype "float32"/,
    ],
    [
      'two names for one weight (one with a cell name tfjs drops)',
      (s) => [...s, {...s[0], name: 'd1/cell/kernel'}],
      /weights\[4\]\.name: weight 'd1\/cell\/kernel' is the model's weight 'd1\/kernel', which weightsManifest\[0\]\.weights\[0\] already gives/,
    ],
    [
      'string weights',
      (s) => s.map((w, i) => (i === 1 ? {...w, dtype: 'string'} : w)),
      /weights\[1\]\.dtype: must be one of float32, int32, bool, complex64 \(string weights have no fixed size, and no tfjs layer creates one\)\. Received: "string"/,
    ],
    [
      'quantization null (tfjs reads its dtype and throws a TypeError)',
      (s) => s.map((w, i) => (i === 0 ? {...w, quantization: null as never} : w)),
      /weights\[0\]\.quantization: must be \{dtype, scale, min\} or \{dtype: 'float16'\}\. Received: null/,
    ],
    [
      'uint8 quantization without scale',
      (s) => s.map((w, i) => (i === 0 ? {...w, quantization: {dtype: 'uint8', min: 0}} : w)),
      /weights\[0\]\.quantization\.scale: must be a number \(tfjs dequantizes v·scale \+ min\)\. Received: undefined/,
    ],
    [
      'float16 quantization of an int32 weight',
      (s) =>
        s.map((w, i) => (i === 1 ? {...w, dtype: 'int32', quantization: {dtype: 'float16'}} : w)),
      /weights\[1\]\.dtype: must be float32 for a weight quantized as float16\. Received: "int32"/,
    ],
    [
      'an optimizer weight without a training config',
      (s) => [...s, {name: 'iter', shape: [], dtype: 'int32', group: 'optimizer'}],
      /weights\[4\]\.group: optimizer weight 'iter', but the file has no trainingConfig/,
    ],
  ];

  it.each(
    EDITS.map(([what, edit, message]): [string, (s: Spec[]) => Spec[], RegExp] => [
      what,
      edit,
      message,
    ]),
  )('%s: refused before any tensor exists', async (_what, edit, message) => {
    const model = MODELS.mlp();
    const a = await artifactsOf(model);
    model.dispose();
    const before = tf.memory().numTensors;
    const error = await validateModelJSON(json(a, edit(a.weightSpecs as Spec[]))).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InitializerError);
    expect((error as Error).message).toMatch(message);
    expect(tf.memory().numTensors).toBe(before);
  });

  it(
    'what plain tfjs does with them: a transposed kernel leaks ' +
      'tensors, a duplicate silently loads the second copy',
    async () => {
      const model = MODELS.mlp();
      const a = await artifactsOf(model);
      model.dispose();
      const specs = a.weightSpecs as Spec[];
      const before = tf.memory().numTensors;
      await expect(
        tfjsValues(a, [{...specs[0], shape: [4, 3]}, ...specs.slice(1)], data(a)),
      ).rejects.toThrow();
      expect(tf.memory().numTensors).toBeGreaterThan(before); // what validateModelJSON prevents
      const leaked = tf.memory().numTensors;
      // Two entries named d1/bias: tfjs keeps the later one, reading bytes meant for another weight.
      const dup = [specs[0], {...specs[1]}, {...specs[1]}, specs[2], specs[3]];
      const bytes = new Uint8Array(data(a).byteLength + 16);
      bytes.set(data(a).subarray(0, 64));
      bytes.set(new Uint8Array(new Float32Array([9, 9, 9, 9]).buffer), 64);
      bytes.set(data(a).subarray(64), 80);
      const values = await tfjsValues(a, dup, bytes);
      expect(values[1]).toEqual([9, 9, 9, 9]);
      expect(tf.memory().numTensors - leaked).toBe(1); // and the first copy's tensor is never disposed
    },
  );

  it("TF 2.2's cell names (lstm/lstm_cell/kernel) pair as tfjs pairs them, and load the same values", async () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.lstm({
          units: 2,
          inputShape: [3, 2],
          name: 'lstm',
          recurrentInitializer: 'OrthogonalInitializer',
        }),
      ],
    });
    const a = await artifactsOf(model);
    const renamed = (a.weightSpecs as Spec[]).map((w) => ({
      ...w,
      name: w.name.replace('lstm/', 'lstm/lstm_cell/'),
    }));
    expect(renamed[0].name).toBe('lstm/lstm_cell/kernel');
    await expect(validateModelJSON(json(a, renamed))).resolves.toBeDefined();
    expect(await tfjsValues(a, renamed, data(a))).toEqual(
      model.weights.map((w) => Array.from(w.read().dataSync())),
    );
    model.dispose();
  });

  it("Keras 3's index names (dense/0, dense/1) pair by position in each layer, as tfjs pairs them", async () => {
    const model = MODELS.mlp();
    const a = await artifactsOf(model);
    const byIndex = (a.weightSpecs as Spec[]).map((w, i) => ({
      ...w,
      name: `${w.name.split('/')[0]}/${i % 2}`,
    }));
    await expect(validateModelJSON(json(a, byIndex))).resolves.toBeDefined();
    expect(await tfjsValues(a, byIndex, data(a))).toEqual(
      model.weights.map((w) => Array.from(w.read().dataSync())),
    );
    const swapped = byIndex.map((w, i) =>
      i === 0 ? {...w, name: 'd1/1'} : i === 1 ? {...w, name: 'd1/0'} : w,
    );
    await expect(validateModelJSON(json(a, swapped))).rejects.toThrow(
      "weightsManifest[0].weights[0].shape: weight 'd1/1' has shape [3, 4], but the model's weight has shape [4]",
    );
    model.dispose();
  });

  it('quantized weights take the bytes their quantization implies, and tfjs loads them', async () => {
    const model = MODELS.mlp();
    const a = await artifactsOf(model);
    model.dispose();
    const specs = (a.weightSpecs as Spec[]).map((w) => ({
      ...w,
      quantization: {dtype: 'uint8', scale: 0.5, min: -1},
    }));
    const report = await validateModelJSON(json(a, specs));
    expect(report.manifestBytes).toBe(12 + 4 + 8 + 2); // one byte per element
    const bytes = Uint8Array.from({length: 26}, (_, i) => i);
    const values = await tfjsValues(a, specs, bytes);
    expect(values[0][5]).toBe(5 * 0.5 - 1);
    const half = (a.weightSpecs as Spec[]).map((w) => ({...w, quantization: {dtype: 'float16'}}));
    expect((await validateModelJSON(json(a, half))).manifestBytes).toBe(2 * 26);
  });

  it(
    'loadLayersModelSafely: the weight data must have exactly ' +
      'the bytes the specs need; strict: false lets weights be ' +
      'missing or extra, never mismatched',
    async () => {
      const model = MODELS.mlp();
      const a = await artifactsOf(model);
      model.dispose();
      const specs = a.weightSpecs as Spec[];
      const handler = (weightSpecs: Spec[], bytes: Uint8Array): tf.io.IOHandler => ({
        load: async () => ({
          ...a,
          weightSpecs: weightSpecs as tf.io.WeightsManifestEntry[],
          weightData: bytes.slice().buffer,
        }),
      });
      const before = tf.memory().numTensors;
      await expect(loadLayersModelSafely(handler(specs, data(a).subarray(0, 100)))).rejects.toThrow(
        'loadLayersModelSafely: the weight data has 100 bytes, but its weight specs need exactly 104',
      );
      await expect(
        loadLayersModelSafely(handler(specs.slice(1), data(a).subarray(48))),
      ).rejects.toThrow("1 of the model's 4 weights are not in the manifest");
      const partial = await loadLayersModelSafely(handler(specs.slice(1), data(a).subarray(48)), {
        strict: false,
      });
      expect(partial.countParams()).toBe(26);
      partial.dispose();
      const extra = [...specs, {name: 'unused', shape: [2], dtype: 'float32'}];
      const withExtra = new Uint8Array(112);
      withExtra.set(data(a));
      (await loadLayersModelSafely(handler(extra, withExtra), {strict: false})).dispose();
      await expect(
        loadLayersModelSafely(handler([{...specs[0], shape: [4, 3]}, ...specs.slice(1)], data(a)), {
          strict: false,
        }),
      ).rejects.toThrow("has shape [4, 3], but the model's weight has shape [3, 4]");
      expect(tf.memory().numTensors).toBe(before);
      await expect(loadLayersModelSafely('file:///etc/model.json')).rejects.toThrow(
        'loadLayersModelSafely: "file:///etc/model.json" is a local ' +
          'file: pass fileIO(path) from tfjs-initializers/node',
      );
    },
  );

  it(
    'the training config and metadata tfjs applies after ' +
      'building are checked too: a bad one is refused, nothing ' +
      'left behind',
    async () => {
      const model = MODELS.mlp();
      model.compile({optimizer: 'adam', loss: 'meanSquaredError'});
      const a = await artifactsOf(model, {includeOptimizer: true});
      model.dispose();
      const before = tf.memory().numTensors;
      const good = json(a, a.weightSpecs as Spec[], {trainingConfig: a.trainingConfig});
      // The optimizer's `iter` weight is accepted with its config.
      await expect(validateModelJSON(good)).resolves.toBeDefined();
      expect(tf.memory().numTensors).toBe(before);
      const badLoss = json(a, a.weightSpecs as Spec[], {
        trainingConfig: {...a.trainingConfig, loss: 'no_such_loss'},
      });
      await expect(validateModelJSON(badLoss)).rejects.toThrow(
        'validateModelJSON: trainingConfig: tfjs could not compile the model from it: Unknown loss noSuchLoss',
      );
      const weighted = json(a, a.weightSpecs as Spec[], {
        trainingConfig: {...a.trainingConfig, weighted_metrics: ['mse']},
      });
      await expect(validateModelJSON(weighted)).rejects.toThrow(
        'tfjs could not compile the model from it: Loading weight_metrics is not supported yet.',
      );
      await expect(
        validateModelJSON(json(a, a.weightSpecs as Spec[], {userDefinedMetadata: 'x'})),
      ).rejects.toThrow(
        'validateModelJSON: userDefinedMetadata: must be a JSON object. Received: "x"',
      );
      expect(tf.memory().numTensors).toBe(before);
      // What tfjs itself does with the bad loss: builds every weight, then fails, leaving them behind.
      await expect(
        tfl.loadLayersModel({
          load: async () => ({
            ...a,
            trainingConfig: {...(a.trainingConfig as tf.io.TrainingConfig), loss: 'no_such_loss'},
          }),
        }),
      ).rejects.toThrow('Unknown loss');
      expect(tf.memory().numTensors).toBeGreaterThan(before);
    },
  );

  it('a non-object model_config (tfjs takes any non-null one as the topology) is refused', async () => {
    await expect(validateModelJSON({modelTopology: {model_config: 'x'}})).rejects.toThrow(
      'validateModelJSON: modelTopology.model_config: must be an object (a tfjs LayersModel topology). Received: "x"',
    );
  });
});
