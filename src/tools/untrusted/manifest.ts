import {describeValue} from '../../core/errors';
import {childPath, invalid} from './scan';
import type {Limits} from './limits';

/** Bytes per element of each weight dtype a manifest may name (`string` weights have no fixed size). */
const DTYPE_BYTES: Readonly<Record<string, number | null>> = {float32: 4, int32: 4, bool: 1, complex64: 8, string: null};
/** Bytes per element of each quantized storage dtype. */
const QUANTIZED_BYTES: Readonly<Record<string, number>> = {uint8: 1, uint16: 2, float16: 2};

/** What {@link checkManifest} found. */
export interface ManifestSummary {
  /** Weights the manifest lists. */
  weights: number;
  /** Their elements, summed. */
  elements: number;
  /** Bytes the weights files must hold; null when a `string` weight makes it unknowable, or no manifest. */
  bytes: number | null;
}

const own = (record: Readonly<Record<string, unknown>>, key: unknown): boolean =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(record, key);

/**
 * Checks a `weightsManifest`: a list of groups `{paths: string[], weights: [{name, shape, dtype,
 * quantization?}]}` with shapes of integers ≥ 0, known dtypes, at most `maxWeightElements` per
 * weight and `maxTotalElements` in all. Absent (topology only): nothing to check.
 */
export function checkManifest(manifest: unknown, limits: Limits): ManifestSummary {
  const summary: ManifestSummary = {weights: 0, elements: 0, bytes: 0};
  if (manifest === undefined || manifest === null) return {...summary, bytes: null};
  const path = 'weightsManifest';
  if (!Array.isArray(manifest)) throw invalid(path, `must be a list of weight groups. Received: ${describeValue(manifest)}`);
  manifest.forEach((group: unknown, g) => {
    const at = childPath(path, g);
    if (typeof group !== 'object' || group === null || Array.isArray(group)) throw invalid(at, `must be a group {paths, weights}. Received: ${describeValue(group)}`);
    const {paths, weights} = group as {paths?: unknown; weights?: unknown};
    if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p.length === 0)) {
      throw invalid(childPath(at, 'paths'), `must be a list of file names. Received: ${describeValue(paths)}`);
    }
    if (!Array.isArray(weights)) throw invalid(childPath(at, 'weights'), `must be a list of weight specs. Received: ${describeValue(weights)}`);
    weights.forEach((spec: unknown, w) => {
      const specPath = childPath(childPath(at, 'weights'), w);
      if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw invalid(specPath, `must be a weight spec {name, shape, dtype}. Received: ${describeValue(spec)}`);
      const {name, shape, dtype, quantization} = spec as {name?: unknown; shape?: unknown; dtype?: unknown; quantization?: unknown};
      if (typeof name !== 'string') throw invalid(childPath(specPath, 'name'), `must be a string. Received: ${describeValue(name)}`);
      if (!Array.isArray(shape) || shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)) {
        throw invalid(childPath(specPath, 'shape'), `must be a list of integers >= 0. Received: ${describeValue(shape)}`);
      }
      const elements = (shape as number[]).reduce((a, b) => a * b, 1);
      if (elements > limits.maxWeightElements) {
        throw invalid(childPath(specPath, 'shape'), `weight '${name}' has ${elements} elements, more than the ${limits.maxWeightElements} one weight may have (limit maxWeightElements)`);
      }
      if (!own(DTYPE_BYTES, dtype)) throw invalid(childPath(specPath, 'dtype'), `must be one of ${Object.keys(DTYPE_BYTES).join(', ')}. Received: ${describeValue(dtype)}`);
      let bytes = DTYPE_BYTES[dtype as string];
      if (quantization !== undefined && quantization !== null) {
        const q = (quantization as {dtype?: unknown}).dtype;
        if (!own(QUANTIZED_BYTES, q)) throw invalid(childPath(childPath(specPath, 'quantization'), 'dtype'), `must be one of ${Object.keys(QUANTIZED_BYTES).join(', ')}. Received: ${describeValue(q)}`);
        bytes = QUANTIZED_BYTES[q as string];
      }
      summary.weights++;
      summary.elements += elements;
      if (summary.elements > limits.maxTotalElements) {
        throw invalid(path, `the weights listed add up to more than ${limits.maxTotalElements} elements (limit maxTotalElements)`);
      }
      summary.bytes = bytes === null || summary.bytes === null ? null : summary.bytes + elements * bytes;
    });
  });
  return summary;
}
