import {seedToKey, threefry2x32} from '../../src/random/threefry';

// Random123's known-answer vectors for Threefry-2x32-20 (tests/kat_vectors), also used by JAX's
// threefry_2x32 tests: (key0, key1, ctr0, ctr1) -> (out0, out1).
const KAT: ReadonlyArray<[number, number, number, number, number, number]> = [
  [0x00000000, 0x00000000, 0x00000000, 0x00000000, 0x6b200159, 0x99ba4efe],
  [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 0x1cb996fc, 0xbb002be7],
  [0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3, 0xc4923a9c, 0x483df7a0],
];

describe('threefry2x32', () => {
  it.each(KAT)('matches Random123 for key (%i, %i), counter (%i, %i)', (k0, k1, c0, c1, o0, o1) => {
    const out = new Uint32Array(2);
    threefry2x32(k0, k1, c0, c1, out, 0);
    expect([out[0], out[1]]).toEqual([o0, o1]);
  });

  it('accepts signed 32-bit arguments the same as unsigned ones', () => {
    const a = new Uint32Array(2);
    const b = new Uint32Array(2);
    threefry2x32(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, a, 0);
    threefry2x32(-1, -1, -1, -1, b, 0);
    expect(b).toEqual(a);
  });
});

describe('seedToKey', () => {
  it('splits a 53-bit seed into low and high words', () => {
    expect(seedToKey(0)).toEqual([0, 0]);
    expect(seedToKey(2 ** 32 + 5)).toEqual([5, 1]);
    const [lo, hi] = seedToKey(Number.MAX_SAFE_INTEGER);
    expect(lo >>> 0).toBe(0xffffffff);
    expect(hi).toBe(0x1fffff);
  });
});
