import {InitializerError, XavierUniformCustom, calculateGain, xavierUniformCustom} from '../../src';
import {leakedTensors, meanTolerance, moments, take, varianceTolerance} from '../helpers/stats';

const bound = (gain: number, fanIn: number, fanOut: number): number =>
  gain * Math.sqrt(6 / (fanIn + fanOut));

/** Checks U[-a, a]: never beyond a, reaches a, variance a²/3, mean 0, half the mass in [-a/2, a/2]. */
function expectUniform(values: Float32Array, a: number): void {
  const n = values.length;
  let maxAbs = 0;
  let inner = 0;
  for (const v of values) {
    maxAbs = Math.max(maxAbs, Math.abs(v));
    if (Math.abs(v) <= a / 2) inner++;
  }
  expect(maxAbs).toBeLessThanOrEqual(Math.fround(a));
  // P(max |v| < a(1 − 20/n)) = (1 − 20/n)^n ≈ e^-20.
  expect(maxAbs).toBeGreaterThan(a * (1 - 20 / n));
  const {mean, variance} = moments(values);
  const sigma2 = (a * a) / 3;
  expect(Math.abs(variance - sigma2)).toBeLessThan(varianceTolerance(sigma2, n, 9 / 5));
  expect(Math.abs(mean)).toBeLessThan(meanTolerance(sigma2, n));
  // Binomial(n, 1/2) count within 5 standard deviations.
  expect(Math.abs(inner - n / 2)).toBeLessThan(5 * Math.sqrt(n / 4));
}

describe('XavierUniformCustom', () => {
  it('draws U[-a, a] with a = sqrt(6 / (fanIn + fanOut)) for a Dense kernel', () => {
    expectUniform(
      take(new XavierUniformCustom({seed: 1}).apply([1000, 1000])),
      bound(1, 1000, 1000),
    );
  });

  it('scales the bound by gain', () => {
    const gain = calculateGain('tanh');
    expectUniform(
      take(new XavierUniformCustom({gain, seed: 2}).apply([500, 2000])),
      bound(gain, 500, 2000),
    );
  });

  it('counts the receptive field for conv kernels [kh, kw, in, out]', () => {
    // fanIn = 3·3·64 = 576, fanOut = 3·3·128 = 1152
    expectUniform(
      take(new XavierUniformCustom({seed: 3}).apply([3, 3, 64, 128])),
      bound(1, 576, 1152),
    );
  });

  it('uses explicit fanIn / fanOut when given, for any rank', () => {
    expectUniform(
      take(new XavierUniformCustom({fanIn: 10, fanOut: 20, seed: 4}).apply([300000])),
      bound(1, 10, 20),
    );
    expectUniform(
      take(new XavierUniformCustom({fanIn: 50, seed: 5}).apply([1000, 350])),
      bound(1, 50, 350),
    );
  });

  it('would catch a 5% variance error (the tolerance is tight enough)', () => {
    const values = take(new XavierUniformCustom({seed: 6}).apply([1000, 1000]));
    const a = bound(1, 1000, 1000);
    const {variance} = moments(values);
    expect(Math.abs(variance - (1.05 * (a * a)) / 3)).toBeGreaterThan(
      varianceTolerance((a * a) / 3, values.length, 9 / 5),
    );
  });

  it('returns identical values for a seed, different values without one', () => {
    const init = new XavierUniformCustom({seed: 0});
    expect(take(init.apply([20, 30]))).toEqual(take(init.apply([20, 30])));
    expect(take(new XavierUniformCustom({seed: 0}).apply([20, 30]))).toEqual(
      take(init.apply([20, 30])),
    );
    const unseeded = new XavierUniformCustom();
    expect(take(unseeded.apply([20, 30]))).not.toEqual(take(unseeded.apply([20, 30])));
  });

  it('factory and class agree', () => {
    expect(take(xavierUniformCustom({gain: 2, seed: 9}).apply([4, 5]))).toEqual(
      take(new XavierUniformCustom({gain: 2, seed: 9}).apply([4, 5])),
    );
  });

  it('leaks no tensors', () => {
    expect(leakedTensors(() => new XavierUniformCustom().apply([64, 64]))).toBe(0);
  });

  it('saves the options that differ from their defaults, and reads them back', () => {
    expect(new XavierUniformCustom({gain: 2}).getConfig()).toEqual({gain: 2});
    expect(new XavierUniformCustom().getConfig()).toEqual({});
    const set = {gain: 3, seed: 0, fanIn: 4, fanOut: 5};
    expect(new XavierUniformCustom(set).getConfig()).toEqual(set);
    expect(new XavierUniformCustom({gain: 1, seed: null, fanIn: null}).getConfig()).toEqual({});
  });

  it.each([
    [{gain: 0}, /option `gain` must be a finite number > 0. Received: gain=0/],
    [{gain: -1}, /Received: gain=-1/],
    [{gain: NaN}, /Received: gain=NaN/],
    [{gain: Infinity}, /Received: gain=Infinity/],
    [{gain: '2'}, /Received: gain="2"/],
    [{seed: -1}, /option `seed` must be an integer in \[0, 9007199254740991\]. Received: seed=-1/],
    [{seed: 1.5}, /Received: seed=1.5/],
    [{fanIn: 0}, /option `fanIn` must be an integer >= 1/],
    [{gian: 2}, /unknown option `gian`. Allowed options: `gain`, `seed`, `fanIn`, `fanOut`/],
  ])('rejects %j at construction', (args, message) => {
    expect(() => new XavierUniformCustom(args as never)).toThrow(InitializerError);
    expect(() => new XavierUniformCustom(args as never)).toThrow(/^XavierUniformCustom: /);
    expect(() => new XavierUniformCustom(args as never)).toThrow(message);
  });

  it('rejects shapes without fans, bad shapes and non-float dtypes before allocating', () => {
    const init = new XavierUniformCustom();
    expect(() => init.apply([10])).toThrow(
      /XavierUniformCustom: fan-in and fan-out need a kernel of rank >= 2/,
    );
    expect(() => init.apply([10, 0])).toThrow(/every dimension of shape must be an integer >= 1/);
    expect(() => init.apply([10, 2.5])).toThrow(InitializerError);
    expect(() => init.apply([1e6, 1e6])).toThrow(/more than the 2147483647/);
    expect(() => init.apply([4, 4], 'int32')).toThrow(
      /dtype must be one of 'float32'. Received: dtype="int32"/,
    );
  });
});
