import type {Layer} from '../core/tfjs';
import {identicalUnits} from './stats';

/**
 * The units of a weighted layer, read from its kernel: groups of identical units (the failure of
 * constant initialization), all-zero units (dead filters), and whether the weight gradients of the
 * analysis leave each set stuck.
 */

/** Layers whose kernel's last axis (or second-last, for transposed convolutions) indexes units. */
const UNIT_AXIS: Readonly<Record<string, number>> = {
  Dense: -1,
  Conv1D: -1,
  Conv2D: -1,
  Conv3D: -1,
  Conv2DTranspose: -2,
  Conv3DTranspose: -2,
  SeparableConv1D: -1,
  SeparableConv2D: -1,
  DepthwiseConv2D: -1,
};
/** A kernel (or its gradient) rearranged host-side as `[rows, units]`, units taken from `unitAxis`. */
function toUnitsLast(values: Float32Array, shape: number[], unitAxis: number): Float32Array {
  if (unitAxis === shape.length - 1) return values;
  // Transposed convolutions: [...k, units, inputs] → [...k, inputs, units].
  const units = shape[unitAxis];
  const inner = shape[shape.length - 1];
  const out = new Float32Array(values.length);
  for (let p = 0; p < values.length / (units * inner); p++) {
    for (let u = 0; u < units; u++)
      for (let i = 0; i < inner; i++)
        out[(p * inner + i) * units + u] = values[(p * units + u) * inner + i];
  }
  return out;
}

/**
 * Units of a weighted layer: symmetric groups (identical, non-zero), all-zero units, and whether
 * each set's gradients leave it stuck.
 */
export interface Units {
  groups: number[][];
  stuck: boolean;
  zero: number[];
  zeroStuck: boolean;
}

/** The units of `layer` from its kernel and the gradients of the pass; null for layers without units. */
export function unitsOf(layer: Layer, grads: Map<string, Float32Array>): Units | null {
  const className = layer.getClassName();
  const axis = UNIT_AXIS[className];
  // The kernel that maps inputs to units: a separable layer's pointwise kernel, a depthwise layer's depthwise kernel.
  const kernel =
    layer.weights.find((w) => /(^|\/)(pointwise_kernel|kernel)$/.test(w.originalName)) ??
    layer.weights.find((w) => /(^|\/)depthwise_kernel$/.test(w.originalName));
  if (axis === undefined || kernel === undefined) return null;
  const depthwise = /depthwise_kernel$/.test(kernel.originalName);
  const shape = kernel.shape as number[];
  // Depthwise [kh, kw, C, m]: unit (c, j) has the kh·kw weights of its own channel.
  const unitAxis = shape.length + axis;
  const units = depthwise ? shape[shape.length - 1] * shape[shape.length - 2] : shape[unitAxis];
  const values = depthwise
    ? (kernel.read().dataSync() as Float32Array)
    : toUnitsLast((kernel.read().dataSync() as Float32Array).slice(), shape, unitAxis);
  const bias = layer.weights.find((w) => /(^|\/)bias$/.test(w.originalName));
  const biasValues = bias === undefined ? undefined : (bias.read().dataSync() as Float32Array);
  const rows = values.length / units;
  const zero: number[] = [];
  for (let u = 0; u < units; u++) {
    let all = true;
    for (let r = 0; r < rows && all; r++) all = values[r * units + u] === 0;
    if (all) zero.push(u);
  }
  // Identical units compute the same function only when they see the same inputs: not so for depthwise channels.
  const groups = depthwise
    ? []
    : identicalUnits(values, units, biasValues).filter(
        (g) => !(zero.includes(g[0]) && zero.length < units),
      );
  const raw = grads.get(kernel.name);
  const g = raw === undefined ? undefined : depthwise ? raw : toUnitsLast(raw, shape, unitAxis);
  const same = (group: number[]): boolean => {
    if (g === undefined) return false;
    for (let r = 0; r < rows; r++) {
      const ref = g[r * units + group[0]];
      for (const u of group)
        if (Math.abs(g[r * units + u] - ref) > 1e-6 * Math.abs(ref) + 1e-30) return false;
    }
    return true;
  };
  const noGradient = (us: number[]): boolean =>
    g !== undefined &&
    us.every((u) => {
      for (let r = 0; r < rows; r++) if (g[r * units + u] !== 0) return false;
      return true;
    });
  return {
    groups,
    stuck: groups.length > 0 && groups.every(same),
    zero: zero.length === units ? [] : zero,
    zeroStuck: zero.length > 0 && noGradient(zero),
  };
}
