/**
 * validateModelJSON, loadLayersModelSafely and fileIO on untrusted files: real models of every
 * common layer kind pass with exactly the weights tfjs then creates; hostile ones are refused
 * without touching any global (Object.prototype included) and without allocating.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import {InitializerError, getDrawCount, setSeed} from '../../../src';
import {inspectModel, loadLayersModelSafely, validateModelJSON} from '../../../src/tools';
import {fileIO} from '../../../src/node';
import {runCli} from '../../../src/cli/main';
import {EXIT} from '../../../src/cli/exit-codes';
import {HOSTILE, baseModel} from '../../../scripts/hostile-models';
// Imported last: it records the globals as they are now, after tfjs and the package have loaded.
import {assertNoPoisoning} from '@fast-check/poisoning';

/** Globals that change by design: tfjs's engine state (tensor counts, registered variables). */
const IGNORED_GLOBALS = /^_tfengine$/;

const topology = (model: tfl.LayersModel): Record<string, unknown> =>
  JSON.parse(JSON.stringify({modelTopology: model.toJSON(null, false)}));

/** Models covering the layer kinds whose weights the dry build must see. */
function models(): Record<string, () => tfl.LayersModel> {
  return {
    mlp: () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({units: 8, inputShape: [4], kernelInitializer: 'XavierUniformCustom'}),
          tfl.layers.dense({units: 2}),
        ],
      }),
    conv: () =>
      tfl.sequential({
        layers: [
          tfl.layers.conv2d({
            filters: 4,
            kernelSize: 3,
            inputShape: [8, 8, 2],
            kernelInitializer: 'DeltaOrthogonal',
          }),
          tfl.layers.batchNormalization(),
          tfl.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2}),
          tfl.layers.separableConv2d({filters: 3, kernelSize: 1}),
          tfl.layers.flatten(),
          tfl.layers.dense({units: 5}),
        ],
      }),
    recurrent: () =>
      tfl.sequential({
        layers: [
          tfl.layers.embedding({inputDim: 20, outputDim: 6, inputLength: 5}),
          tfl.layers.lstm({
            units: 7,
            returnSequences: true,
            recurrentInitializer: 'OrthogonalInitializer',
          }),
          tfl.layers.bidirectional({
            layer: tfl.layers.gru({
              units: 3,
              returnSequences: true,
              recurrentInitializer: 'OrthogonalInitializer',
            }) as never,
          }),
          tfl.layers.timeDistributed({layer: tfl.layers.dense({units: 2})}),
          tfl.layers.simpleRNN({units: 4, recurrentInitializer: 'Eye'}),
        ],
      }),
    stateful: () =>
      tfl.sequential({
        layers: [
          tfl.layers.lstm({
            units: 5,
            stateful: true,
            batchInputShape: [3, 4, 2],
            recurrentInitializer: 'OrthogonalInitializer',
          }),
        ],
      }),
    functional: () => {
      const input = tfl.input({shape: [6]});
      const inner = tfl.sequential({layers: [tfl.layers.dense({units: 3, inputShape: [6]})]});
      const a = tfl.layers
        .dense({units: 3, kernelInitializer: 'SparseInit'})
        .apply(input) as tfl.SymbolicTensor;
      const b = inner.apply(input) as tfl.SymbolicTensor;
      return tfl.model({
        inputs: input,
        outputs: tfl.layers.concatenate().apply([a, b]) as tfl.SymbolicTensor,
      });
    },
  };
}

