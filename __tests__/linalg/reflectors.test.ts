import {applyBlockReflector, formT} from '../../src/linalg/block-reflector';
import {haarColumns} from '../../src/linalg/haar';
import {reflectToPositive} from '../../src/linalg/householder';
import {KEEP, useLinalgSimd, workspace} from '../../src/linalg/workspace';

/** A deterministic pseudo-random fill (no dependence on the package's samplers). */
function lcg(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 32 - 0.5;
  }
  return out;
}

describe('reflectToPositive (Householder, GVL 5.1.1)', () => {
  it.each([[[3, 4]], [[-3, 4]], [[1e-300, 2, -1]], [[5]], [[-5]], [[0, 0, 0]], [[2, 0, 0]], [[-2, 0, 0]], [[1, 1e-9]]])(
    'maps x = %j to +‖x‖e₁ with an orthogonal H',
    (x) => {
      const v = Float64Array.from(x);
      const tau = reflectToPositive(v, 0, v.length);
      expect(v[0]).toBe(1);
      const norm = Math.hypot(...x);
      // H·x = x − τ v (vᵀx)
      const vx = x.reduce((s, xi, i) => s + v[i] * xi, 0);
      const hx = x.map((xi, i) => xi - tau * v[i] * vx);
      expect(hx[0]).toBeCloseTo(norm, 12);
      for (let i = 1; i < x.length; i++) expect(Math.abs(hx[i])).toBeLessThan(1e-12 * Math.max(1, norm));
      // Orthogonal: τ(τ‖v‖² − 2) = 0.
      const vv = v.reduce((s, vi) => s + vi * vi, 0);
      expect(tau * (tau * vv - 2)).toBeCloseTo(0, 12);
    },
  );
});

describe('compact-WY block reflector', () => {
  it.each([[12, 9, 5], [40, 13, 7], [8, 3, 1], [64, 10, 32]])(
    'p=%i, r=%i, nb=%i: (I − VTVᵀ)C equals applying H_0 … H_{nb−1} one by one (JS and SIMD)',
    (p, r, nb) => {
      const vRaw = lcg(p * nb, 1);
      const taus = new Float64Array(nb);
      const vs = new Float64Array(p * nb);
      for (let i = 0; i < nb; i++) {
        for (let l = i; l < p; l++) vs[i * p + l] = vRaw[i * p + l];
        taus[i] = reflectToPositive(vs, i * p + i, p - i);
      }
      const c = lcg(p * r, 2);
      // Reference: C ← H_0(H_1(…(H_{nb−1} C))), each H_i = I − τ v vᵀ.
      const ref = Float64Array.from(c);
      for (let i = nb - 1; i >= 0; i--) {
        for (let j = 0; j < r; j++) {
          let d = 0;
          for (let l = 0; l < p; l++) d += vs[i * p + l] * ref[j * p + l];
          for (let l = 0; l < p; l++) ref[j * p + l] -= taus[i] * d * vs[i * p + l];
        }
      }
      for (const simd of [false, true]) {
        useLinalgSimd(simd);
        const ws = workspace(p * r + p * nb + 4 * nb + nb * nb);
        const f = ws.f64;
        const v = p * r;
        const w = v + p * nb;
        const t = w + 4 * nb;
        f.set(c, 0);
        f.set(vs, v);
        formT(f, v, p, nb, taus, t);
        if (simd && p % 4 !== 0) continue; // the SIMD kernel needs p % 4 = 0 (haarColumns pads)
        ws.applyBlockReflector(0, p, p, r, v, nb, t, w);
        for (let k = 0; k < p * r; k++) expect(Math.abs(f[k] - ref[k])).toBeLessThan(1e-13);
      }
      useLinalgSimd(true);
    },
  );

  it('the plain JavaScript kernel handles any p', () => {
    const p = 7;
    const f = new Float64Array(p * 2 + p + 4 + 1);
    f.set([1, 2, 3, 4, 5, 6, 7, 7, 6, 5, 4, 3, 2, 1], 0);
    const v = 14;
    f.set([3, 1, 1, 1, 1, 1, 1], v);
    const tau = reflectToPositive(f, v, p);
    formT(f, v, p, 1, Float64Array.of(tau), v + p + 4);
    applyBlockReflector(f, 0, p, p, 2, v, 1, v + p + 4, v + p);
    // H maps (3,1,…,1) to (3,0,…,0): ‖(3,1,1,1,1,1,1)‖ = √15.
    const norm1 = Math.hypot(...Array.from(f.subarray(0, 7)));
    expect(norm1).toBeCloseTo(Math.hypot(1, 2, 3, 4, 5, 6, 7), 12);
  });
});

describe('haarColumns', () => {
  it('returns orthonormal columns for odd sizes and sizes around the block of 32', () => {
    for (const [m, n] of [[1, 1], [2, 1], [31, 31], [33, 32], [65, 33], [100, 64]]) {
      const {data, ld} = haarColumns(m, n, 3, 0, 0);
      let err = 0;
      for (let a = 0; a < n; a++) for (let b = a; b < n; b++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += data[a * ld + i] * data[b * ld + i];
        err = Math.max(err, Math.abs(s - (a === b ? 1 : 0)));
      }
      expect(err).toBeLessThan(1e-12);
      for (let j = 0; j < n; j++) for (let i = m; i < ld; i++) expect(data[j * ld + i]).toBe(0);
    }
  });
});

describe('workspace', () => {
  it.each([true, false])('reuses small workspaces and gives huge ones their own collectable memory (SIMD %s)', (simd) => {
    useLinalgSimd(simd);
    const small = workspace(100);
    expect(small.kernel).toBe(simd ? 'wasm-simd' : 'js');
    const big = workspace(KEEP + 1);
    expect(big.f64.length).toBeGreaterThanOrEqual(KEEP + 1);
    expect(big.f64.buffer).not.toBe(small.f64.buffer);
    expect(workspace(100).f64.buffer).toBe(small.f64.buffer);
    useLinalgSimd(true);
  });
});
