/**
 * Ziggurat tables for the standard normal (Marsaglia & Tsang, "The Ziggurat Method for Generating
 * Random Variables", J. Stat. Softw. 5(8), 2000), 256 layers, in the layout our samplers use.
 *
 * With f(x) = exp(−x²/2), r = 3.6541528853610088 and v = 4.92867323399e-3 (the paper's constants for
 * 256 layers): x₀ = v / f(r), x₁ = r, x_{i+1} = f⁻¹(v / x_i + f(x_i)), x₂₅₆ = 0. Layer 0 is the base
 * strip [0, x₀] × [0, f(r)] (the part beyond r stands for the tail); layer i ≥ 1 is the box
 * [0, x_i] × [f(x_i), f(x_{i+1})]. Every layer has area v.
 *
 * A draw takes a 32-bit word w: layer i = w & 255, sign = bit 8, m = w >>> 9 (23 bits), and
 * |z| = m · x_i / 2²³. It is accepted at once when m < K[i] = ⌈2²³ · x_{i+1} / x_i⌉ (98.5% of draws;
 * 128 layers would leave 2.8% instead of 1.5% to the slow path).
 */
export const ZIG_LAYERS = 256;
/** Bits of m: 32 − log2(ZIG_LAYERS) − 1 (sign). */
export const ZIG_M_BITS = 23;
export const ZIG_R = 3.6541528853610088;
export const ZIG_V = 4.92867323399e-3;

export interface ZigguratTables {
  /** Fast-accept thresholds on m. */
  k: number[];
  /** x_i · 2⁻²³ rounded to float32: |z| = m · W[i] in float32 arithmetic. */
  w: number[];
  /** f(x_i) for i = 0…256 (f(x₂₅₆) = 1), the heights bounding the wedges. */
  f: number[];
  /** Wedge test in float32: y = FB[i] + FD[i]·u, FB[i] = f32(f(x_i)), FD[i] = f32(f(x_{i+1}) − f(x_i)). */
  fb: number[];
  fd: number[];
  /** Probability that a draw is accepted without the slow path. */
  fastAccept: number;
}

export function computeZigguratTables(): ZigguratTables {
  const f = (x: number): number => Math.exp(-0.5 * x * x);
  const n = ZIG_LAYERS;
  const x = new Array<number>(n + 1);
  x[0] = ZIG_V / f(ZIG_R);
  x[1] = ZIG_R;
  for (let i = 1; i < n - 1; i++) x[i + 1] = Math.sqrt(-2 * Math.log(ZIG_V / x[i] + f(x[i])));
  x[n] = 0;
  const k: number[] = [];
  const w: number[] = [];
  let fastAccept = 0;
  for (let i = 0; i < n; i++) {
    k.push(Math.ceil(2 ** ZIG_M_BITS * (x[i + 1] / x[i])));
    w.push(Math.fround(x[i] / 2 ** ZIG_M_BITS));
    fastAccept += x[i + 1] / x[i] / n;
  }
  const heights = x.map((xi, i) => (i === n ? 1 : f(xi)));
  const fb = heights.slice(0, n).map((h) => Math.fround(h));
  const fd = heights.slice(0, n).map((h, i) => Math.fround(heights[i + 1] - h));
  return {k, w, f: heights, fb, fd, fastAccept};
}
