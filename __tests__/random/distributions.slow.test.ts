import {fillNormal, fillTruncNormal, fillUniform} from '../../src/random/samplers';
import {ksCritical, ksDistance} from '../helpers/ks';
import {truncatedCdf, truncatedMoments, upperTail} from '../helpers/normal-cdf';
import {meanTolerance, moments, varianceTolerance} from '../helpers/stats';

/**
 * Statistical validation of the samplers against exact distributions, deterministic (fixed seeds).
 *
 * Kolmogorov–Smirnov at significance 1e-4, with sample sizes chosen so that the same test rejects
 * the same sample once its values are distorted by 0.5% (scaled by 1.005 about the mean, i.e. a
 * 0.5% error in the scale): each test checks both, so it shows its own power.
 */

const DISTORTION = 1.005;

function distort(values: Float32Array, centre: number): Float32Array {
  return values.map((v) => centre + (v - centre) * DISTORTION);
}

/** KS passes for the sample and fails for the sample distorted by 0.5%. */
function expectKs(values: Float32Array, cdf: (x: number) => number, centre: number): void {
  const n = values.length;
  const critical = ksCritical(n);
  const stride = Math.max(1, Math.floor(n / 1e5));
  const clean = ksDistance(values, cdf, stride);
  expect(clean.dMax).toBeLessThan(critical);
  const distorted = ksDistance(distort(values, centre), cdf, stride);
  expect(distorted.d).toBeGreaterThan(critical);
}

describe('uniform', () => {
  const n = 4e6;
  const values = new Float32Array(n);
  fillUniform(values, 11, 0, -1, 1);

  it('has the moments of U[-1, 1): mean 0, variance 1/3', () => {
    const {mean, variance} = moments(values);
    expect(Math.abs(mean)).toBeLessThan(meanTolerance(1 / 3, n));
    expect(Math.abs(variance - 1 / 3)).toBeLessThan(varianceTolerance(1 / 3, n, 9 / 5));
    expect(Math.abs(variance - (1 / 3) * 1.05)).toBeGreaterThan(varianceTolerance(1 / 3, n, 9 / 5));
  });

  it('passes Kolmogorov–Smirnov against the exact CDF, and would catch a 0.5% distortion', () => {
    expectKs(values, (x) => Math.min(1, Math.max(0, (x + 1) / 2)), 0);
  });

  it('puts equal mass in 64 equal bins (chi-square, 63 degrees of freedom)', () => {
    const bins = new Float64Array(64);
    for (let i = 0; i < n; i++) bins[Math.floor((values[i] + 1) * 32)]++;
    const expected = n / 64;
    let chi2 = 0;
    for (const c of bins) chi2 += (c - expected) ** 2 / expected;
    // P(χ²₆₃ > 120) ≈ 2e-5.
    expect(chi2).toBeLessThan(120);
  });
});

