import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError, STFT, stft} from '../../src';
import {
  WINDOW_ALIASES,
  WINDOW_NAMES,
  windowValues,
  type WindowName,
} from '../../src/initializers/windows';
import {leakedTensors, take} from '../helpers/stats';

/**
 * STFT against values computed independently: __tests__/fixtures/stft-reference.json holds SciPy's
 * windows (scipy.signal.get_window) and kernels from Keras 3's formula written in float64 NumPy
 * (scripts/stft-reference.py, run by hand). Every value must equal the reference to float32
 * rounding: within half a float32 step of the reference, plus 1e-12 of the kernel's largest value
 * for the reference's own float64 and 13-digit rounding.
 */
interface Reference {
  scipyVersion: string;
  windows: Array<{name: string; length: number; periodic: boolean; values: number[]}>;
  kernels: Array<{
    shape: [number, number, number];
    config: {
      side: string;
      window: string | number[] | null;
      scaling: string | null;
      periodic: boolean;
    };
    values: number[];
  }>;
}

const REF: Reference = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'stft-reference.json'), 'utf8'),
);

/** Half the float32 spacing at |x| (0 for 0). */
function halfUlp32(x: number): number {
  const a = Math.abs(x);
  if (a === 0) return 0;
  return 2 ** (Math.max(Math.floor(Math.log2(a)), -126) - 24);
}

/** The largest |ours − reference| beyond float32 rounding (≤ 0 means every value is within it). */
function excess(ours: ArrayLike<number>, ref: readonly number[]): number {
  expect(ours.length).toBe(ref.length);
  const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = -Infinity;
  for (let i = 0; i < ref.length; i++)
    worst = Math.max(worst, Math.abs(ours[i] - ref[i]) - halfUlp32(ref[i]) - 1e-12 * scale);
  return worst;
}

/** A Conv1D layer whose kernel the config initializes, built and read back; the model is disposed. */
function throughLayer(shape: readonly number[], config: object, className = 'STFT'): Float32Array {
  const [frameLength, , bins] = shape;
  const model = tfl.sequential({
    layers: [
      tfl.layers.conv1d({
        filters: bins,
        kernelSize: frameLength,
        strides: Math.max(1, frameLength >> 1),
        inputShape: [2 * frameLength, 1],
        useBias: false,
        kernelInitializer: {className, config} as never,
      }),
    ],
  });
  const kernel = model.getWeights()[0];
  expect(kernel.shape).toEqual(shape);
  const values = kernel.dataSync() as Float32Array;
  model.dispose();
  return values;
}

describe('STFT windows', () => {
  it(
    `every supported name and alias, symmetric and periodic, ` +
      `lengths 1–33, equals SciPy ${REF.scipyVersion}'s ` +
      `get_window in float64`,
    () => {
      const names = new Set(REF.windows.map((w) => w.name));
      expect(
        [...names].filter((n) => (WINDOW_NAMES as readonly string[]).includes(n)).sort(),
      ).toEqual([...WINDOW_NAMES].sort());
      for (const {name, length, periodic, values} of REF.windows) {
        const canonical = (
          (WINDOW_NAMES as readonly string[]).includes(name) ? name : WINDOW_ALIASES[name]
        ) as WindowName;
        expect(canonical).toBeDefined();
        const ours = windowValues(canonical, length, periodic);
        const worst = Math.max(...values.map((v, i) => Math.abs(ours[i] - v)));
        if (worst > 1e-12)
          throw new Error(
            `${name}(${length}, periodic ${periodic}): differs from SciPy by ${worst}`,
          );
      }
    },
  );

  it('each window reaches the kernel unchanged: bin 0 of the real side without scaling is w[t] (float32)', () => {
    for (const {name, length, periodic, values} of REF.windows.filter(
      (w) => w.length >= 3 && w.length <= 16,
    )) {
      const ours = take(new STFT({window: name, scaling: null, periodic}).apply([length, 1, 2]));
      const bin0 = Array.from({length}, (_, t) => ours[2 * t]);
      if (excess(bin0, values) > 0)
        throw new Error(
          `${name}(${length}, periodic ${periodic}) in the kernel differs from SciPy beyond float32 rounding`,
        );
    }
  });
});

