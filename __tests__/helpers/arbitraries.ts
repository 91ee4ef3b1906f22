/**
 * fast-check arbitraries for every registered initializer (and the fixed tfjs built-ins): valid
 * (shape, dtype, options) the scheme accepts, and invalid shapes, dtypes and option values it must
 * refuse. Used by the property tests and by the fuzz script (scripts/fuzz.ts).
 *
 * Everything is derived from the class (scripts/catalogue.ts): valid draws combine shapes of the
 * ranks its ShapeFacts name (and shapes near its example) with values of each option's kind, kept
 * when the class accepts them (construction and `validate`, which allocate nothing); refused ranks
 * come from the same ShapeFacts. A new initializer needs nothing here. Where options constrain one
 * another or the shape, a sharper generator below (`SHARPER`) draws more of the valid space; the
 * derived one still runs beside it.
 */
import fc from 'fast-check';

import {
  CATALOGUE,
  FIXED_BUILTINS,
  classOfFacts,
  type ClassFacts,
  type OptionKind,
} from '../../scripts/catalogue';
import {InitializerError} from '../../src';
import {ownValue} from '../../src/core/own';
import {WINDOW_ALIASES} from '../../src/initializers/windows';

export type {OptionKind};

/** A valid draw: options and a shape the class accepts together. */
type Valid = {options: Record<string, unknown>; shape: number[]};

/** What the properties need to know about one initializer class: its facts (scripts/catalogue.ts) and generators. */
export interface InitializerSpec extends ClassFacts {
  /** Valid (options, shape) pairs, jointly, since some options constrain the shape. */
  valid: fc.Arbitrary<Valid>;
  /** Shapes it must refuse for their rank alone (dims all valid); null when every rank works. */
  badRanks: fc.Arbitrary<number[]> | null;
}

/** Most elements a property run allocates per tensor: keeps 2-core runs to seconds. */
export const MAX_PROPERTY_ELEMENTS = 4096;

/**
 * Shapes of rank in [minRank, maxRank] with dims in [1, 64] and at most `cap` elements: each drawn
 * dim is clamped so the running product stays within the cap.
 */
export function shapes(
  minRank: number,
  maxRank: number,
  cap = MAX_PROPERTY_ELEMENTS,
): fc.Arbitrary<number[]> {
  return fc
    .array(fc.integer({min: 1, max: 64}), {minLength: minRank, maxLength: maxRank})
    .map((dims) => {
      let product = 1;
      return dims.map((d) => {
        const kept = Math.max(1, Math.min(d, Math.floor(cap / product)));
        product *= kept;
        return kept;
      });
    });
}

/** Log-uniform positive numbers in [10^lo, 10^hi]. */
const logUniform = (lo: number, hi: number): fc.Arbitrary<number> =>
  fc.double({min: lo, max: hi, noNaN: true}).map((e) => 10 ** e);

const seedArb = fc.option(fc.maxSafeNat(), {nil: undefined});
const fanArb = fc.option(fc.integer({min: 1, max: 1_000_000}), {nil: undefined});
const gainArb = logUniform(-3, 3);

/** Drops `undefined` entries, so that absent options are really absent. */
function defined(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
}

/** The values of a `oneOf` option of a class (from its schema). */
function valuesOf(facts: ClassFacts, key: string): readonly string[] {
  const kind = facts.options[key];
  if (kind?.kind !== 'oneOf') throw new Error(`${facts.name}.${key} is not a oneOf option`);
  return kind.values;
}

// ---------------------------------------------------------------------------------------------
// The derived generator: any class, from its ShapeFacts and option kinds.

/** Whether `facts`' class accepts `options` at construction and `shape` at `validate`. */
function accepts(facts: ClassFacts, {options, shape}: Valid): boolean {
  const Cls = classOfFacts(facts) as unknown as new (o: object) => {validate(s: number[]): unknown};
  try {
    new Cls(options).validate(shape);
    return true;
  } catch (e) {
    if (e instanceof InitializerError) return false;
    throw e;
  }
}

/** Shapes of the example's rank with each dim redrawn in [1, 2·d + 2] (dims of 1 stay 1). */
function nearExample(example: readonly number[]): fc.Arbitrary<number[]> {
  return fc.tuple(
    ...example.map((d) => (d === 1 ? fc.constant(1) : fc.integer({min: 1, max: 2 * d + 2}))),
  );
}

