/**
 * Why the orthogonal sampler uses random Householder reflectors (Stewart 1980) in compact-WY
 * blocks rather than CholeskyQR2: both in plain JavaScript float64 with comparable register
 * blocking (four columns per sweep), same machine, same process.
 *
 *     npx tsx bench/orthogonal-methods.ts
 *
 * CholeskyQR2 of a Gaussian n × n matrix A: twice { G = AᵀA; G = RᵀR (Cholesky); A ← A·R⁻¹ }.
 * R has a positive diagonal, so the result is the Haar Q directly; but it costs about
 * 2·(n³ + n³/3 + n³) = 4.7n³ flops on n² draws, against 4n³/3 flops on n²/2 draws for the
 * reflector product. This prototype exists only to measure that; it is not used by the package.
 */
import {fillNormal} from '../src/random/samplers';
import {haarColumns} from '../src/linalg/haar';
import {useLinalgSimd} from '../src/linalg/workspace';

/** G = AᵀA (upper triangle), A column-major n × n; four columns of G per sweep. */
function gram(a: Float64Array, n: number, g: Float64Array): void {
  for (let j = 0; j < n; j += 4) {
    const w = Math.min(4, n - j);
    for (let i = 0; i <= j + w - 1; i++) {
      const ci = i * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const c0 = j * n;
      const c1 = c0 + n;
      const c2 = c1 + n;
      const c3 = c2 + n;
      for (let l = 0; l < n; l++) {
        const x = a[ci + l];
        s0 += x * a[c0 + l];
        if (w > 1) s1 += x * a[c1 + l];
        if (w > 2) s2 += x * a[c2 + l];
        if (w > 3) s3 += x * a[c3 + l];
      }
      g[j * n + i] = s0;
      if (w > 1) g[(j + 1) * n + i] = s1;
      if (w > 2) g[(j + 2) * n + i] = s2;
      if (w > 3) g[(j + 3) * n + i] = s3;
    }
  }
}

/** In place: upper triangle of G (column-major) becomes R with G = RᵀR. */
function cholesky(g: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < j; i++) {
      let s = g[j * n + i];
      for (let k = 0; k < i; k++) s -= g[i * n + k] * g[j * n + k];
      g[j * n + i] = s / g[i * n + i];
    }
    let d = g[j * n + j];
    for (let k = 0; k < j; k++) d -= g[j * n + k] * g[j * n + k];
    g[j * n + j] = Math.sqrt(d);
  }
}

/** A ← A·R⁻¹, column by column: q_j = (a_j − Σ_{k<j} R[k][j]·q_k) / R[j][j]. */
function solve(a: Float64Array, n: number, r: Float64Array): void {
  for (let j = 0; j < n; j++) {
    const cj = j * n;
    let k = 0;
    for (; k + 4 <= j; k += 4) {
      const r0 = r[cj + k];
      const r1 = r[cj + k + 1];
      const r2 = r[cj + k + 2];
      const r3 = r[cj + k + 3];
      const q0 = k * n;
      for (let l = 0; l < n; l++)
        a[cj + l] -=
          r0 * a[q0 + l] + r1 * a[q0 + n + l] + r2 * a[q0 + 2 * n + l] + r3 * a[q0 + 3 * n + l];
    }
    for (; k < j; k++) {
      const rk = r[cj + k];
      for (let l = 0; l < n; l++) a[cj + l] -= rk * a[k * n + l];
    }
    const inv = 1 / r[cj + j];
    for (let l = 0; l < n; l++) a[cj + l] *= inv;
  }
}

function choleskyQR2(n: number, seed: number): Float64Array {
  const draws = new Float32Array(n * n);
  fillNormal(draws, seed, 0, 0, 1);
  const a = Float64Array.from(draws);
  const g = new Float64Array(n * n);
  for (let pass = 0; pass < 2; pass++) {
    gram(a, n, g);
    cholesky(g, n);
    solve(a, n, g);
  }
  return a;
}

function error(q: Float64Array | Float32Array, n: number, ld: number): number {
  let e = 0;
  for (let i = 0; i < n; i += 7)
    for (let j = i; j < n; j += 5) {
      let s = 0;
      for (let l = 0; l < n; l++) s += q[i * ld + l] * q[j * ld + l];
      e = Math.max(e, Math.abs(s - (i === j ? 1 : 0)));
    }
  return e;
}

useLinalgSimd(false);
console.log(
  '| n | CholeskyQR2, JS | reflectors + compact WY, JS | ratio | sampled error CQR2 / reflectors |',
);
console.log('|---|---|---|---|---|');
for (const n of [256, 512, 1024]) {
  choleskyQR2(64, 1);
  haarColumns(64, 64, 1, 0, 0);
  const t0 = performance.now();
  const c = choleskyQR2(n, 2);
  const t1 = performance.now();
  const {data, ld} = haarColumns(n, n, 2, 0, 0);
  const t2 = performance.now();
  console.log(
    `| ${n} | ${(t1 - t0).toFixed(0)} ms ` +
      `| ${(t2 - t1).toFixed(0)} ms ` +
      `| ${((t1 - t0) / (t2 - t1)).toFixed(1)}× ` +
      `| ${error(c, n, n).toExponential(1)} ` +
      `/ ${error(data, n, ld).toExponential(1)} |`,
  );
}
