/** Host-side statistics of tensor values, in float64. */
import {sizeOf} from '../core/tensor-args';

/** Mean and population standard deviation; NaN for an empty array. */
export function meanStd(values: ArrayLike<number>): {mean: number; std: number} {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i];
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return {mean, std: Math.sqrt(ss / n)};
}

/** A histogram: `counts[i]` values fell in [edges[i], edges[i + 1]) (the last bin is closed). */
export interface Histogram {
  edges: number[];
  counts: number[];
  /** Number of values counted (non-finite values are left out). */
  n: number;
}

/** Equal-width histogram over the finite values' [min, max] (a zero-width range gets width 1e-12). */
export function histogram(values: ArrayLike<number>, bins = 40): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return {edges: [], counts: [], n: 0};
  if (hi - lo < 1e-12) {
    lo -= 5e-13;
    hi += 5e-13;
  }
  const width = (hi - lo) / bins;
  const counts = new Array<number>(bins).fill(0);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
    n++;
  }
  return {edges: Array.from({length: bins + 1}, (_, i) => lo + i * width), counts, n};
}

/**
 * Per-unit activity of an activation tensor viewed as `[rows, units]` (units on the last axis):
 * a unit is dead when it is exactly 0 on every row. Units in `skip` are not counted.
 */
export function deadUnits(
  values: ArrayLike<number>,
  units: number,
  skip?: ReadonlySet<number>,
): number {
  const rows = values.length / units;
  let dead = 0;
  for (let j = 0; j < units; j++) {
    if (skip?.has(j) === true) continue;
    let alive = false;
    for (let r = 0; r < rows && !alive; r++) alive = values[r * units + j] !== 0;
    if (!alive) dead++;
  }
  return dead;
}

/** Fraction of values v with |v − centre| ≥ halfWidth · level: near the asymptotes of tanh or sigmoid. */
export function saturatedFraction(
  values: ArrayLike<number>,
  centre: number,
  halfWidth: number,
  level = 0.99,
): number {
  let count = 0;
  for (let i = 0; i < values.length; i++)
    if (Math.abs(values[i] - centre) >= halfWidth * level) count++;
  return count / values.length;
}

/**
 * Fraction of the rows of a softmax's output (`units` consecutive probabilities each) that are
 * one-hot: largest probability ≥ `level`. Such a row is certain of one class; the softmax's
 * Jacobian there is nearly 0.
 */
export function oneHotFraction(values: ArrayLike<number>, units: number, level = 0.99): number {
  const rows = Math.floor(values.length / units);
  if (rows === 0) return 0;
  let count = 0;
  for (let r = 0; r < rows; r++) {
    let max = -Infinity;
    for (let j = 0; j < units; j++) max = Math.max(max, values[r * units + j]);
    if (max >= level) count++;
  }
  return count / rows;
}

/**
 * Groups of units with identical incoming weights (and identical bias, when given): the failure of
 * constant initialization, where such units compute and learn the same thing forever.
 * `kernel` is `[rows, units]` row-major (units on the last axis). Exact float equality.
 *
 * @returns groups of ≥ 2 unit indices, each sorted, ordered by their first unit.
 */
export function identicalUnits(
  kernel: ArrayLike<number>,
  units: number,
  bias?: ArrayLike<number>,
): number[][] {
  const rows = kernel.length / units;
  const buckets = new Map<string, number[]>();
  for (let j = 0; j < units; j++) {
    // A cheap signature first; equal signatures are then compared exactly.
    let h1 = 0x811c9dc5;
    let sum = 0;
    for (let r = 0; r < rows; r++) {
      const v = kernel[r * units + j];
      sum += v * (r + 1);
      h1 = Math.imul(h1 ^ Math.round(v * 1e6), 16777619);
    }
    const key = `${h1}:${sum}:${bias === undefined ? '' : bias[j]}`;
    const list = buckets.get(key);
    if (list === undefined) buckets.set(key, [j]);
    else list.push(j);
  }
  const same = (a: number, b: number): boolean => {
    if (bias !== undefined && bias[a] !== bias[b]) return false;
    for (let r = 0; r < rows; r++)
      if (kernel[r * units + a] !== kernel[r * units + b]) return false;
    return true;
  };
  const groups: number[][] = [];
  for (const candidates of buckets.values()) {
    const left = [...candidates];
    while (left.length > 1) {
      const head = left.shift() as number;
      const group = [head];
      for (let i = left.length - 1; i >= 0; i--)
        if (same(head, left[i])) group.push(...left.splice(i, 1));
      if (group.length > 1) groups.push(group.sort((a, b) => a - b));
    }
  }
  return groups.sort((a, b) => a[0] - b[0]);
}

