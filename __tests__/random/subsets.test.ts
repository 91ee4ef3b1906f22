import {pickSubsets} from '../../src/random/subsets';
import {useSimd} from '../../src/random/wasm';

function picks(g0: number, g1: number, n: number, k: number, seed: number): Int32Array {
  const out = new Int32Array((g1 - g0) * k);
  pickSubsets(out, g0, g1, n, k, seed, 1);
  return out;
}

describe('pickSubsets (partial Fisher–Yates per group)', () => {
  it('gives k distinct values in [0, n) per group', () => {
    const n = 50;
    const k = 20;
    const out = picks(0, 300, n, k, 1);
    for (let g = 0; g < 300; g++) {
      const group = Array.from(out.subarray(g * k, (g + 1) * k));
      expect(new Set(group).size).toBe(k);
      for (const x of group) expect(x >= 0 && x < n).toBe(true);
    }
  });

  it('the SIMD blocks and the scalar Threefry give the same picks, across kernel chunks', () => {
    // 3 × 4000 picks: more than one kernel call (8160 blocks each), groups straddling the calls.
    const simd = picks(5, 8, 10000, 4000, 7);
    useSimd(false);
    const plain = picks(5, 8, 10000, 4000, 7);
    useSimd(true);
    expect(simd).toEqual(plain);
  });

  it('group g depends on (seed, stream, g) only: any split into batches gives the same picks', () => {
    const whole = picks(0, 40, 100, 30, 3);
    const parts = [picks(0, 1, 100, 30, 3), picks(1, 17, 100, 30, 3), picks(17, 40, 100, 30, 3)];
    const joined = new Int32Array(whole.length);
    let at = 0;
    for (const p of parts) {
      joined.set(p, at);
      at += p.length;
    }
    expect(joined).toEqual(whole);
    expect(picks(0, 40, 100, 30, 4)).not.toEqual(whole);
  });

  it('every ordered pick is uniform: position t of each group takes each value with probability 1/n', () => {
    const n = 8;
    const k = 3;
    const groups = 40000;
    const out = picks(0, groups, n, k, 9);
    for (let t = 0; t < k; t++) {
      const counts = new Array<number>(n).fill(0);
      for (let g = 0; g < groups; g++) counts[out[g * k + t]]++;
      // Binomial(groups, 1/n), 5 sd.
      const sd = Math.sqrt((groups * (n - 1)) / (n * n));
      for (const c of counts) expect(Math.abs(c - groups / n)).toBeLessThan(5 * sd);
    }
  });
});
