import {moments, serialization, tidy} from '@tensorflow/tfjs-core';
import type {Initializer} from '../core/tfjs';
import {BaseInitializer} from '../initializers/base';
import {checkDims, checkRank, sizeOf} from '../core/tensor-args';
import {
  TFJS_BUILTIN_NAMES,
  TRUNCATED_VARIANCE,
  drawMoments,
  tfjsDraw,
  tfjsFields,
  tfjsProblem,
  type DrawMoments,
} from '../initializers/builtins/tfjs-builtins';
import {fail} from '../core/errors';
import {toCamelCase} from '../core/camel-case';
import {ownValue, setOwn} from '../core/own';
import {seedOf, takesSeed} from './initializer-seed';

export {TRUNCATED_VARIANCE};

/** Largest kernel whose variance is measured by drawing it (initializers without a known formula). */
const MEASURE_LIMIT = 4_000_000;

const TFJS_BUILTIN_SET: Readonly<Record<string, true>> = Object.fromEntries(
  TFJS_BUILTIN_NAMES.map((n) => [n, true]),
);

/** A saved config with camelCase keys and string values, as tfjs hands it to a constructor. */
function camelConfig(config: Record<string, unknown>): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config))
    setOwn(c, toCamelCase(k), typeof v === 'string' ? toCamelCase(v) : v);
  return c;
}

/** What tfjs's own class `className` draws for `config` and `shape` (tfjs-builtins.ts), or null when it would fail. */
function builtinMoments(
  className: string,
  config: Record<string, unknown>,
  shape: number[],
): DrawMoments | null {
  const fields = tfjsFields(className, config);
  if (fields === null || tfjsProblem(className, fields, shape, 'float32') !== null) return null;
  const draw = tfjsDraw(className, fields, shape);
  return draw === null ? null : drawMoments(draw, shape);
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
  const c = camelConfig(config);
  // After useFixedBuiltins() the registry maps tfjs's names to our corrected classes: measure those
  // instead of predicting tfjs's own (buggy) draws.
  if (isOurs(className)) return measured(className, c, shape);
  if (ownValue(TFJS_BUILTIN_SET, className) === true) {
    // Var(W) as the signal propagation reads it; for Identity, whose values are no i.i.d. draw, E[W²].
    const m = builtinMoments(className, c, shape);
    return m === null ? null : className === 'Identity' ? m.meanSquare : m.variance;
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
  if (!isOurs(className) && ownValue(TFJS_BUILTIN_SET, className) === true)
    return builtinMoments(className, camelConfig(config), shape)?.meanSquare ?? null;
  return kernelVariance(className, config, shape);
}
