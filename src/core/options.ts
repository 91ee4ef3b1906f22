import {InitializerError, describeValue, fail, type ParameterKind} from './errors';

/**
 * Validates and normalises one option or argument. Receives the raw value (possibly `undefined` or
 * `null`, which is how tfjs saves an absent option) and returns the value to store; fails with the
 * standard wording (`fail`). The one validation path of every public class and function.
 */
export type Check<T> = (value: unknown, owner: string, key: string, kind?: ParameterKind) => T;

/** One {@link Check} per option; the keys are the only option names a class accepts. */
export type Schema<O> = {readonly [K in keyof O]-?: Check<O[K]>};

/**
 * What a {@link Check} accepts, as data: each check below carries one, so that the tests, the error
 * table and the docs read an option's kind from a class's schema instead of restating it.
 */
export type OptionKind =
  /** finite > 0, ≤ 1e36 */
  | {kind: 'positive'}
  /** finite ≥ 0, ≤ 1e36 */
  | {kind: 'nonNegative'}
  /** finite, |x| ≤ 1e36 */
  | {kind: 'finite'}
  /** finite (|x| ≤ 1e36) or ±Infinity; only for options that are never saved */
  | {kind: 'bound'}
  /** an integer in [0, 2^53 − 1] */
  | {kind: 'seed'}
  /** an integer ≥ 1 */
  | {kind: 'count'}
  /** a number in [0, 1] */
  | {kind: 'probability'}
  /** true or false */
  | {kind: 'boolean'}
  /** one integer (an axis; negative counts from the end) */
  | {kind: 'axis'}
  /** an integer or an array of distinct integers (fan axes) */
  | {kind: 'axes'}
  /** STFT's window: one of `names` (or an alias), an array of finite numbers, or null */
  | {kind: 'window'; names: readonly string[]}
  /** one of the strings; with `nullable`, `null` is a value of its own ("none"), not "absent" */
  | {kind: 'oneOf'; values: readonly string[]; nullable?: true};

const KINDS = new WeakMap<Check<unknown>, OptionKind>();

/** Tags `check` with what it accepts (see {@link kindOf}); returns it. */
export function withKind<T>(kind: OptionKind, check: Check<T>): Check<T> {
  KINDS.set(check as Check<unknown>, kind);
  return check;
}

/** What `check` accepts, as tagged by {@link withKind}; every check of this module has one. */
export function kindOf(check: Check<unknown>): OptionKind | undefined {
  return KINDS.get(check);
}

/** Largest integer a seed may be (2^53 − 1): every such number is exact in a float64. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * Largest magnitude a real-valued option (a bound, mean, std, gain or scale) may have: 1e36. Every
 * value is written as float32 (largest finite 3.4e38); this leaves room for a normal draw's ten
 * standard deviations and for the width of a uniform range, so no valid option gives ±∞ or NaN.
 */
export const MAX_MAGNITUDE = 1e36;

const absent = (v: unknown): boolean => v === undefined || v === null;

/**
 * Parses a user- or file-supplied options object against a schema.
 *
 * Rejects anything that is not a plain object, and every key the schema does not know that has a
 * value (so a typo like `{gian: 2}` fails instead of being ignored, and so does an option of a newer
 * version: ignoring it would draw other values than the file's writer meant). A key the schema does
 * not know whose value is `null` (or `undefined`) is ignored: `null` means "unset" in tfjs's and
 * Keras's saved configs (Keras 3.15 writes `"input_axes": null` on every `VarianceScaling`), and an
 * option this package adds later takes its old behaviour when unset, so ignoring it changes nothing.
 * The `customObjects` key that tfjs adds when it deserializes is dropped. Only own enumerable keys
 * are read, and the result is built on a null prototype, so `__proto__` or `constructor` keys in a
 * model file cannot reach `Object.prototype`.
 */
export function parseOptions<O>(owner: string, args: unknown, schema: Schema<O>): O {
  const known = Object.keys(schema);
  const raw = knownOptions(owner, withoutUnsetUnknown(args, known), [...known, 'customObjects']);
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of known) {
    const value = Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined;
    out[key] = (schema as Record<string, Check<unknown>>)[key](value, owner, key);
  }
  return out as O;
}

/** `args` without the keys outside `known` whose value is unset (`null` or `undefined`); see {@link parseOptions}. */
function withoutUnsetUnknown(args: unknown, known: readonly string[]): unknown {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return args;
  const given = args as Record<string, unknown>;
  const keys = Object.keys(given);
  const keep = keys.filter((k) => known.includes(k) || k === 'customObjects' || !absent(given[k]));
  if (keep.length === keys.length) return args;
  const out = Object.create(null) as Record<string, unknown>;
  for (const k of keep) out[k] = given[k];
  return out;
}

/** The default of one option: what its check makes of an absent value, or {@link NO_DEFAULT}. */
export const NO_DEFAULT: unique symbol = Symbol('no default');

const defaultsBySchema = new WeakMap<object, Readonly<Record<string, unknown>>>();