/** A value of `kind` that fits a shape of rank `rank` (axes within it; any value of other kinds). */
function valueFor(kind: OptionKind, rank: number): fc.Arbitrary<unknown> {
  const axisOf = fc.integer({min: -Math.max(rank, 1), max: Math.max(rank - 1, 0)});
  if (kind.kind === 'axis') return axisOf;
  if (kind.kind === 'axes')
    return fc.oneof(
      axisOf,
      fc.uniqueArray(fc.nat({max: Math.max(rank - 1, 0)}), {maxLength: rank}),
    );
  return validValue(kind);
}

/**
 * Valid draws of any class: a shape of a rank it fills (or near its example), each option absent
 * or a value of its kind (axes mostly absent: they must name distinct axes), kept when the class
 * accepts the pair.
 */
export function derivedValid(facts: ClassFacts): fc.Arbitrary<Valid> {
  const [min, max] = facts.ranks;
  const shape = fc.oneof(shapes(min, Math.min(max, 5)), nearExample(facts.example));
  return shape
    .chain((dims) =>
      fc
        .record(
          Object.fromEntries(
            Object.entries(facts.options).map(([key, kind]) => {
              const absent = kind.kind === 'axes' ? 4 : 1;
              const value = valueFor(kind, dims.length);
              return [
                key,
                fc.oneof(
                  {arbitrary: fc.constant(undefined), weight: absent},
                  {arbitrary: value, weight: 1},
                ),
              ];
            }),
          ),
        )
        .map((options) => ({options: defined(options), shape: dims})),
    )
    .filter((draw) => accepts(facts, draw));
}

/** Shapes of a rank the class refuses with default options (ranks 6–7 with at most 64 elements). */
function derivedBadRanks(facts: ClassFacts): fc.Arbitrary<number[]> | null {
  const [min, max] = facts.ranks;
  const below = min > 0 ? [shapes(0, min - 1)] : [];
  const above = max < 7 ? [shapes(max + 1, 7, max + 1 >= 6 ? 64 : MAX_PROPERTY_ELEMENTS)] : [];
  const refused = [...below, ...above];
  return refused.length === 0 ? null : fc.oneof(...refused);
}

// ---------------------------------------------------------------------------------------------
// Sharper generators, where options constrain one another or the shape.

/**
 * Fan axes for a shape: each axis gets a role from two bits of `pick` (input, output, batch, or
 * none: the receptive field for JAX's rule, ignored by Keras's), written as a non-negative or
 * (odd `pick`) negative index. JAX's rule gives inAxis/outAxis/batchAxis (an integer when one axis),
 * Keras 3's gives inputAxes/outputAxes.
 */
export function axesFor(
  shape: readonly number[],
  pick: number,
  rule: 'jax' | 'keras',
): Record<string, unknown> {
  const rank = shape.length;
  const roles = shape.map((_, i) => Math.floor(pick / 4 ** i) % 4);
  const named = (role: number): number[] =>
    roles.flatMap((r, i) => (r === role ? [pick % 2 === 1 ? i - rank : i] : []));
  const one = (axes: number[]): number | number[] => (axes.length === 1 ? axes[0] : axes);
  if (rule === 'keras') return {inputAxes: named(0), outputAxes: named(1)};
  return {inAxis: one(named(0)), outAxis: one(named(1)), batchAxis: named(2)};
}

/**
 * Variance-scaling classes (every class with `fanIn` and the JAX and Keras axis options): rank
 * 1–5 shapes, rank 1 with both fans given, or any rank with fan axes of either rule; the class's
 * other options drawn by kind.
 */
function scaled(facts: ClassFacts): fc.Arbitrary<Valid> {
  const own = Object.entries(facts.options).filter(
    ([key]) =>
      ![
        'seed',
        'fanIn',
        'fanOut',
        'inAxis',
        'outAxis',
        'batchAxis',
        'inputAxes',
        'outputAxes',
      ].includes(key),
  );
  return fc
    .record({
      shape: shapes(1, 5),
      seed: seedArb,
      fanIn: fanArb,
      fanOut: fanArb,
      rule: fc.constantFrom('tfjs', 'jax', 'keras'),
      pick: fc.nat(),
      ...Object.fromEntries(
        own.map(([key, kind]) => [
          key,
          key === 'gain' || key === 'scale' ? gainArb : validValue(kind),
        ]),
      ),
    })
    .map(({shape, rule, pick, ...options}) => {
      const o = defined(options);
      if (rule === 'jax' || rule === 'keras') {
        delete o.fanIn;
        delete o.fanOut;
        return {options: {...o, ...axesFor(shape, pick, rule)}, shape};
      }
      if (shape.length < 2) Object.assign(o, {fanIn: o.fanIn ?? 3, fanOut: o.fanOut ?? 5});
      return {options: o, shape};
    });
}

