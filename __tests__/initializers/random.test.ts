import * as tfl from '@tensorflow/tfjs-layers';
import {
  InitializerError,
  Normal,
  TruncNormal,
  Uniform,
  normal,
  truncNormal,
  uniform,
} from '../../src';
import {leakedTensors, meanTolerance, moments, take, varianceTolerance} from '../helpers/stats';

const maxOf = (v: Float32Array): number => v.reduce((m, x) => Math.max(m, x), -Infinity);
const minOf = (v: Float32Array): number => v.reduce((m, x) => Math.min(m, x), Infinity);

/** Standard normal pdf and cdf (Φ by the Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
const pdf = (x: number): number => Math.exp((-x * x) / 2) / Math.sqrt(2 * Math.PI);
function cdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    t *
      (0.254829592 +
        t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
      Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** Mean and variance of N(μ, σ²) truncated to [a, b] (standard formulas with α, β standardised). */
function truncatedMoments(
  mu: number,
  sigma: number,
  a: number,
  b: number,
): {mean: number; variance: number} {
  const al = (a - mu) / sigma;
  const be = (b - mu) / sigma;
  const z = cdf(be) - cdf(al);
  const d = (pdf(al) - pdf(be)) / z;
  return {
    mean: mu + sigma * d,
    variance: sigma * sigma * (1 + (al * pdf(al) - be * pdf(be)) / z - d * d),
  };
}

describe('Uniform', () => {
  it('draws U[low, high): mean, variance, bounds', () => {
    const v = take(new Uniform({low: -0.3, high: 0.7, seed: 1}).apply([500, 500]));
    const {mean, variance} = moments(v);
    expect(Math.abs(mean - 0.2)).toBeLessThan(meanTolerance(1 / 12, v.length));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(varianceTolerance(1 / 12, v.length, 9 / 5));
    expect(minOf(v)).toBeGreaterThanOrEqual(-0.3 - 1e-7);
    expect(maxOf(v)).toBeLessThan(0.7);
    expect(minOf(v)).toBeLessThan(-0.3 + 1e-3);
  });

  it('defaults to PyTorch U[0, 1); low 0 stays 0 (unlike tfjs RandomUniform)', () => {
    expect(new Uniform().getConfig()).toEqual({});
    expect(new Uniform({low: -1, seed: 3}).getConfig()).toEqual({low: -1, seed: 3});
    const v = take(uniform({high: 2, seed: 2}).apply([1000, 100]));
    expect(minOf(v)).toBeGreaterThanOrEqual(0);
    expect(Math.abs(moments(v).mean - 1)).toBeLessThan(meanTolerance(4 / 12, v.length));
  });

  it('rejects bad options', () => {
    expect(() => new Uniform({low: 1, high: 1})).toThrow(
      /Uniform: option `low` must be less than `high`. Received: low=1, high=1/,
    );
    expect(() => new Uniform({low: NaN})).toThrow(
      /option `low` must be a finite number. Received: low=NaN/,
    );
    expect(() => new Uniform({a: 0} as never)).toThrow(/unknown option `a`/);
  });
});

describe('Normal', () => {
  it('draws N(mean, std²), untruncated', () => {
    const v = take(new Normal({mean: 0.5, std: 2, seed: 3}).apply([500, 500]));
    const {mean, variance} = moments(v);
    expect(Math.abs(mean - 0.5)).toBeLessThan(meanTolerance(4, v.length));
    expect(Math.abs(variance - 4)).toBeLessThan(varianceTolerance(4, v.length, 3));
    expect(maxOf(v)).toBeGreaterThan(0.5 + 2 * 4);
  });

  it('defaults to N(0, 1); std 0 gives the mean; factory agrees', () => {
    expect(new Normal().getConfig()).toEqual({});
    expect(new Normal({mean: 0, std: 2}).getConfig()).toEqual({std: 2});
    expect(Array.from(take(new Normal({mean: 3, std: 0}).apply([2, 3])))).toEqual(
      new Array(6).fill(3),
    );
    expect(take(normal({std: 0.02, seed: 4}).apply([3, 3]))).toEqual(
      take(new Normal({std: 0.02, seed: 4}).apply([3, 3])),
    );
    expect(() => new Normal({std: -1})).toThrow(
      /Normal: option `std` must be a finite number >= 0. Received: std=-1/,
    );
  });
});

describe('TruncNormal (absolute bounds, as trunc_normal_)', () => {
  it.each([
    [0, 1, -2, 2],
    [0.1, 0.5, -0.3, 1],
    [0, 0.02, -0.04, 0.04],
    [1, 2, 0, 10],
  ])('mean %d, std %d, [%d, %d]: within bounds, truncated mean and variance', (mu, sigma, a, b) => {
    const v = take(new TruncNormal({mean: mu, std: sigma, a, b, seed: 5}).apply([400, 500]));
    const expected = truncatedMoments(mu, sigma, a, b);
    const {mean, variance} = moments(v);
    expect(minOf(v)).toBeGreaterThanOrEqual(a);
    expect(maxOf(v)).toBeLessThanOrEqual(b);
    expect(Math.abs(mean - expected.mean)).toBeLessThan(meanTolerance(expected.variance, v.length));
    // A truncated normal has kurtosis below 3.
    expect(Math.abs(variance - expected.variance)).toBeLessThan(
      varianceTolerance(expected.variance, v.length, 3),
    );
  });

  it('defaults to PyTorch (0, 1, −2, 2) and rejects bad options', () => {
    expect(new TruncNormal().getConfig()).toEqual({});
    expect(new TruncNormal({a: -3, b: 2}).getConfig()).toEqual({a: -3});
    expect(take(truncNormal({seed: 6}).apply([4, 4]))).toEqual(
      take(new TruncNormal({seed: 6}).apply([4, 4])),
    );
    expect(() => new TruncNormal({a: 2, b: -2})).toThrow(
      /TruncNormal: option `a` must be less than `b`. Received: a=2, b=-2/,
    );
    expect(() => new TruncNormal({std: 0})).toThrow(/option `std` must be a finite number > 0/);
    expect(() => new TruncNormal({b: Infinity})).toThrow(
      /option `b` must be a finite number. Received: b=Infinity/,
    );
  });
});

describe('random family: seeds, names, round trip, leaks', () => {
  it.each([
    ['Uniform', new Uniform({low: -1, high: 1, seed: 0})],
    ['Normal', new Normal({std: 0.1, seed: 0})],
    ['TruncNormal', new TruncNormal({std: 0.1, a: -0.1, b: 0.2, seed: 0})],
  ])('%s', async (name, init) => {
    expect(take(init.apply([6, 7]))).toEqual(take(init.apply([6, 7])));
    expect(leakedTensors(() => init.apply([6, 7]))).toBe(0);
    expect(() => init.apply([2, 2], 'int32')).toThrow(InitializerError);
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 7, inputShape: [6], kernelInitializer: init})],
    });
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    expect(json.config.layers[0].config.kernel_initializer.class_name).toBe(name);
    const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
    expect(loaded.layers[0].getWeights()[0].dataSync()).toEqual(
      model.layers[0].getWeights()[0].dataSync(),
    );
    const byName = tfl.sequential({
      layers: [tfl.layers.dense({units: 3, inputShape: [2], kernelInitializer: name})],
    });
    expect(byName.layers[0].getWeights()[0].shape).toEqual([2, 3]);
  });
});