/**
 * The default of every option of `schema`: what its check returns for an absent value, or
 * {@link NO_DEFAULT} for an option that must be given (its check refuses `undefined`). Computed once
 * per schema.
 */
export function optionDefaults<O>(
  owner: string,
  schema: Schema<O>,
): Readonly<Record<string, unknown>> {
  const cached = defaultsBySchema.get(schema);
  if (cached !== undefined) return cached;
  const defaults = Object.create(null) as Record<string, unknown>;
  for (const [key, check] of Object.entries(schema) as Array<[string, Check<unknown>]>) {
    try {
      defaults[key] = check(undefined, owner, key);
    } catch (e) {
      if (!(e instanceof InitializerError)) throw e;
      defaults[key] = NO_DEFAULT;
    }
  }
  Object.freeze(defaults);
  defaultsBySchema.set(schema, defaults);
  return defaults;
}

/**
 * Checks an options object of a function or class: absent (`undefined`/`null`) counts as `{}`;
 * anything but a plain object, and any key not in `allowed`, fails (a typo like `{sed: 1}` must
 * not be ignored). `customObjects` is never listed as allowed in the message. Returns the object.
 */
export function knownOptions(
  owner: string,
  args: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (absent(args)) return {};
  if (typeof args !== 'object' || Array.isArray(args)) {
    throw new InitializerError(
      owner,
      'args',
      `options must be an object. Received: ${describeValue(args)}`,
    );
  }
  for (const key of Object.keys(args as object)) {
    if (!allowed.includes(key)) {
      const shown = allowed.filter((k) => k !== 'customObjects');
      const list = shown.length > 0 ? shown.map((k) => `\`${k}\``).join(', ') : 'none';
      throw new InitializerError(owner, key, `unknown option \`${key}\`. Allowed options: ${list}`);
    }
  }
  return args as Record<string, unknown>;
}

/** A value a saved config may hold: tfjs keeps numbers, booleans, `null` and arrays of numbers as they are. */
export type ConfigValue = number | string | boolean | null | number[];

/**
 * Turns parsed options into a tfjs config: `undefined` becomes `null`, as tfjs saves it; arrays are
 * copied (a saved config never shares an array with the instance). Given `defaults` (see
 * {@link optionDefaults}), only the options that differ from their default are kept, as Keras
 * leaves out what it need not say: a config then names what was chosen, and a file written after
 * a later version adds an option still loads in an earlier one unless the option is used.
 */
export function toConfig<O extends object>(
  options: O,
  defaults?: Readonly<Record<string, unknown>>,
): {[key: string]: ConfigValue} {
  const config: {[key: string]: ConfigValue} = {};
  for (const [key, value] of Object.entries(options)) {
    if (defaults !== undefined && key in defaults && sameOption(value, defaults[key])) continue;
    config[key] = Array.isArray(value)
      ? [...(value as number[])]
      : ((value ?? null) as ConfigValue);
  }
  return config;
}

/** Whether an option's value equals its default (arrays element by element; `undefined` as `null`). */
function sameOption(value: unknown, def: unknown): boolean {
  if (Array.isArray(value) && Array.isArray(def))
    return value.length === def.length && value.every((v, i) => v === def[i]);
  return (value ?? null) === (def ?? null);
}

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Fails when |v| > {@link MAX_MAGNITUDE}; call after the finiteness check. */
function bounded(v: number, owner: string, key: string, kind?: ParameterKind): number {
  if (Math.abs(v) > MAX_MAGNITUDE)
    fail(owner, key, 'at most 1e36 in magnitude (larger values overflow float32)', v, kind);
  return v;
}

/** A finite number of magnitude ≤ {@link MAX_MAGNITUDE}, `def` when absent. */
export function finiteNumber(def: number): Check<number> {
  return withKind({kind: 'finite'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (!finite(v)) fail(owner, key, 'a finite number', v, kind);
    return bounded(v, owner, key, kind);
  });
}

/**
 * A bound that may be infinite: ±Infinity, or a finite number of magnitude ≤ {@link MAX_MAGNITUDE};
 * `def` when absent. Only for values that are never saved (JSON has no ±Infinity).
 */
export function boundOrInfinite(def: number): Check<number> {
  return withKind({kind: 'bound'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (typeof v !== 'number' || Number.isNaN(v))
      fail(owner, key, 'a number (±Infinity allowed)', v, kind);
    return Number.isFinite(v) ? bounded(v, owner, key, kind) : v;
  });
}

/** A finite number in (0, {@link MAX_MAGNITUDE}], `def` when absent. */
export function positive(def: number): Check<number> {
  return withKind({kind: 'positive'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (!finite(v) || v <= 0) fail(owner, key, 'a finite number > 0', v, kind);
    return bounded(v, owner, key, kind);
  });
}