describe('STFT kernels, built through a layer config {className: "STFT", config}', () => {
  it.each(
    REF.kernels.map(
      (k) => [JSON.stringify(k.shape), JSON.stringify(k.config).slice(0, 90), k] as const,
    ),
  )(
    'shape %s, %s: equals the formula to float32 rounding',
    (_shape, _config, {shape, config, values}) => {
      expect(excess(throughLayer(shape, config), values)).toBeLessThanOrEqual(0);
    },
  );

  it("loads under Keras 3's other name, STFTInitializer, and as the camelCase identifiers", () => {
    const {shape, config, values} = REF.kernels[2];
    expect(excess(throughLayer(shape, config, 'STFTInitializer'), values)).toBeLessThanOrEqual(0);
    const byString = tfl.layers.conv1d({
      filters: 9,
      kernelSize: 16,
      inputShape: [32, 1],
      kernelInitializer: 'stft' as never,
    });
    tfl.sequential({layers: [byString]});
    expect((byString as unknown as {kernelInitializer: unknown}).kernelInitializer).toBeInstanceOf(
      STFT,
    );
    tf.dispose(byString.getWeights());
  });

  it('a 5% error (or the other periodicity, or a float32 step off) would fail', () => {
    const {shape, config, values} = REF.kernels[0]; // hann, symmetric, density
    const ours = throughLayer(shape, config);
    expect(
      excess(
        ours.map((v) => v * 1.05),
        values,
      ),
    ).toBeGreaterThan(0);
    expect(excess(throughLayer(shape, {...config, periodic: true}), values)).toBeGreaterThan(0);
    const i = values.findIndex((v) => Math.abs(v) > 0.1);
    const nudged = Float32Array.from(ours);
    nudged[i] = nudged[i] + 2 * halfUlp32(values[i]) * Math.sign(values[i]) * 1.5;
    expect(excess(nudged, values)).toBeGreaterThan(0);
  });
});

describe('STFT options, defaults and saving', () => {
  it("defaults are Keras 3's: real, hann, density, symmetric", () => {
    expect(new STFT().getConfig()).toEqual({});
    const explicit = {side: 'real', window: 'hann', scaling: 'density', periodic: false} as const;
    expect(new STFT(explicit).getConfig()).toEqual({});
    const hann = REF.kernels[0];
    expect(excess(take(stft({}).apply(hann.shape)), hann.values)).toBeLessThanOrEqual(0);
  });

  it(
    'null is a value: window null means no window and no ' +
      'scaling, scaling null no scaling; both survive saving',
    async () => {
      for (const config of [
        {window: null},
        {scaling: null, window: 'hamming', side: 'imag', periodic: true},
        {window: [1, 2, 3, 4, 5, 6, 7, 8], scaling: 'spectrum'},
      ]) {
        const model = tfl.sequential({
          layers: [
            tfl.layers.conv1d({
              filters: 5,
              kernelSize: 8,
              inputShape: [16, 1],
              kernelInitializer: new STFT(config as never),
            }),
          ],
        });
        const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
        const saved = json.config.layers[0].config.kernel_initializer;
        expect(saved.class_name).toBe('STFT');
        expect(saved.config).toEqual({...new STFT().getConfig(), ...config});
        const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
        const init = (loaded.layers[0] as unknown as {kernelInitializer: STFT}).kernelInitializer;
        expect(init.getConfig()).toEqual(new STFT(config as never).getConfig());
        expect(loaded.getWeights()[0].dataSync()).toEqual(model.getWeights()[0].dataSync());
        tf.dispose([model, loaded] as never);
      }
      const unwindowed = take(new STFT({window: null, scaling: 'spectrum'}).apply([4, 1, 3]));
      expect(Array.from(unwindowed)).toEqual(
        [1, 1, 1, 1, 0, -1, 1, -1, 1, 1, 0, -1].map(Math.fround),
      );
    },
  );

  it('an alias is kept as written, so a saved file says what its author wrote', () => {
    expect(new STFT({window: 'han'}).getConfig().window).toBe('han');
    expect(take(new STFT({window: 'han'}).apply([16, 1, 9]))).toEqual(
      take(new STFT({window: 'hann'}).apply([16, 1, 9])),
    );
  });

  it('bad shapes, windows and scalings throw InitializerError before allocating; nothing leaks', () => {
    const bad: Array<[object, number[], RegExp]> = [
      [{}, [8, 5], /needs a Conv1D kernel \[frameLength, 1, bins\] \(rank 3\)/],
      [{}, [8, 3, 5], /needs one input channel/],
      [{}, [8, 1, 1], /needs bins >= 2/],
      [
        {window: [1, 2]},
        [8, 1, 5],
        /must have one value per frame sample: 2 values for frameLength=8/,
      ],
      [{window: 'bartlett'}, [2, 1, 5], /L2 norm, which is 0/],
    ];
    for (const [options, shape, message] of bad) {
      const before = tf.memory().numTensors;
      expect(() => new STFT(options).apply(shape)).toThrow(InitializerError);
      expect(() => new STFT(options).apply(shape)).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    }
    expect(() => new STFT({window: 'kaiser'})).toThrow(
      /STFT: option `window` must be one of 'hann', 'hamming'/,
    );
    expect(() => new STFT({side: 'imaginary' as never})).toThrow(
      /option `side` must be one of 'real', 'imag'/,
    );
    expect(() => new STFT({scaling: 'l2' as never})).toThrow(
      /option `scaling` must be one of 'density', 'spectrum' or null/,
    );
    expect(() => new STFT({periodic: 'yes' as never})).toThrow(
      /option `periodic` must be true or false/,
    );
    expect(take(new STFT({window: 'bartlett', scaling: null}).apply([2, 1, 3]))).toEqual(
      new Float32Array(6),
    ); // no scaling: zeros are fine
    expect(leakedTensors(() => new STFT({side: 'imag'}).apply([64, 1, 33]))).toBe(0);
  });
});
