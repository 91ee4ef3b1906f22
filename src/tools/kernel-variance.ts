import {moments, serialization, tidy} from '@tensorflow/tfjs-core';
import type {Initializer} from '../core/tfjs';
import {computeFans} from '../fans';
import {BaseInitializer} from '../initializers/base';
import {checkDims, checkRank, sizeOf} from '../core/tensor-args';
import {fail} from '../core/errors';
import {toCamelCase} from '../core/camel-case';
import {ownValue, setOwn} from '../core/own';
import {seedOf, takesSeed} from './initializer-seed';

/**
 * Variance of a N(0, 1) truncated to [−2, 2]: 1 − 4φ(2)/(2Φ(2) − 1) = 0.7737. tfjs's
 * `VarianceScaling` (and the Glorot/He/LeCun normal presets) draw such a truncated normal without
 * rescaling, so their weights have 0.774 of the variance the scheme intends (upstream #8594).
 */
export const TRUNCATED_VARIANCE = 0.7737413;

/** Largest kernel whose variance is measured by drawing it (initializers without a known formula). */
const MEASURE_LIMIT = 4_000_000;

const PRESETS: Readonly<Record<string, {scale: number; mode: string; distribution: string}>> = {
  GlorotUniform: {scale: 1, mode: 'fanAvg', distribution: 'uniform'},
  GlorotNormal: {scale: 1, mode: 'fanAvg', distribution: 'normal'},
  HeUniform: {scale: 2, mode: 'fanIn', distribution: 'uniform'},
  HeNormal: {scale: 2, mode: 'fanIn', distribution: 'normal'},
  LeCunUniform: {scale: 1, mode: 'fanIn', distribution: 'uniform'},
  LeCunNormal: {scale: 1, mode: 'fanIn', distribution: 'normal'},
};

function num(config: Record<string, unknown>, key: string, def: number): number {
  const v = config[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : def;
}

/**
 * Var(W) of the values an initializer gives a kernel of `shape`: by formula for tfjs's built-ins
 * (with their actual behaviour, e.g. the uncorrected truncated normal), by drawing the kernel once
 * (averaged over seeds 0, 1, ... when unseeded, so the `setSeed` stream is not advanced) for any other registered
 * class. Null when the class is unknown, or the kernel too large to draw.
 *
 * @param className as saved (`'VarianceScaling'`, `'XavierUniformCustom'`, ...).
 * @param config its config, snake_case or camelCase keys and values.
 */
export function kernelVariance(
  className: string,
  config: Record<string, unknown>,
  shape: number[],
): number | null {
  if (typeof className !== 'string') fail('kernelVariance', 'className', 'a string', className);
  if (typeof config !== 'object' || config === null || Array.isArray(config))
    fail('kernelVariance', 'config', 'an object', config);
  checkRank('kernelVariance', checkDims('kernelVariance', shape), 1);
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config))
    setOwn(c, toCamelCase(k), typeof v === 'string' ? toCamelCase(v) : v);
  const rows = sizeOf(shape) / shape[shape.length - 1];
  const cols = shape[shape.length - 1];
  // After useFixedBuiltins() the registry maps tfjs's names to our corrected classes: measure those
  // instead of applying the formulas of tfjs's own (buggy) behaviour below.
  if (isOurs(className)) return measured(className, c, shape);
  switch (className) {
    case 'Zeros':
    case 'Ones':
    case 'Constant':
    case 'ZeroBias':
      return 0;
    case 'RandomUniform':
      return (num(c, 'maxval', 0.05) - num(c, 'minval', -0.05)) ** 2 / 12;
    case 'RandomNormal':
      return num(c, 'stddev', 0.05) ** 2;
    case 'TruncatedNormal':
      return num(c, 'stddev', 0.05) ** 2 * TRUNCATED_VARIANCE;
    case 'Orthogonal':
    case 'Identity':
      return num(c, 'gain', 1) ** 2 / Math.max(rows, cols);
    default:
      break;
  }
  const preset =
    className === 'VarianceScaling'
      ? {
          scale: num(c, 'scale', 1),
          mode: String(c.mode ?? 'fanIn'),
          distribution: String(c.distribution ?? 'normal'),
        }
      : ownValue(PRESETS, className);
  if (preset !== undefined) {
    if (shape.length < 2) return null;
    const {fanIn, fanOut} = computeFans(shape);
    const n =
      preset.mode === 'fanOut' ? fanOut : preset.mode === 'fanAvg' ? (fanIn + fanOut) / 2 : fanIn;
    // tfjs draws the uncorrected truncated normal only for 'normal'; any other value (including
    // 'truncatedNormal') falls through to its uniform branch.
    return (preset.scale / n) * (preset.distribution === 'normal' ? TRUNCATED_VARIANCE : 1);
  }
  return measured(className, c, shape);
}

/** True when `className` is registered (own key) to one of this package's classes. */
function isOurs(className: string): boolean {
  const entry = ownValue(serialization.SerializationMap.getMap().classNameMap, className);
  return entry !== undefined && entry[0].prototype instanceof BaseInitializer;
}

function measured(
  className: string,
  config: Record<string, unknown>,
  shape: number[],
): number | null {
  const entry = ownValue(serialization.SerializationMap.getMap().classNameMap, className);
  if (entry === undefined || sizeOf(shape) > MEASURE_LIMIT) return null;
  // A seeded kernel is measured as it is; an unseeded scheme is averaged over draws with seeds
  // 0, 1, ... (about 1e5 values), which leaves the setSeed stream alone.
  let total = 0;
  try {
    const probe = entry[1](entry[0], config as serialization.ConfigDict) as unknown as Initializer;
    const unseeded = takesSeed(probe) && seedOf(probe) === null;
    const draws = unseeded ? Math.min(50, Math.ceil(1e5 / sizeOf(shape))) : 1;
    for (let s = 0; s < draws; s++) {
      const init = entry[1](
        entry[0],
        (unseeded ? {...config, seed: s} : config) as serialization.ConfigDict,
      ) as unknown as Initializer;
      const v = tidy(() => moments(init.apply(shape)).variance);
      total += v.dataSync()[0];
      v.dispose();
    }
    return total / draws;
  } catch {
    return null;
  }
}

/**
 * E[W²] of the values an initializer gives a weight of `shape`: the square of the mean plus the
 * variance — 1 for `Ones`, v² for `Constant(v)`, (a+b)²/4 + (b−a)²/12 for `RandomUniform(a, b)`,
 * and so on; for other schemes (zero-mean) {@link kernelVariance}. Null when unknown.
 */
export function weightMeanSquare(
  className: string,
  config: Record<string, unknown>,
  shape: number[],
): number | null {
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) setOwn(c, toCamelCase(k), v);
  if (!isOurs(className)) {
    switch (className) {
      case 'Ones':
        return 1;
      case 'Constant':
        return num(c, 'value', 0) ** 2;
      case 'RandomUniform':
        return (
          ((num(c, 'maxval', 0.05) + num(c, 'minval', -0.05)) / 2) ** 2 +
          (kernelVariance(className, config, shape) ?? 0)
        );
      case 'RandomNormal':
      case 'TruncatedNormal':
        return num(c, 'mean', 0) ** 2 + (kernelVariance(className, config, shape) ?? 0);
      default:
        break;
    }
  }
  return kernelVariance(className, config, shape);
}
