/** Float32 neighbours, for bounds that must hold after rounding to float32. */

const f32 = new Float32Array(1);
const bits = new Int32Array(f32.buffer);

/** The float32 just above float32 `x` (finite x). */
function nextUp(x: number): number {
  if (x === 0) return 1.401298464324817e-45;
  f32[0] = x;
  bits[0] += x > 0 ? 1 : -1;
  return f32[0];
}

/** The float32 just below float32 `x` (finite x). */
function nextDown(x: number): number {
  return -nextUp(-x);
}

/** Smallest float32 ≥ x (−∞ for −∞). */
export function float32AtLeast(x: number): number {
  const r = Math.fround(x);
  return r < x ? nextUp(r) : r;
}

/** Largest float32 ≤ x (+∞ for +∞). */
export function float32AtMost(x: number): number {
  const r = Math.fround(x);
  return r > x ? nextDown(r) : r;
}

/** Largest float32 < x (finite x). */
export function float32Below(x: number): number {
  const r = Math.fround(x);
  return r >= x ? nextDown(r) : r;
}