describe('normal (ziggurat)', () => {
  const n = 1e7;
  const values = new Float32Array(n);
  fillNormal(values, 12, 0, 0, 1);

  it('has mean 0 and variance 1', () => {
    const {mean, variance} = moments(values);
    expect(Math.abs(mean)).toBeLessThan(meanTolerance(1, n));
    expect(Math.abs(variance - 1)).toBeLessThan(varianceTolerance(1, n, 3));
  });

  it('passes Kolmogorov–Smirnov against Φ, and would catch a 0.5% distortion', () => {
    expectKs(values, (x) => 1 - upperTail(x), 0);
  });

  it.each([
    [3, 'beyond the ziggurat base strip'],
    [3.7, 'in the tail sampled beyond r = 3.654'],
    [4, ''],
    [4.5, ''],
  ])('has the right frequency of |z| > %p %s', (t) => {
    let count = 0;
    for (let i = 0; i < n; i++) if (Math.abs(values[i]) > t) count++;
    const p = 2 * upperTail(t);
    // Binomial(n, p) within 5 standard deviations.
    expect(Math.abs(count - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
  });

  it('is symmetric: as many values above 2 as below -2', () => {
    let above = 0;
    let below = 0;
    for (let i = 0; i < n; i++) {
      if (values[i] > 2) above++;
      else if (values[i] < -2) below++;
    }
    expect(Math.abs(above - below)).toBeLessThan(5 * Math.sqrt(above + below));
  });

  it('scales by std and shifts by mean', () => {
    const m = 1e6;
    const scaled = new Float32Array(m);
    fillNormal(scaled, 13, 0, 3, 0.5);
    const {mean, variance} = moments(scaled);
    expect(Math.abs(mean - 3)).toBeLessThan(meanTolerance(0.25, m));
    expect(Math.abs(variance - 0.25)).toBeLessThan(varianceTolerance(0.25, m, 3));
  });
});

describe('truncated normal', () => {
  // [mean, std, a, b, n, proposal the sampler picks]
  const CASES: Array<[number, number, number, number, number, string]> = [
    [0, 1, -2, 2, 1e7, 'normal'],
    [0, 1, 2, 6, 1e6, 'exponential'],
    [0, 1, 6, 8, 1e6, 'exponential'],
    [0, 1, -8, -6, 1e6, 'exponential, mirrored'],
    [0, 1, -0.1, 0.1, 4e6, 'uniform'],
    [0, 1, 0.5, 0.6, 4e6, 'uniform, off centre'],
    [0, 1, 0, Infinity, 4e6, 'one-sided'],
    [0, 1, -1, 3, 8e6, 'asymmetric'],
    [3, 0.5, 2, 4, 1e7, 'absolute bounds, mean 3, std 0.5'],
  ];

  describe.each(CASES)('N(%p, %p²) on [%p, %p], n = %p (%s)', (mean, std, a, b, n) => {
    const values = new Float32Array(n);
    fillTruncNormal(values, 21, 0, mean, std, a, b);
    const exact = truncatedMoments(mean, std, a, b);

    it('stays inside [a, b] and comes close to both bounds where they hold mass', () => {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < n; i++) {
        min = Math.min(min, values[i]);
        max = Math.max(max, values[i]);
      }
      expect(min).toBeGreaterThanOrEqual(a);
      expect(max).toBeLessThanOrEqual(b);
      const cdf = truncatedCdf(mean, std, a, b);
      // The smallest value is beyond the 20/n quantile with probability e^-20.
      expect(cdf(min)).toBeLessThan(20 / n);
      expect(1 - cdf(max)).toBeLessThan(20 / n);
    });

    it('has the exact mean and variance', () => {
      const {mean: m, variance} = moments(values);
      expect(Math.abs(m - exact.mean)).toBeLessThan(meanTolerance(exact.variance, n));
      expect(Math.abs(variance - exact.variance)).toBeLessThan(
        varianceTolerance(exact.variance, n, exact.kurtosis),
      );
    });

    it('passes Kolmogorov–Smirnov against the exact CDF, and would catch a 0.5% distortion', () => {
      expectKs(values, truncatedCdf(mean, std, a, b), mean);
    });
  });

  it('has the boundary density of the exact distribution on [2, 6]: mass of [2, 2.05] and of [5, 6]', () => {
    const n = 1e6;
    const values = new Float32Array(n);
    fillTruncNormal(values, 22, 0, 0, 1, 2, 6);
    const cdf = truncatedCdf(0, 1, 2, 6);
    for (const [lo, hi] of [
      [2, 2.05],
      [5, 6],
    ]) {
      let count = 0;
      for (let i = 0; i < n; i++) if (values[i] >= lo && values[i] <= hi) count++;
      const p = cdf(hi) - cdf(lo);
      expect(Math.abs(count - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)) + 1);
    }
  });

  it('on [-0.1, 0.1] is nearly flat with the exact slight bulge: the middle fifth holds 20.03%', () => {
    const n = 4e6;
    const values = new Float32Array(n);
    fillTruncNormal(values, 23, 0, 0, 1, -0.1, 0.1);
    let count = 0;
    for (let i = 0; i < n; i++) if (Math.abs(values[i]) <= 0.02) count++;
    const cdf = truncatedCdf(0, 1, -0.1, 0.1);
    const p = cdf(0.02) - cdf(-0.02);
    expect(p).toBeGreaterThan(0.2003);
    expect(Math.abs(count - n * p)).toBeLessThan(5 * Math.sqrt(n * p * (1 - p)));
  });
});
