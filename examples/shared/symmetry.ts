/**
 * Symmetry of the units of a Dense kernel `[in, units]`: unit j is column j.
 * Two units are identical when every incoming weight is equal, the failure of all-zero init.
 */
export interface Symmetry {
  /** Number of distinct columns (1 = every unit identical). */
  distinctUnits: number;
  /** max over inputs i and units j, k of |W[i, j] − W[i, k]|. */
  maxPairwiseDifference: number;
}

/** Measures how different the units (columns) of a kernel `[rows, cols]` are. */
export function unitSymmetry(kernel: Float32Array, rows: number, cols: number): Symmetry {
  let maxDiff = 0;
  for (let i = 0; i < rows; i++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < cols; j++) {
      const v = kernel[i * cols + j];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    maxDiff = Math.max(maxDiff, hi - lo);
  }
  const columns = new Set<string>();
  for (let j = 0; j < cols; j++) {
    const col: number[] = [];
    for (let i = 0; i < rows; i++) col.push(kernel[i * cols + j]);
    columns.add(col.join(','));
  }
  return {distinctUnits: columns.size, maxPairwiseDifference: maxDiff};
}