/** A conv kernel [...k, in, out] of rank 3–5 with kernel sizes 1–7 and in ≤ out when `inLeOut`. */
function convShapes(inLeOut: boolean, oddKernel = false): fc.Arbitrary<number[]> {
  return fc
    .tuple(
      fc.array(fc.integer({min: 1, max: 7}), {minLength: 1, maxLength: 3}),
      fc.integer({min: 1, max: 16}),
      fc.integer({min: 1, max: 16}),
    )
    .map(([k, a, b]) => {
      const kernel = oddKernel ? k.map((d) => (d % 2 === 0 ? d - 1 : d)) : k;
      const [cin, cout] = inLeOut ? [Math.min(a, b), Math.max(a, b)] : [a, b];
      return [...kernel, cin, cout];
    });
}

/** A fixed built-in's config: optionally with Keras 3.15's inputAxes/outputAxes for the shape. */
const withKerasAxes = (
  shape: number[],
  options: Record<string, unknown>,
  keras: boolean,
  pick: number,
): Valid => ({
  shape,
  options: keras ? {...options, ...axesFor(shape, pick, 'keras')} : options,
});

/** The sharper generators, by class name; each takes the class's facts. */
const SHARPER: Readonly<Record<string, (facts: ClassFacts) => fc.Arbitrary<Valid>>> = {
  Uniform: () =>
    fc
      .record({
        shape: shapes(1, 5),
        low: fc.double({min: -100, max: 100, noNaN: true}),
        width: logUniform(-3, 2),
        seed: seedArb,
      })
      .map(({shape, low, width, seed}) => ({
        shape,
        options: defined({low, high: low + width, seed}),
      })),
  // Bounds within ±6 std of the mean, at least 0.05 std apart: always drawable in float32.
  TruncNormal: () =>
    fc
      .record({
        shape: shapes(1, 5),
        mean: fc.double({min: -10, max: 10, noNaN: true}),
        std: logUniform(-2, 1),
        lo: fc.double({min: -6, max: 5.9, noNaN: true}),
        span: fc.double({min: 0.05, max: 8, noNaN: true}),
        seed: seedArb,
      })
      .map(({shape, mean, std, lo, span, seed}) => ({
        shape,
        options: defined({
          mean,
          std,
          a: mean + lo * std,
          b: mean + Math.min(6, lo + span) * std,
          seed,
        }),
      })),
  SparseInit: () =>
    fc
      .record({
        shape: shapes(2, 5),
        sparsity: fc.double({min: 0, max: 1, noNaN: true}),
        k: fc.double({min: 0, max: 1, noNaN: true}),
        martens: fc.boolean(),
        std: logUniform(-3, 1),
        seed: seedArb,
      })
      .map(({shape, sparsity, k, martens, std, seed}) => {
        const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
        return {
          shape,
          options: defined(
            martens
              ? {nonzeroPerUnit: Math.max(1, Math.round(k * rows)), std, seed}
              : {sparsity, std, seed},
          ),
        };
      }),
  OrthogonalInitializer: () =>
    fc
      .record({
        shape: shapes(2, 5, 1024),
        gain: gainArb,
        seed: seedArb,
        g: fc.nat(),
        c: fc.integer({min: -6, max: 6}),
      })
      .map(({shape, gain, seed, g, c}) => {
        const axis = ((c % shape.length) + shape.length) % shape.length;
        const columnAxis = c === 6 ? undefined : c < 0 ? axis - shape.length : axis;
        const cols = shape[columnAxis === undefined ? shape.length - 1 : axis];
        const divisors = Array.from({length: cols}, (_, i) => i + 1).filter((d) => cols % d === 0);
        return {
          shape,
          options: defined({gain, seed, gates: divisors[g % divisors.length], columnAxis}),
        };
      }),
  DeltaOrthogonal: (facts) =>
    fc
      .record({
        shape: convShapes(true),
        gain: gainArb,
        seed: seedArb,
        tap: fc.constantFrom(...valuesOf(facts, 'tap')),
      })
      .map(({shape, ...o}) => ({shape, options: defined(o)})),
  Dirac: (facts) =>
    fc
      .record({
        shape: convShapes(false),
        g: fc.nat(),
        tap: fc.constantFrom(...valuesOf(facts, 'tap')),
      })
      .map(({shape, g, tap}) => {
        const out = shape[shape.length - 1];
        const divisors = Array.from({length: out}, (_, i) => i + 1).filter((d) => out % d === 0);
        return {shape, options: {groups: divisors[g % divisors.length], tap}};
      }),
  ZerO: () =>
    fc.oneof(shapes(2, 2), convShapes(false, true)).map((shape) => ({shape, options: {}})),
  /**
   * STFT kernels [frameLength, 1, bins]: named windows on frames of 1 or ≥ 3 samples (a symmetric
   * window of 2 can be all zero), explicit positive windows, or none.
   */
  STFT: (facts) => {
    const window = facts.options.window;
    const names = window?.kind === 'window' ? window.names : [];
    return fc
      .record({
        frame: fc.integer({min: 1, max: 48}),
        bins: fc.integer({min: 2, max: 33}),
        side: fc.constantFrom(...valuesOf(facts, 'side')),
        window: fc.oneof(
          fc.constantFrom(...names, 'han', 'rect', 'tuk'),
          fc.constant(null),
          fc.constant('explicit'),
        ),
        scaling: fc.constantFrom(...valuesOf(facts, 'scaling'), null),
        periodic: fc.boolean(),
        values: fc.array(fc.double({min: 0.01, max: 10, noNaN: true}), {
          minLength: 48,
          maxLength: 48,
        }),
      })
      .map(({frame, bins, window, values, ...o}) => {
        const length =
          typeof window === 'string' && window !== 'explicit' && frame === 2 ? 3 : frame;
        return {
          shape: [length, 1, bins],
          options: {...o, window: window === 'explicit' ? values.slice(0, length) : window},
        };
      });
  },
  // The fixed tfjs built-ins, under tfjs's names.
  VarianceScaling: (facts) =>
    fc
      .record({
        shape: shapes(1, 5),
        scale: logUniform(-3, 3),
        mode: fc.constantFrom(...valuesOf(facts, 'mode')),
        distribution: fc.constantFrom(...valuesOf(facts, 'distribution')),
        seed: seedArb,
        keras: fc.boolean(),
        pick: fc.nat(),
      })
      .map(({shape, keras, pick, ...o}) => withKerasAxes(shape, defined(o), keras, pick)),
  RandomUniform: () =>
    fc
      .record({
        shape: shapes(1, 5),
        minval: fc.double({min: -100, max: 100, noNaN: true}),
        width: logUniform(-3, 2),
        seed: seedArb,
      })
      .map(({shape, minval, width, seed}) => ({
        shape,
        options: defined({minval, maxval: minval + width, seed}),
      })),
};

