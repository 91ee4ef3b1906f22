import * as tfl from '@tensorflow/tfjs-layers';
import {
  InitializerError,
  LecunNormal,
  LecunUniform,
  VarianceScalingInitializer,
  XavierNormal,
  lecunNormal,
  lecunUniform,
  varianceScalingInitializer,
  xavierNormal,
  type FanMode,
  type ScalingDistribution,
} from '../../src';
import {TRUNCATED_STD_RATIO} from '../../src/initializers/variance-scaling';
import {
  KURTOSIS,
  leakedTensors,
  meanTolerance,
  moments,
  take,
  varianceTolerance,
} from '../helpers/stats';

/** Variance of N(0, 1) truncated to [−2, 2]: 1 − 4φ(2)/P, P = Φ(2) − Φ(−2). */
const TRUNC_VAR = 1 - (4 * Math.exp(-2)) / Math.sqrt(2 * Math.PI) / 0.9544997361036416;

function fourthMoment(values: Float32Array, mean: number): number {
  let s = 0;
  for (const v of values) s += (v - mean) ** 4;
  return s / values.length;
}

/** The fan-axis options, all unset, as every variance-scaling config saves them. */

describe('VarianceScalingInitializer: the one core', () => {
  it('the truncation constant is the std of N(0, 1) cut at ±2', () => {
    expect(Math.sqrt(TRUNC_VAR)).toBeCloseTo(TRUNCATED_STD_RATIO, 12);
  });

  const fans = {fanIn: 300, fanOut: 800};
  const n: Record<FanMode, number> = {
    fanIn: 300,
    fanOut: 800,
    fanAvg: 550,
    fanGeoAvg: Math.sqrt(300 * 800),
  };
  const cases: Array<[FanMode, ScalingDistribution]> = [];
  for (const mode of ['fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'] as FanMode[]) {
    for (const dist of ['truncatedNormal', 'untruncatedNormal', 'uniform'] as ScalingDistribution[])
      cases.push([mode, dist]);
  }

  it.each(cases)(
    'mode %s, %s: Var = scale / n, the right bounds and shape',
    (mode, distribution) => {
      const scale = 2.5;
      const values = take(
        new VarianceScalingInitializer({scale, mode, distribution, seed: 11}).apply([
          fans.fanIn,
          fans.fanOut,
        ]),
      );
      const sigma2 = scale / n[mode];
      const {mean, variance} = moments(values);
      expect(Math.abs(variance - sigma2)).toBeLessThan(
        varianceTolerance(sigma2, values.length, KURTOSIS[distribution]),
      );
      expect(Math.abs(mean)).toBeLessThan(meanTolerance(sigma2, values.length));
      const maxAbs = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
      const sigma = Math.sqrt(sigma2);
      if (distribution === 'uniform')
        expect(maxAbs).toBeLessThanOrEqual(Math.fround(Math.sqrt(3) * sigma));
      if (distribution === 'truncatedNormal')
        expect(maxAbs).toBeLessThanOrEqual(Math.fround((2 * sigma) / TRUNCATED_STD_RATIO));
      if (distribution === 'untruncatedNormal')
        expect(maxAbs).toBeGreaterThan((2.5 * sigma) / TRUNCATED_STD_RATIO);
      // The fourth moment tells the three apart (kurtosis 1.8, 2.37, 3).
      const kurt = fourthMoment(values, mean) / (variance * variance);
      expect(Math.abs(kurt - KURTOSIS[distribution])).toBeLessThan(0.1);
    },
  );

  it('defaults are Keras 3 / JAX: scale 1, fanIn, truncatedNormal', () => {
    expect(new VarianceScalingInitializer().getConfig()).toEqual({}); // every option at its default
    const explicit = {scale: 1, mode: 'fanIn', distribution: 'truncatedNormal'} as const;
    expect(new VarianceScalingInitializer(explicit).getConfig()).toEqual({});
    const values = take(varianceScalingInitializer({seed: 3}).apply([400, 600]));
    expect(Math.abs(moments(values).variance - 1 / 400)).toBeLessThan(
      varianceTolerance(1 / 400, values.length, KURTOSIS.truncatedNormal),
    );
  });

  it('a 5% variance error would fail the tolerance', () => {
    const values = take(new VarianceScalingInitializer({seed: 5}).apply([500, 500]));
    const tol = varianceTolerance(1 / 500, values.length, KURTOSIS.truncatedNormal);
    expect(Math.abs(moments(values).variance - 1.05 / 500)).toBeGreaterThan(tol);
  });

  it('counts conv receptive fields and honours explicit fans', () => {
    const conv = take(
      new VarianceScalingInitializer({
        scale: 2,
        mode: 'fanOut',
        distribution: 'uniform',
        seed: 1,
      }).apply([3, 3, 32, 64]),
    );
    const t = 2 / (9 * 64);
    expect(Math.abs(moments(conv).variance - t)).toBeLessThan(
      varianceTolerance(t, conv.length, 9 / 5),
    );
    const explicit = take(
      new VarianceScalingInitializer({fanIn: 7, fanOut: 9, distribution: 'uniform', seed: 2}).apply(
        [200000],
      ),
    );
    expect(Math.abs(moments(explicit).variance - 1 / 7)).toBeLessThan(
      varianceTolerance(1 / 7, explicit.length, 9 / 5),
    );
  });

  it('is seeded, leak-free, and rejects bad options at construction', () => {
    const init = new VarianceScalingInitializer({seed: 0});
    expect(take(init.apply([20, 30]))).toEqual(take(init.apply([20, 30])));
    expect(leakedTensors(() => new VarianceScalingInitializer().apply([16, 16]))).toBe(0);
    expect(() => new VarianceScalingInitializer({scale: 0})).toThrow(
      /VarianceScalingInitializer: option `scale` must be a finite number > 0. Received: scale=0/,
    );
    expect(() => new VarianceScalingInitializer({mode: 'fan_in' as never})).toThrow(
      /option `mode` must be one of 'fanIn', 'fanOut', 'fanAvg', 'fanGeoAvg'. Received: mode="fan_in"/,
    );
    expect(() => new VarianceScalingInitializer({distribution: 'normal' as never})).toThrow(
      InitializerError,
    );
    expect(() => new VarianceScalingInitializer({fanIn: 0})).toThrow(
      /option `fanIn` must be an integer >= 1/,
    );
    expect(() => new VarianceScalingInitializer({scael: 1} as never)).toThrow(
      /unknown option `scael`/,
    );
    expect(() => new VarianceScalingInitializer().apply([10])).toThrow(/rank >= 2/);
  });

  it('string name and save/load keep the camelCase mode and distribution', () => {
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 4,
          inputShape: [3],
          kernelInitializer: new VarianceScalingInitializer({
            mode: 'fanGeoAvg',
            distribution: 'untruncatedNormal',
            seed: 4,
          }),
        }),
      ],
    });
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    const saved = json.config.layers[0].config.kernel_initializer;
    expect(saved.class_name).toBe('VarianceScalingInitializer');
    const back = tfl.models.modelFromJSON({modelTopology: json} as never);
    return back.then((m) => {
      const layer = m.layers[0] as unknown as {kernelInitializer: VarianceScalingInitializer};
      expect(layer.kernelInitializer).toBeInstanceOf(VarianceScalingInitializer);
      expect(layer.kernelInitializer.getConfig()).toEqual({
        mode: 'fanGeoAvg',
        distribution: 'untruncatedNormal',
        seed: 4,
      });
      const byName = tfl.layers.dense({
        units: 2,
        inputShape: [2],
        kernelInitializer: 'VarianceScalingInitializer',
      });
      tfl.sequential({layers: [byName]});
      expect((byName as unknown as {kernelInitializer: unknown}).kernelInitializer).toBeInstanceOf(
        VarianceScalingInitializer,
      );
    });
  });
});