/**
 * A statistic over a whole batch and over each group of consecutive examples: with B examples in
 * G groups, group g holds examples ⌊g·B/G⌋ … ⌊(g + 1)·B/G⌋ − 1 (a finding must hold in each).
 */
export interface GroupedValue {
  /** Over every value. */
  all: number;
  /** Over the values of each group, in order. */
  groups: number[];
}

/**
 * Root mean square of a batch's values, over all of them and over each of `groups` groups of
 * consecutive examples (values laid out example after example, as tfjs lays out a tensor whose first
 * axis is the batch). With B examples, group g holds examples ⌊g·B/G⌋ … ⌊(g + 1)·B/G⌋ − 1; G is
 * clamped to [1, B]. Non-finite values make the result non-finite. Every result is multiplied by
 * `scale` (default 1).
 */
export function groupRms(
  values: ArrayLike<number>,
  batch: number,
  groups: number,
  scale = 1,
): GroupedValue {
  const b = Math.max(1, batch);
  const g = Math.max(1, Math.min(groups, b));
  const per = values.length / b;
  const sums = new Array<number>(g).fill(0);
  const counts = new Array<number>(g).fill(0);
  let total = 0;
  for (let k = 0; k < g; k++) {
    const from = Math.floor((k * b) / g) * per;
    const to = Math.floor(((k + 1) * b) / g) * per;
    let s = 0;
    for (let i = from; i < to; i++) s += values[i] * values[i];
    sums[k] = s;
    counts[k] = to - from;
    total += s;
  }
  return {
    all: values.length === 0 ? NaN : scale * Math.sqrt(total / values.length),
    groups: sums.map((s, k) => (counts[k] === 0 ? NaN : scale * Math.sqrt(s / counts[k]))),
  };
}

/**
 * How much values vary across rows, per channel, relative to their size: √(mean over channels of
 * the variance across rows) / RMS, for values laid out `[rows, channels]` (channels on the last
 * axis). 1 for zero-mean noise; near 0 when every row is about the same point — a global average of
 * random noise, where "0 on every row" says nothing about a unit. 0 for all-zero values.
 */
export function rowSpread(values: ArrayLike<number>, channels: number): number {
  const rows = values.length / channels;
  if (rows < 2 || values.length === 0) return 0;
  const mean = new Float64Array(channels);
  let square = 0;
  for (let i = 0; i < values.length; i++) {
    mean[i % channels] += values[i];
    square += values[i] * values[i];
  }
  for (let c = 0; c < channels; c++) mean[c] /= rows;
  let variance = 0;
  for (let i = 0; i < values.length; i++) variance += (values[i] - mean[i % channels]) ** 2;
  const rms = Math.sqrt(square / values.length);
  return rms === 0 ? 0 : Math.sqrt(variance / values.length) / rms;
}

/**
 * The largest value of each channel over all rows, and the std of all values: for values laid out
 * with the channel on axis `axis` of `shape` (the last axis for channels-last layouts).
 */
export function channelMaxStd(
  values: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
): {max: Float32Array; std: number} {
  const channels = shape[axis] ?? 1;
  const inner = sizeOf(shape.slice(axis + 1));
  const max = new Float32Array(channels).fill(-Infinity);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    if (values[i] > max[c]) max[c] = values[i];
  }
  return {max, std: meanStd(values).std};
}