/** The tfjs presets among the fixed built-ins: `{seed, inputAxes, outputAxes}` on any shape. */
const preset = (): fc.Arbitrary<Valid> =>
  fc
    .record({shape: shapes(1, 5), seed: seedArb, keras: fc.boolean(), pick: fc.nat()})
    .map(({shape, seed, keras, pick}) => withKerasAxes(shape, defined({seed}), keras, pick));

/** The sharper generator of a class, if any: by name, or the variance-scaling or preset shape of its options. */
function sharperOf(facts: ClassFacts): fc.Arbitrary<Valid> | null {
  const own = SHARPER[facts.name];
  if (own !== undefined) return own(facts);
  const keys = Object.keys(facts.options);
  if (keys.includes('fanIn') && keys.includes('inAxis')) return scaled(facts);
  if (keys.join() === 'seed,inputAxes,outputAxes') return preset();
  return null;
}

function specsOf(facts: readonly ClassFacts[]): InitializerSpec[] {
  return facts.map((f) => {
    const sharper = sharperOf(f);
    const derived = derivedValid(f);
    return {
      ...f,
      valid: sharper === null ? derived : fc.oneof(sharper, derived),
      badRanks: derivedBadRanks(f),
    };
  });
}

/** Every registered initializer of the package, with generators. */
export const INITIALIZER_SPECS: readonly InitializerSpec[] = specsOf(CATALOGUE);