describe('validateModelJSON on real models', () => {
  it.each(Object.keys(models()))(
    '%s: passes, lists exactly the weights tfjs creates, allocates nothing and draws nothing',
    async (name) => {
      const original = models()[name]();
      const json = topology(original);
      const frozen = JSON.stringify(json);
      setSeed(3);
      const before = tf.memory().numTensors;
      const report = await validateModelJSON(json);
      expect(tf.memory().numTensors).toBe(before);
      expect(getDrawCount()).toBe(0); // no initializer ran
      expect(JSON.stringify(json)).toBe(frozen); // the argument is not modified
      const loaded = await tfl.models.modelFromJSON(json as never);
      // The same weights (model.weights lists trainable ones first, the report in creation order; a
      // wrapped layer's weights carry the wrapper's name in tfjs, the inner layer's in the report).
      const real = loaded.weights.map((w) => {
        const elements = w.shape.reduce((a, b) => (a as number) * (b as number), 1);
        return `${w.originalName.split('/').pop()} ${JSON.stringify(w.shape)} ${elements}`;
      });
      const planned = report.weights.map(
        (w) => `${w.name} ${JSON.stringify(w.shape)} ${w.elements}`,
      );
      expect(planned.sort()).toEqual(real.sort());
      expect(report.weightElements).toBe(loaded.countParams());
      if (name === 'stateful') {
        // tfjs allocates the h and c states [batch, units] when it builds a stateful LSTM: 2·3·5.
        expect(report.stateElements).toBeGreaterThanOrEqual(2 * 3 * 5);
      } else {
        expect(report.stateElements).toBe(0);
      }
      tf.dispose([original, loaded] as never);
    },
  );

  it('the limits are exact: a model at the limit passes, one element more fails', async () => {
    const json = JSON.parse(JSON.stringify(baseModel())); // Dense(3 → 4): 12 + 4 = 16 elements
    await expect(validateModelJSON(json, {maxTotalElements: 16})).resolves.toMatchObject({
      weightElements: 16,
    });
    await expect(validateModelJSON(json, {maxTotalElements: 15})).rejects.toThrow(
      "layer 'dense' would create weight 'bias' of shape [4], " +
        'which brings the model to 16 elements, more than the 15 ' +
        'allowed (limit maxTotalElements)',
    );
    await expect(validateModelJSON(json, {maxWeightElements: 12})).resolves.toBeDefined();
    await expect(validateModelJSON(json, {maxWeightElements: 11})).rejects.toThrow(
      '12 elements, more than the 11 one weight may have (limit maxWeightElements)',
    );
    await expect(validateModelJSON(json, {maxLayers: 1})).resolves.toBeDefined();
    const two = JSON.parse(JSON.stringify(baseModel()));
    two.modelTopology.config.layers.push({class_name: 'Dense', config: {name: 'dense2', units: 2}});
    await expect(validateModelJSON(two, {maxLayers: 1})).rejects.toThrow(
      'the model has more than 1 layers (limit maxLayers)',
    );
  });

  it(
    'a tfjs built-in initializer on a huge kernel is refused ' +
      'before it runs (tfjs itself would allocate it)',
    async () => {
      const json = JSON.parse(HOSTILE['kernel-huge'].text);
      json.modelTopology.config.layers[0].config.kernel_initializer = {
        class_name: 'Orthogonal',
        config: {gain: 1, seed: null},
      };
      const before = tf.memory().numTensors;
      await expect(validateModelJSON(json)).rejects.toThrow(
        "layer 'dense' would create weight 'kernel' of shape [100000, 100000]",
      );
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('build: false checks the file only, without tfjs', async () => {
    const json = JSON.parse(HOSTILE['kernel-huge'].text);
    await expect(validateModelJSON(json, {build: false})).resolves.toMatchObject({
      modelClass: 'Sequential',
      layers: 1,
      weights: [],
    });
  });
});

describe('loadLayersModelSafely and fileIO', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'untrusted-'));
  });
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

  it('load a valid model with its weights exactly as tf.loadLayersModel does', async () => {
    const model = models().conv();
    await model.save(fileIO(path.join(dir, 'conv')));
    const safe = await loadLayersModelSafely(fileIO(path.join(dir, 'conv')));
    const plain = await tfl.loadLayersModel(fileIO(path.join(dir, 'conv')));
    expect(safe.weights.map((w) => w.shape)).toEqual(model.weights.map((w) => w.shape));
    safe.weights.forEach((w, i) =>
      expect(Array.from(w.read().dataSync())).toEqual(
        Array.from(model.weights[i].read().dataSync()),
      ),
    );
    expect(plain.countParams()).toBe(safe.countParams());
    tf.dispose([model, safe, plain] as never);
  });

  it(
    'limits reach fileIO: a model over the budget the caller ' +
      'sets is refused before its weights are read',
    async () => {
      const model = models().mlp();
      await model.save(fileIO(path.join(dir, 'mlp')));
      // The manifest already declares 58 elements.
      await expect(
        tfl.loadLayersModel(fileIO(path.join(dir, 'mlp'), {limits: {maxTotalElements: 40}})),
      ).rejects.toThrow(
        'validateModelJSON: weightsManifest: the weights listed add ' +
          'up to more than 40 elements (limit maxTotalElements)',
      );
      // Topology only: the dry build sees the kernel that crosses the limit.
      await expect(
        tfl.loadLayersModel(
          fileIO(path.join(dir, 'mlp'), {weights: false, limits: {maxTotalElements: 40}}),
        ),
      ).rejects.toThrow(
        /validateModelJSON: modelTopology: layer 'dense_Dense\d+' would create weight 'kernel' of shape \[8, 2\], which brings the model to 56 elements/,
      );
      model.dispose();
    },
  );
});