describe('presets over the core', () => {
  it('XavierNormal: untruncated N(0, gain² · 2/(fanIn + fanOut)), as PyTorch', () => {
    const values = take(new XavierNormal({gain: 1.5, seed: 1}).apply([400, 600]));
    const t = (2.25 * 2) / 1000;
    expect(Math.abs(moments(values).variance - t)).toBeLessThan(
      varianceTolerance(t, values.length, 3),
    );
    expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeGreaterThan(3 * Math.sqrt(t));
    expect(take(xavierNormal({seed: 2}).apply([5, 5]))).toEqual(
      take(new XavierNormal({seed: 2}).apply([5, 5])),
    );
    expect(() => new XavierNormal({gain: -1})).toThrow(
      /XavierNormal: option `gain` must be a finite number > 0/,
    );
  });

  it('LecunNormal: corrected truncated normal, Var = 1/fanIn, |W| ≤ 2s', () => {
    const values = take(new LecunNormal({seed: 3}).apply([3, 3, 16, 2000]));
    const t = 1 / 144;
    expect(Math.abs(moments(values).variance - t)).toBeLessThan(
      varianceTolerance(t, values.length, KURTOSIS.truncatedNormal),
    );
    expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(
      Math.fround((2 * Math.sqrt(t)) / TRUNCATED_STD_RATIO),
    );
    expect(take(lecunNormal({seed: 3}).apply([4, 4]))).toEqual(
      take(new LecunNormal({seed: 3}).apply([4, 4])),
    );
  });

  it('LecunUniform: U[−√(3/fanIn), √(3/fanIn)]', () => {
    const values = take(new LecunUniform({seed: 4}).apply([250, 1000]));
    const t = 1 / 250;
    expect(Math.abs(moments(values).variance - t)).toBeLessThan(
      varianceTolerance(t, values.length, 9 / 5),
    );
    expect(values.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(
      Math.fround(Math.sqrt(3 * t)),
    );
    expect(take(lecunUniform({seed: 4}).apply([4, 4]))).toEqual(
      take(new LecunUniform({seed: 4}).apply([4, 4])),
    );
  });

  it('presets save their own options, reject bad ones and leak nothing', () => {
    expect(new LecunNormal({seed: 1}).getConfig()).toEqual({seed: 1});
    expect(() => new LecunUniform({gain: 2} as never)).toThrow(
      /LecunUniform: unknown option `gain`/,
    );
    expect(() => new LecunNormal({seed: -3})).toThrow(/Received: seed=-3/);
    for (const init of [new XavierNormal(), new LecunNormal(), new LecunUniform()])
      expect(leakedTensors(() => init.apply([8, 8]))).toBe(0);
  });
});