/** The fixed tfjs built-ins `useFixedBuiltins()` registers under tfjs's names, with generators. */
export const FIXED_BUILTIN_SPECS: readonly InitializerSpec[] = specsOf(FIXED_BUILTINS);

/** A value that is not a number (for numeric options): strings, booleans, arrays, objects. */
const notANumber = fc.oneof(
  fc.string({maxLength: 4}),
  fc.boolean(),
  fc.constant([1]),
  fc.constant({value: 1}),
  fc.constant('1'),
);
const nonFinite = fc.constantFrom(NaN, Infinity, -Infinity);
const tooBig = fc
  .double({min: 1.0000001e36, max: 1e300, noNaN: true})
  .chain((x) => fc.constantFrom(x, -x));
/** Not a safe integer: fractions, non-finite numbers, huge ones, and non-numbers. */
const notAnInteger = fc.oneof(
  fc.string({maxLength: 4}),
  fc.boolean(),
  fc.constant({value: 1}),
  nonFinite,
  fc.double({min: -1e6, max: 1e6, noNaN: true}).filter((x) => !Number.isInteger(x)),
  fc.constant(2 ** 53),
);

/** Values an option of `kind` must refuse (never null or undefined: those mean "absent"). */
export function invalidValue(kind: OptionKind): fc.Arbitrary<unknown> {
  switch (kind.kind) {
    case 'positive':
      return fc.oneof(
        notANumber,
        nonFinite,
        tooBig.map(Math.abs),
        fc.double({min: -1e6, max: 0, noNaN: true}),
      );
    case 'nonNegative':
      return fc.oneof(
        notANumber,
        nonFinite,
        tooBig.map(Math.abs),
        fc.double({min: -1e6, max: -1e-9, noNaN: true}),
      );
    case 'finite':
      return fc.oneof(notANumber, nonFinite, tooBig);
    case 'bound':
      return fc.oneof(notANumber, fc.constant(NaN), tooBig);
    case 'seed':
      return fc.oneof(
        notANumber,
        nonFinite,
        fc.integer({min: -1e9, max: -1}),
        fc.double({min: 0.01, max: 1e6, noNaN: true}).filter((x) => !Number.isInteger(x)),
        fc.constant(2 ** 53),
        fc.constant(1e300),
      );
    case 'count':
      return fc.oneof(
        notANumber,
        nonFinite,
        fc.integer({min: -1e9, max: 0}),
        fc.double({min: 0.01, max: 1e6, noNaN: true}).filter((x) => !Number.isInteger(x)),
        fc.constant(2 ** 53),
      );
    case 'probability':
      return fc.oneof(
        notANumber,
        nonFinite,
        fc.double({min: 1.0000001, max: 1e6, noNaN: true}),
        fc.double({min: -1e6, max: -1e-9, noNaN: true}),
      );
    case 'oneOf':
      return fc.oneof(
        fc.string({maxLength: 12}).filter((s) => !kind.values.includes(s)),
        fc.integer(),
        fc.boolean(),
        fc.constantFrom('constructor', '__proto__', 'toString'),
      );
    case 'boolean':
      return fc.oneof(
        fc.string({maxLength: 5}),
        fc.integer(),
        nonFinite,
        fc.constantFrom([true], {value: true}, 'false'),
      );
    case 'axis':
      return fc.oneof(notAnInteger, fc.constantFrom([0], [-1, 0], {axis: 0}));
    case 'axes':
      return fc.oneof(
        notAnInteger,
        fc
          .tuple(
            fc.array(fc.integer({min: -6, max: 6}), {maxLength: 3}),
            fc.integer({min: -6, max: 6}),
          )
          .map(([axes, a]) => [...axes, a, a]), // an axis named twice
        fc
          .tuple(fc.array(fc.integer({min: -6, max: 6}), {maxLength: 3}), notAnInteger)
          .map(([axes, x]) => [...axes, x]),
      );
    case 'window':
      return fc.oneof(
        fc
          .string({maxLength: 12})
          .filter((s) => !kind.names.includes(s) && ownValue(WINDOW_ALIASES, s) === undefined),
        fc.constantFrom('kaiser', 'gaussian', 'Hann', 'constructor', '__proto__', 'toString'),
        fc.double({noNaN: false}),
        fc.boolean(),
        fc.constant([]),
        fc.constant({hann: 1}),
        fc
          .tuple(
            fc.array(fc.double({min: -1, max: 1, noNaN: true}), {maxLength: 4}),
            fc.oneof(nonFinite, fc.string({maxLength: 3}), tooBig, fc.constant(null)),
          )
          .map(([values, bad]) => [...values, bad]),
      );
  }
}

