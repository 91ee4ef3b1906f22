import {
  InitializerError,
  XavierUniformCustom,
  clearSeed,
  deriveSeed,
  getDrawCount,
  getSeed,
  setSeed,
  withSeed,
} from '../../src';
import {isSeeded} from '../../src/random/seed';
import {take} from '../helpers/stats';

const draw = (seed?: number): Float32Array => take(new XavierUniformCustom({seed}).apply([16, 8]));

describe('global seed stream', () => {
  it('setSeed makes the sequence of unseeded draws repeat exactly', () => {
    setSeed(1234);
    const first = [draw(), draw(), draw()];
    setSeed(1234);
    const second = [draw(), draw(), draw()];
    expect(second).toEqual(first);
  });

  it('successive unseeded draws differ', () => {
    setSeed(5);
    expect(draw()).not.toEqual(draw());
  });

  it('the k-th unseeded draw equals a seeded draw with deriveSeed(n, k)', () => {
    setSeed(42);
    draw();
    const second = draw();
    expect(draw(deriveSeed(42, 1))).toEqual(second);
  });

  it('seeded initializers ignore and do not advance the stream', () => {
    setSeed(7);
    const a = draw(99);
    expect(getDrawCount()).toBe(0);
    setSeed(8);
    expect(draw(99)).toEqual(a);
  });

  it('seed 0 is a seed, distinct from other seeds', () => {
    expect(draw(0)).toEqual(draw(0));
    expect(draw(0)).not.toEqual(draw(1));
  });

  it('seeds up to 2^53 - 1 work and differ near the top', () => {
    const top = Number.MAX_SAFE_INTEGER;
    expect(draw(top)).toEqual(draw(top));
    expect(draw(top)).not.toEqual(draw(top - 1));
    expect(draw(2 ** 32)).not.toEqual(draw(0));
  });

  it('getSeed reports the last setSeed', () => {
    setSeed(31337);
    expect(getSeed()).toBe(31337);
  });

  it.each([-1, 1.5, NaN, 2 ** 53, '3'])('setSeed(%p) throws InitializerError', (bad) => {
    expect(() => setSeed(bad as number)).toThrow(InitializerError);
    expect(() => setSeed(bad as number)).toThrow(
      /setSeed: argument `seed` must be an integer in \[0, 9007199254740991\]/,
    );
  });

  it('deriveSeed returns seeds in [0, 2^53)', () => {
    for (let k = 0; k < 100; k++) {
      const s = deriveSeed(3, k);
      expect(Number.isSafeInteger(s) && s >= 0).toBe(true);
    }
  });

  it('clearSeed restarts the stream from a fresh random seed and leaves it unseeded', () => {
    setSeed(12);
    expect(isSeeded()).toBe(true);
    draw();
    clearSeed();
    expect(isSeeded()).toBe(false);
    expect(getDrawCount()).toBe(0);
    const fresh = getSeed();
    expect(fresh).not.toBe(12);
    expect(Number.isSafeInteger(fresh) && fresh >= 0).toBe(true);
    const a = draw();
    expect(a).toEqual(draw(deriveSeed(fresh, 0))); // replayable from getSeed, as at load time
    clearSeed();
    expect(getSeed()).not.toBe(fresh);
  });

  it('withSeed is seeded inside and restores the outer state, seeded or not', () => {
    clearSeed();
    expect(withSeed(3, () => isSeeded())).toBe(true);
    expect(isSeeded()).toBe(false);
    setSeed(4);
    withSeed(3, () => undefined);
    expect(isSeeded()).toBe(true);
    clearSeed();
  });
});
