import {describeValue} from '../../core/errors';
import {sizeOf} from '../../core/tensor-args';
import {childPath, invalid} from './scan';
import type {Limits} from './limits';

/**
 * Bytes per element of each weight dtype a manifest may name, as tfjs decodes them. `string`
 * weights have no fixed size (each value carries its own length), so the bytes a file must hold
 * could not be known before reading it: they are refused (no tfjs layer creates one).
 */
const DTYPE_BYTES: Readonly<Record<string, number>> = {float32: 4, int32: 4, bool: 1, complex64: 8};
/** Bytes per element of each quantized storage dtype, and the weight dtypes tfjs dequantizes it to. */
const QUANTIZED: Readonly<Record<string, {bytes: number; to: readonly string[]}>> = {
  uint8: {bytes: 1, to: ['float32', 'int32']},
  uint16: {bytes: 2, to: ['float32', 'int32']},
  float16: {bytes: 2, to: ['float32']},
};

/** One weight spec of a manifest, checked. */
export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
  /** `'optimizer'` for optimizer state (tfjs hands it to the optimizer, not to a layer); else null. */
  group: string | null;
  /** Where it is in the file: `weightsManifest[0].weights[3]`. */
  place: string;
  /** Bytes it takes in the weights files. */
  bytes: number;
}

/** One group of a manifest: the files it names and the bytes they must hold together. */
export interface ManifestGroup {
  paths: string[];
  /** Exactly the bytes its weights take, in order. */
  bytes: number;
  /** Where it is in the file: `weightsManifest[0]`. */
  place: string;
}

/** What {@link checkManifest} found. */
export interface ManifestSummary {
  /** Every weight spec, in file order. */
  entries: ManifestEntry[];
  groups: ManifestGroup[];
  /** Their elements, summed. */
  elements: number;
  /** Bytes the weights files must hold, all groups together; null without a manifest. */
  bytes: number | null;
}

const own = (record: Readonly<Record<string, unknown>>, key: unknown): boolean =>
  typeof key === 'string' && Object.prototype.hasOwnProperty.call(record, key);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Bytes per element of a spec, checking its dtype and quantization as tfjs's `decodeWeights` would. */
function bytesPerElement(spec: Record<string, unknown>, specPath: string): number {
  const {dtype} = spec;
  // tfjs tests `'quantization' in spec`: a present key means quantized, whatever its value.
  if (Object.prototype.hasOwnProperty.call(spec, 'quantization')) {
    const q = spec.quantization;
    const qPath = childPath(specPath, 'quantization');
    if (!isObject(q))
      throw invalid(
        qPath,
        `must be {dtype, scale, min} or {dtype: 'float16'}. Received: ${describeValue(q)}`,
      );
    if (!own(QUANTIZED, q.dtype))
      throw invalid(
        childPath(qPath, 'dtype'),
        `must be one of ${Object.keys(QUANTIZED).join(', ')}. Received: ${describeValue(q.dtype)}`,
      );
    const {bytes, to} = QUANTIZED[q.dtype as string];
    if (!to.includes(dtype as string)) {
      throw invalid(
        childPath(specPath, 'dtype'),
        `must be ${to.join(' or ')} for a weight quantized as ${q.dtype as string}. Received: ${describeValue(dtype)}`,
      );
    }
    if (q.dtype !== 'float16') {
      for (const key of ['scale', 'min']) {
        if (typeof q[key] !== 'number')
          throw invalid(
            childPath(qPath, key),
            `must be a number (tfjs dequantizes v·scale + min). Received: ${describeValue(q[key])}`,
          );
      }
    }
    return bytes;
  }
  if (!own(DTYPE_BYTES, dtype)) {
    const why =
      dtype === 'string'
        ? ' (string weights have no fixed size, and no tfjs layer creates one)'
        : '';
    throw invalid(
      childPath(specPath, 'dtype'),
      `must be one of ${Object.keys(DTYPE_BYTES).join(', ')}${why}. Received: ${describeValue(dtype)}`,
    );
  }
  return DTYPE_BYTES[dtype as string];
}

