import {applyBlockReflector, formT} from '../../src/linalg/block-reflector';
import {haarColumns} from '../../src/linalg/haar';
import {reflectToPositive} from '../../src/linalg/householder';
import {KEEP, useLinalgSimd, workspace} from '../../src/linalg/workspace';

/** A deterministic pseudo-random fill (no dependence on the package's samplers). */
function lcg(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

/** Float32 unit roundoff. */
const U = 2 ** -24;

describe('reflectToPositive (Householder, GVL 5.1.1) on float32 storage', () => {
  it.each([
    [[3, 4]],
    [[-3, 4]],
    [[1e-30, 2, -1]],
    [[5]],
    [[-5]],
    [[0, 0, 0]],
    [[2, 0, 0]],
    [[-2, 0, 0]],
    [[1, 1e-4]],
  ])('maps x = %j to +‖x‖e₁ with an H that is orthogonal to float64 rounding', (x) => {
    const v = Float32Array.from(x);
    const xs = Array.from(v); // x as stored in float32
    const tau = reflectToPositive(v, 0, v.length);
    expect(v[0]).toBe(1);
    const norm = Math.hypot(...xs);
    // H·x = x − τ v (vᵀx); v is rounded to float32, so H·x is +‖x‖e₁ to float32 rounding.
    const vx = xs.reduce((s, xi, i) => s + v[i] * xi, 0);
    const hx = xs.map((xi, i) => xi - tau * v[i] * vx);
    expect(Math.abs(hx[0] - norm)).toBeLessThanOrEqual(4 * U * norm);
    for (let i = 1; i < xs.length; i++) expect(Math.abs(hx[i])).toBeLessThanOrEqual(4 * U * norm);
    // τ is computed from the stored v: τ(τ‖v‖² − 2) = 0 to float64 rounding, so H is orthogonal.
    const vv = Array.from(v).reduce((s, vi) => s + vi * vi, 0);
    expect(Math.abs(tau * (tau * vv - 2))).toBeLessThan(1e-14);
  });
});

describe('compact-WY block reflector', () => {
  it.each([
    [16, 12, 4],
    [40, 16, 8],
    [8, 4, 4],
    [64, 12, 32],
    [12, 9, 5],
    [40, 13, 7],
  ])(
    'p=%i, r=%i, nb=%i: (I − VTVᵀ)C equals applying H_0 … H_{nb−1} one by one (JS, and SIMD where aligned)',
    (p, r, nb) => {
      const vRaw = lcg(p * nb, 1);
      const taus = new Float64Array(nb);
      const vs = new Float32Array(p * nb);
      for (let i = 0; i < nb; i++) {
        for (let l = i; l < p; l++) vs[i * p + l] = vRaw[i * p + l];
        taus[i] = reflectToPositive(vs, i * p + i, p - i);
      }
      const c = lcg(p * r, 2);
      // Reference in float64: C ← H_0(H_1(…(H_{nb−1} C))), each H_i = I − τ v vᵀ with the stored v.
      const ref = Float64Array.from(c);
      for (let i = nb - 1; i >= 0; i--) {
        for (let j = 0; j < r; j++) {
          let d = 0;
          for (let l = 0; l < p; l++) d += vs[i * p + l] * ref[j * p + l];
          for (let l = 0; l < p; l++) ref[j * p + l] -= taus[i] * d * vs[i * p + l];
        }
      }
      const aligned = p % 8 === 0 && r % 4 === 0 && nb % 4 === 0;
      for (const simd of aligned ? [false, true] : [false]) {
        useLinalgSimd(simd);
        const v = p * r;
        const w = v + p * nb;
        const t = w + 4 * nb;
        const g = t + nb * nb;
        const ws = workspace(g + nb * nb);
        const f = ws.f32;
        f.set(c, 0);
        f.set(vs, v);
        ws.gram(v, p, nb, g);
        formT(f, g, nb, taus, t);
        ws.applyBlockReflector(0, p, p, r, v, nb, t, w);
        // Float32 storage of C and T (JS), float32 products and sums of up to p + nb terms (SIMD).
        const tolerance = (simd ? 2 * (p + nb) : 8) * U;
        for (let k = 0; k < p * r; k++) expect(Math.abs(f[k] - ref[k])).toBeLessThan(tolerance);
      }
      useLinalgSimd(true);
    },
  );

  it('gram: the SIMD kernel fills the strict upper triangle that formT reads, as the JavaScript one does', () => {
    const p = 24;
    const nb = 8;
    const vs = lcg(p * nb, 3);
    for (let i = 0; i < nb; i++) vs.fill(0, i * p, i * p + i);
    const results: Float32Array[] = [];
    for (const simd of [false, true]) {
      useLinalgSimd(simd);
      const ws = workspace(p * nb + nb * nb);
      ws.f32.set(vs, 0);
      ws.f32.fill(NaN, p * nb, p * nb + nb * nb);
      ws.gram(0, p, nb, p * nb);
      results.push(ws.f32.slice(p * nb, p * nb + nb * nb));
    }
    useLinalgSimd(true);
    for (let j = 0; j < nb; j++)
      for (let i = j + 1; i < nb; i++) {
        let d = 0;
        for (let l = 0; l < p; l++) d += vs[j * p + l] * vs[i * p + l];
        for (const r of results) expect(Math.abs(r[j * nb + i] - d)).toBeLessThan(2 * p * U);
      }
  });

  it('the plain JavaScript kernel handles any p (a reflector of one column)', () => {
    const p = 7;
    const f = new Float32Array(64);
    f.set([1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1], 0);
    const v = 14;
    f.set([3, 1, 1, 1, 1, 1, 1], v);
    const tau = reflectToPositive(f, v, p);
    formT(f, v + p + 4, 1, Float64Array.of(tau), v + p);
    applyBlockReflector(f, 0, p, p, 2, v, 1, v + p);
    // H is orthogonal: the columns keep their norms.
    expect(Math.hypot(...Array.from(f.subarray(0, 7)))).toBeCloseTo(
      Math.hypot(1, 2, 3, 4, 5, 6, 7),
      5,
    );
    expect(Math.hypot(...Array.from(f.subarray(7, 14)))).toBeCloseTo(
      Math.hypot(7, 6, 5, 4, 3, 2, 1),
      5,
    );
  });
});

describe('haarColumns', () => {
  it.each([true, false])(
    'returns orthonormal columns for odd sizes and sizes around the block of 32 (SIMD %s)',
    (simd) => {
      useLinalgSimd(simd);
      for (const [m, n] of [
        [1, 1],
        [2, 1],
        [31, 31],
        [33, 32],
        [65, 33],
        [100, 64],
        [9, 7],
      ]) {
        const {data, ld} = haarColumns(m, n, 3, 0, 0);
        let err = 0;
        for (let a = 0; a < n; a++)
          for (let b = a; b < n; b++) {
            let s = 0;
            for (let i = 0; i < m; i++) s += data[a * ld + i] * data[b * ld + i];
            err = Math.max(err, Math.abs(s - (a === b ? 1 : 0)));
          }
        // Float32 storage and products: a few roundings u = 6e-8 per entry of QᵀQ, ≤ 1e-5 promised.
        expect(err).toBeLessThan(1e-6);
        for (let j = 0; j < n; j++) for (let i = m; i < ld; i++) expect(data[j * ld + i]).toBe(0);
      }
      useLinalgSimd(true);
    },
  );
});

describe('workspace', () => {
  it.each([true, false])(
    'reuses small workspaces and gives huge ones their own collectable memory (SIMD %s)',
    (simd) => {
      useLinalgSimd(simd);
      const small = workspace(100);
      expect(small.kernel).toBe(simd ? 'wasm-simd' : 'js');
      const big = workspace(KEEP + 1);
      expect(big.f32.length).toBeGreaterThanOrEqual(KEEP + 1);
      expect(big.f32.buffer).not.toBe(small.f32.buffer);
      expect(workspace(100).f32.buffer).toBe(small.f32.buffer);
      useLinalgSimd(true);
    },
  );
});