/** A dimension no shape may have. */
export const invalidDim: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({min: -1e6, max: 0}),
  fc.double({min: 0.01, max: 64, noNaN: true}).filter((x) => !Number.isInteger(x)),
  nonFinite,
  fc.constantFrom(null, undefined, '4', [2], {d: 3}, true, 2 ** 53),
);

/**
 * Shapes `apply` must refuse whatever the scheme: a bad dimension somewhere in an otherwise valid
 * shape, a value that is not an array, or more than 2^31 − 1 elements.
 */
export const invalidShape: fc.Arbitrary<unknown> = fc.oneof(
  fc.tuple(shapes(1, 5), invalidDim, fc.nat()).map(([shape, bad, at]) => {
    const out: unknown[] = [...shape];
    out[at % shape.length] = bad;
    return out;
  }),
  fc.constantFrom('4x6', 46, null, {0: 4, 1: 6, length: 2}, true),
  fc
    .array(fc.integer({min: 1000, max: 100000}), {minLength: 2, maxLength: 5})
    .filter((s) => s.reduce((a, b) => a * b, 1) > 2 ** 31 - 1),
);

/** Dtypes no initializer accepts, plus the real ones each spec does not list. */
export function invalidDtype(spec: InitializerSpec): fc.Arbitrary<unknown> {
  const real = ['float32', 'int32', 'bool', 'complex64', 'string'].filter(
    (d) => !(spec.dtypes as readonly string[]).includes(d),
  );
  return fc.oneof(
    fc.constantFrom(...real),
    fc.constantFrom('float64', 'Float32', 'float', '', 'uint8', 7, true, {dtype: 'float32'}, [
      'float32',
    ]),
  );
}

/** An option name a spec does not have (a typo or an attack), never tfjs's own `customObjects`. */
export function unknownOption(spec: InitializerSpec): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({minLength: 1, maxLength: 10}),
      fc.constantFrom('gian', 'sed', 'fan_in', 'constructor', '__proto__', 'toString', 'prototype'),
    )
    .filter((k) => !(k in spec.options) && k !== 'customObjects');
}

/** Values an option of `kind` accepts (spread wide, for fuzzing). */
export function validValue(kind: OptionKind): fc.Arbitrary<unknown> {
  switch (kind.kind) {
    case 'positive':
      return logUniform(-6, 6);
    case 'nonNegative':
      return fc.oneof(fc.constant(0), logUniform(-6, 6));
    case 'finite':
      return fc.double({min: -1e6, max: 1e6, noNaN: true});
    case 'bound':
      return fc.oneof(
        fc.double({min: -1e6, max: 1e6, noNaN: true}),
        fc.constantFrom(-Infinity, Infinity),
      );
    case 'seed':
      return fc.oneof(fc.constantFrom(0, 1, 2 ** 53 - 1), fc.maxSafeNat());
    case 'count':
      return fc.integer({min: 1, max: 64});
    case 'probability':
      return fc.oneof(fc.constantFrom(0, 1), fc.double({min: 0, max: 1, noNaN: true}));
    case 'oneOf':
      return kind.nullable === true
        ? fc.constantFrom(...kind.values, null)
        : fc.constantFrom(...kind.values);
    case 'boolean':
      return fc.boolean();
    case 'axis':
      return fc.integer({min: -6, max: 5});
    case 'axes':
      return fc.oneof(
        fc.integer({min: -6, max: 5}),
        fc.uniqueArray(fc.integer({min: -6, max: 5}), {maxLength: 4}),
      );
    case 'window':
      return fc.oneof(
        fc.constantFrom(...kind.names, null),
        fc.array(fc.double({min: -10, max: 10, noNaN: true}), {minLength: 1, maxLength: 64}),
      );
  }
}