/**
 * Checks a `weightsManifest`: a list of groups `{paths: string[], weights: [{name, shape, dtype,
 * quantization?, group?}]}` with shapes of integers ≥ 0, dtypes and quantizations tfjs decodes
 * (the byte size of each weight follows from them), at most `maxWeightElements` per weight,
 * `maxTotalElements` in all and `maxWeightFiles` files, no file named twice. Absent (topology
 * only): nothing to check. Whether the specs match the model's weights is
 * {@link matchManifest}'s part, after the dry build.
 */
export function checkManifest(manifest: unknown, limits: Limits): ManifestSummary {
  const summary: ManifestSummary = {entries: [], groups: [], elements: 0, bytes: 0};
  if (manifest === undefined || manifest === null) return {...summary, bytes: null};
  const path = 'weightsManifest';
  if (!Array.isArray(manifest))
    throw invalid(path, `must be a list of weight groups. Received: ${describeValue(manifest)}`);
  const files = new Map<string, string>();
  let fileCount = 0;
  manifest.forEach((group: unknown, g) => {
    const at = childPath(path, g);
    if (!isObject(group))
      throw invalid(at, `must be a group {paths, weights}. Received: ${describeValue(group)}`);
    const {paths, weights} = group as {paths?: unknown; weights?: unknown};
    if (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' || p.length === 0)) {
      throw invalid(
        childPath(at, 'paths'),
        `must be a list of file names. Received: ${describeValue(paths)}`,
      );
    }
    paths.forEach((p: string, i) => {
      const place = childPath(childPath(at, 'paths'), i);
      if (++fileCount > limits.maxWeightFiles) {
        throw invalid(
          place,
          `the manifest names more than ${limits.maxWeightFiles} weights files (limit maxWeightFiles)`,
        );
      }
      const seen = files.get(p);
      if (seen !== undefined)
        throw invalid(place, `the file ${describeValue(p)} is named twice (also at ${seen})`);
      files.set(p, place);
    });
    if (!Array.isArray(weights))
      throw invalid(
        childPath(at, 'weights'),
        `must be a list of weight specs. Received: ${describeValue(weights)}`,
      );
    let groupBytes = 0;
    weights.forEach((spec: unknown, w) => {
      const specPath = childPath(childPath(at, 'weights'), w);
      if (!isObject(spec))
        throw invalid(
          specPath,
          `must be a weight spec {name, shape, dtype}. Received: ${describeValue(spec)}`,
        );
      const {
        name,
        shape,
        dtype,
        group: specGroup,
      } = spec as {name?: unknown; shape?: unknown; dtype?: unknown; group?: unknown};
      if (typeof name !== 'string' || name.length === 0)
        throw invalid(
          childPath(specPath, 'name'),
          `must be a non-empty string. Received: ${describeValue(name)}`,
        );
      if (
        !Array.isArray(shape) ||
        shape.some((d) => !Number.isSafeInteger(d) || (d as number) < 0)
      ) {
        throw invalid(
          childPath(specPath, 'shape'),
          `must be a list of integers >= 0. Received: ${describeValue(shape)}`,
        );
      }
      const elements = sizeOf(shape as number[]);
      if (elements > limits.maxWeightElements) {
        throw invalid(
          childPath(specPath, 'shape'),
          `weight '${name}' has ${elements} elements, more than ` +
            `the ${limits.maxWeightElements} one weight may have (limit ` +
            `maxWeightElements)`,
        );
      }
      if (specGroup !== undefined && specGroup !== null && typeof specGroup !== 'string') {
        throw invalid(
          childPath(specPath, 'group'),
          `must be a string. Received: ${describeValue(specGroup)}`,
        );
      }
      const bytes = elements * bytesPerElement(spec, specPath);
      summary.elements += elements;
      if (summary.elements > limits.maxTotalElements) {
        throw invalid(
          path,
          `the weights listed add up to more than ${limits.maxTotalElements} elements (limit maxTotalElements)`,
        );
      }
      summary.entries.push({
        name,
        shape: [...(shape as number[])],
        dtype: dtype as string,
        group: (specGroup as string | undefined) ?? null,
        place: specPath,
        bytes,
      });
      groupBytes += bytes;
    });
    summary.groups.push({paths: [...paths], bytes: groupBytes, place: at});
    summary.bytes = (summary.bytes as number) + groupBytes;
  });
  return summary;
}