describe('hostile files leave every global untouched', () => {
  const names = Object.keys(HOSTILE);

  it('the check can fail: a property added to Object.prototype is detected', () => {
    Object.defineProperty(Object.prototype, 'polluted', {
      value: true,
      configurable: true,
      enumerable: false,
      writable: true,
    });
    try {
      expect(() => assertNoPoisoning({ignoredRootRegex: IGNORED_GLOBALS})).toThrow(
        /Poisoning detected on Object\.prototype\.polluted/,
      );
    } finally {
      delete (Object.prototype as Record<string, unknown>).polluted;
    }
    assertNoPoisoning({ignoredRootRegex: IGNORED_GLOBALS});
  });

  /** Files whose JSON is sound but whose weights files are not: only the file loaders can tell. */
  const FILE_LEVEL = [
    'manifest-escape',
    'weights-oversize',
    'weights-short',
    'manifest-absolute',
    'manifest-nul',
    'manifest-folder',
  ];

  it.each(names)(
    '%s: validateModelJSON, loadLayersModelSafely, fileIO, ' +
      'inspect and doctor refuse it, inspectModel survives it; no ' +
      'global changes',
    async (name) => {
      const dir = path.join(__dirname, '..', '..', 'fixtures', 'hostile', name);
      const before = tf.memory().numTensors;
      if (FILE_LEVEL.includes(name))
        await expect(validateModelJSON(JSON.parse(HOSTILE[name].text))).resolves.toBeDefined();
      // inspectModel reads any JSON leniently: it may return or refuse, but only with our error.
      const inspected = await inspectModel(JSON.parse(HOSTILE[name].text)).then(
        () => null,
        (e: unknown) => e,
      );
      if (inspected !== null) expect(inspected).toBeInstanceOf(InitializerError);
      const attempts: Array<() => Promise<unknown>> = [
        ...(FILE_LEVEL.includes(name)
          ? []
          : [() => validateModelJSON(JSON.parse(HOSTILE[name].text))]),
        () => loadLayersModelSafely(fileIO(dir)),
        () => tfl.loadLayersModel(fileIO(dir)),
      ];
      for (const attempt of attempts) {
        const error = await attempt().then(
          () => null,
          (e: unknown) => e,
        );
        // Every hostile file is refused, and by our checks, not by an accident inside tfjs.
        expect(error).toBeInstanceOf(InitializerError);
      }
      // inspect reads the file without loading it: a file that is only too large may pass; doctor
      // loads it and must refuse.
      const io = {out: (): void => undefined, err: (): void => undefined};
      expect([EXIT.ok, EXIT.problems, EXIT.malformed, EXIT.unknownClass]).toContain(
        await runCli(['--backend', 'cpu', 'inspect', dir], io),
      );
      expect(
        await runCli(
          [
            '--backend',
            'cpu',
            'doctor',
            dir,
            '--out',
            path.join(os.tmpdir(), 'hostile-report.html'),
          ],
          io,
        ),
      ).toBeGreaterThanOrEqual(EXIT.usage);
      expect(tf.memory().numTensors).toBe(before);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      assertNoPoisoning({ignoredRootRegex: IGNORED_GLOBALS});
    },
  );

  it(
    'random hostile edits of a valid topology: resolved or ' +
      'refused with an InitializerError, never another error, no ' +
      'global changed',
    async () => {
      const reserved = [
        '__proto__',
        'constructor',
        'prototype',
        'toString',
        'to_string',
        'has_own_property',
        'valueOf',
      ];
      const hostileValue = fc.oneof(
        fc.constantFrom(...reserved),
        fc.constantFrom(NaN, Infinity, -1, 0, 2.5, 1e12, 1e300, null, '4', true),
        fc.array(fc.oneof(fc.integer({min: -5, max: 100000}), fc.constant(null)), {maxLength: 4}),
        fc.dictionary(
          fc.constantFrom(...reserved, 'units', 'seed', 'gain'),
          fc.constantFrom(1, 'x', null),
          {maxKeys: 2},
        ),
      );
      const place = fc.constantFrom(
        'units',
        'batch_input_shape',
        'kernel_initializer',
        'name',
        'class_name',
        'kernel_size',
        'activation',
        'stateful',
        '__proto__',
        'constructor',
      );
      await fc.assert(
        fc.asyncProperty(place, hostileValue, async (key, value) => {
          const text = JSON.stringify(baseModel()).replace(
            '"units":4',
            `"units":4,${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`,
          );
          const json = JSON.parse(text.replace('"units":4,"units":', '"units":'));
          const before = tf.memory().numTensors;
          const error = await validateModelJSON(json).then(
            () => null,
            (e: unknown) => e,
          );
          if (error !== null && !(error instanceof InitializerError)) throw error;
          expect(tf.memory().numTensors).toBe(before);
          assertNoPoisoning({ignoredRootRegex: IGNORED_GLOBALS});
        }),
        {seed: 20240606, numRuns: 150},
      );
    },
  );
});
