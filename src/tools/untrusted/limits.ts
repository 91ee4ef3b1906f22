import {InitializerError, fail} from '../../core/errors';
import {MAX_ELEMENTS} from '../../core/tensor-args';

/** Limits {@link validateModelJSON} enforces; every one can be raised for files you trust. */
export interface ModelJSONLimits {
  /** Most elements one weight (or one input shape) may have. Default 2^31 − 1 (`MAX_ELEMENTS`). */
  maxWeightElements?: number;
  /** Most elements all weights (plus stateful RNN states) may have together. Default 2^29 (2 GiB of float32). */
  maxTotalElements?: number;
  /** Most layers, nested models and wrapped layers included. Default 10,000. */
  maxLayers?: number;
  /** Deepest nesting of objects and arrays in the file. Default 100. */
  maxDepth?: number;
  /** Most weights files a manifest may name (tfjs's converter writes 4 MB shards). Default 4096. */
  maxWeightFiles?: number;
  /**
   * Longest the dry build may take, in seconds: checked at every layer call, weight and state tfjs
   * asks for while building, so a build that runs away stops with an error. Default 30 (real
   * models build in well under a second; 10,000 layers in a few).
   */
  maxBuildSeconds?: number;
}

/** {@link ModelJSONLimits} with every default filled in. */
export type Limits = Required<ModelJSONLimits>;

/** The defaults of {@link ModelJSONLimits}. */
export const DEFAULT_MODEL_JSON_LIMITS: Readonly<Limits> = Object.freeze({
  maxWeightElements: MAX_ELEMENTS,
  maxTotalElements: 2 ** 29,
  maxLayers: 10_000,
  maxDepth: 100,
  maxWeightFiles: 4096,
  maxBuildSeconds: 30,
});

/** Fills in the defaults; each given limit must be an integer ≥ 1. */
export function resolveLimits(owner: string, limits: ModelJSONLimits | undefined): Limits {
  if (
    limits !== undefined &&
    (typeof limits !== 'object' || limits === null || Array.isArray(limits))
  )
    fail(owner, 'limits', 'an object', limits);
  const out = {...DEFAULT_MODEL_JSON_LIMITS};
  for (const key of Object.keys(limits ?? {})) {
    if (!Object.prototype.hasOwnProperty.call(DEFAULT_MODEL_JSON_LIMITS, key)) {
      const allowed = Object.keys(DEFAULT_MODEL_JSON_LIMITS)
        .map((k) => `\`${k}\``)
        .join(', ');
      throw new InitializerError(
        owner,
        key,
        `unknown option \`${key}\`. Allowed options: ${allowed}`,
      );
    }
    const value = (limits as Record<string, unknown>)[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || (value as number) < 1)
      fail(owner, key, 'an integer >= 1', value);
    out[key as keyof Limits] = value as number;
  }
  return out;
}