/** A finite number in [0, {@link MAX_MAGNITUDE}], `def` when absent. */
export function nonNegative(def: number): Check<number> {
  return withKind({kind: 'nonNegative'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (!finite(v) || v < 0) fail(owner, key, 'a finite number >= 0', v, kind);
    return bounded(v, owner, key, kind);
  });
}

/** A number in [0, 1], `def` when absent (`null` default keeps it optional). */
export function probability(def: number | null): Check<number | null> {
  return withKind({kind: 'probability'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (!finite(v) || v < 0 || v > 1) fail(owner, key, 'a number in [0, 1]', v, kind);
    return v;
  });
}

/** An optional integer ≥ 1 (e.g. an explicit fan); `null` when absent. */
export function optionalPositiveInteger(): Check<number | null> {
  return withKind({kind: 'count'}, (v, owner, key, kind) => {
    if (absent(v)) return null;
    if (!Number.isSafeInteger(v) || (v as number) < 1) fail(owner, key, 'an integer >= 1', v, kind);
    return v as number;
  });
}

/** An integer ≥ 1 (a count: groups, gates), `def` when absent. */
export function positiveInteger(def: number): Check<number> {
  return withKind({kind: 'count'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (!Number.isSafeInteger(v) || (v as number) < 1) fail(owner, key, 'an integer >= 1', v, kind);
    return v as number;
  });
}

/** An optional seed: an integer in [0, 2^53 − 1] (0 is a seed); `null` when absent. */
export function seed(): Check<number | null> {
  const required = requiredSeed();
  return withKind({kind: 'seed'}, (v, owner, key, kind) =>
    absent(v) ? null : required(v, owner, key, kind),
  );
}

/** One of a fixed set of strings, `def` when absent. */
export function oneOf<T extends string>(values: readonly T[], def: T): Check<T> {
  return withKind({kind: 'oneOf', values}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      fail(owner, key, `one of ${values.map((s) => `'${s}'`).join(', ')}`, v, kind);
    }
    return v as T;
  });
}

/** The allowed range of every seed, as error messages state it. */
export const SEED_RANGE = `an integer in [0, ${MAX_SEED}]`;

/** A required seed: an integer in [0, 2^53 − 1] (0 is a seed). */
export function requiredSeed(): Check<number> {
  return withKind({kind: 'seed'}, (v, owner, key, kind) => {
    if (!Number.isSafeInteger(v) || (v as number) < 0) fail(owner, key, SEED_RANGE, v, kind);
    return v as number;
  });
}

/** `true` or `false`, `def` when absent. */
export function bool(def: boolean): Check<boolean> {
  return withKind({kind: 'boolean'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (typeof v !== 'boolean') fail(owner, key, 'true or false', v, kind);
    return v;
  });
}

/**
 * One axis or several: an integer or an array of integers (negative ones count from the end, as in
 * JAX and NumPy). Which axes exist is known only when a shape is given; see `computeFans`.
 */
export type Axes = number | readonly number[];

/** What {@link optionalAxes} allows, as its error messages state it. */
export const AXES_ALLOWED =
  'an integer or an array of distinct integers (axes; negative ones count from the end)';

/**
 * An optional {@link Axes}: an integer, or an array of distinct integers (stored frozen); `null` when
 * absent. Whether the axes exist is checked against the shape at `apply`.
 */
export function optionalAxes(): Check<Axes | null> {
  return withKind({kind: 'axes'}, (v, owner, key, kind) => {
    if (absent(v)) return null;
    if (Number.isSafeInteger(v)) return v as number;
    if (
      !Array.isArray(v) ||
      !v.every((a) => Number.isSafeInteger(a)) ||
      new Set(v).size !== v.length
    )
      fail(owner, key, AXES_ALLOWED, v, kind);
    return Object.freeze([...(v as number[])]);
  });
}

/** One axis: an integer (negative counts from the end), `def` when absent. */
export function axis(def: number): Check<number> {
  return withKind({kind: 'axis'}, (v, owner, key, kind) => {
    if (absent(v)) return def;
    if (!Number.isSafeInteger(v))
      fail(owner, key, 'an integer (an axis; negative counts from the end)', v, kind);
    return v as number;
  });
}

/**
 * One of a fixed set of strings or `null` (which here means "none", as in Keras 3: only an absent
 * option takes the default `def`).
 */
export function oneOfOrNull<T extends string>(
  values: readonly T[],
  def: T | null,
): Check<T | null> {
  return withKind({kind: 'oneOf', values, nullable: true}, (v, owner, key, kind) => {
    if (v === undefined) return def;
    if (v === null) return null;
    if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) {
      fail(owner, key, `one of ${values.map((s) => `'${s}'`).join(', ')} or null`, v, kind);
    }
    return v as T;
  });
}

/**
 * Checks one positional argument with an option check, in the wording for arguments:
 * `` setSeed: argument `seed` must be an integer in [0, 9007199254740991]. Received: seed=-1 ``.
 */
export function checkArgument<T>(owner: string, name: string, value: unknown, check: Check<T>): T {
  return check(value, owner, name, 'argument');
}
