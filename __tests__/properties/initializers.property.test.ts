/**
 * Property-based tests (fast-check, fixed seed) over every registered initializer and every fixed
 * tfjs built-in:
 *
 * - valid shapes (rank 1–5, dims 1–64, ranks the scheme accepts), dtypes and options: the result has
 *   the shape and dtype asked for, finite values, the same values for the same seed (explicit, or
 *   after the same `setSeed`), and `apply` leaves exactly one new tensor;
 * - invalid shapes, dtypes, option values and option names: an `InitializerError` is thrown (at
 *   construction or in `apply`), never a tensor returned, and nothing is allocated.
 *
 * Sized for 2 cores: at most 4096 elements per tensor and a few dozen runs per class.
 */
import * as tf from '@tensorflow/tfjs-core';
import fc from 'fast-check';
import {InitializerError, restoreBuiltins, setSeed, useFixedBuiltins} from '../../src';
import {
  FIXED_BUILTIN_SPECS,
  INITIALIZER_SPECS,
  invalidDtype,
  invalidShape,
  invalidValue,
  unknownOption,
  type InitializerSpec,
} from '../helpers/arbitraries';
import {registeredClass} from '../helpers/initializer-cases';
import {registeredNames} from '../../src';

/** One fast-check seed for the whole file: the runs are the same every time. */
const SEED = 0x5eed;
const RUNS = 20;

type Init = {apply: (shape: unknown, dtype?: unknown) => tf.Tensor};
const make = (spec: InitializerSpec, options?: Record<string, unknown>): Init =>
  new (registeredClass(spec.name) as unknown as new (o?: object) => Init)(options);

/** Applies and returns the values, checking the one-new-tensor rule; the tensor is disposed. */
function draw(
  init: Init,
  shape: number[],
  dtype: tf.DataType,
): {values: ArrayLike<number | boolean>; shape: number[]; dtype: string} {
  const before = tf.memory().numTensors;
  const t = init.apply(shape, dtype);
  expect(tf.memory().numTensors).toBe(before + 1);
  const out = {
    values: t.dataSync() as unknown as ArrayLike<number>,
    shape: t.shape,
    dtype: t.dtype,
  };
  t.dispose();
  expect(tf.memory().numTensors).toBe(before);
  return out;
}

/** Expects `run` to throw an InitializerError (and to allocate nothing); returns nothing else. */
function refuses(run: () => unknown): void {
  const before = tf.memory().numTensors;
  let result: unknown;
  try {
    result = run();
  } catch (e) {
    if (!(e instanceof InitializerError)) throw e;
    expect(tf.memory().numTensors).toBe(before);
    return;
  }
  if (result instanceof tf.Tensor) result.dispose();
  throw new Error(
    `expected an InitializerError, got ${result instanceof tf.Tensor ? 'a tensor' : String(result)}`,
  );
}

function validProperties(spec: InitializerSpec): void {
  it(`${spec.name}: right shape and dtype, finite values, same values for the same seed, one tensor per apply`, () => {
    fc.assert(
      fc.property(
        spec.valid,
        fc.constantFrom(...spec.dtypes),
        fc.maxSafeNat(),
        ({options, shape}, dtype, seed) => {
          const first = draw(make(spec, options), shape, dtype);
          expect(first.shape).toEqual(shape);
          expect(first.dtype).toBe(dtype);
          expect(first.values.length).toBe(
            shape.reduce((a, b) => a * b, 1) * (dtype === 'complex64' ? 2 : 1),
          );
          if (dtype === 'float32')
            for (let i = 0; i < first.values.length; i++)
              if (!Number.isFinite(first.values[i] as number))
                throw new Error(`value ${i} is ${first.values[i]}`);
          if (spec.seeded) {
            const seeded = {...options, seed};
            const a = draw(make(spec, seeded), shape, dtype);
            const b = draw(make(spec, seeded), shape, dtype);
            expect(Array.from(b.values)).toEqual(Array.from(a.values));
            const unseeded = {...options};
            delete unseeded.seed;
            setSeed(seed);
            const c = draw(make(spec, unseeded), shape, dtype);
            setSeed(seed);
            const d = draw(make(spec, unseeded), shape, dtype);
            expect(Array.from(d.values)).toEqual(Array.from(c.values));
          } else {
            // Deterministic schemes: the same options give the same values, always.
            expect(Array.from(draw(make(spec, options), shape, dtype).values)).toEqual(
              Array.from(first.values),
            );
          }
        },
      ),
      {seed: SEED, numRuns: RUNS},
    );
  });
}

function invalidProperties(spec: InitializerSpec): void {
  it(
    `${spec.name}: invalid shapes, dtypes, option values and ` +
      `option names throw an InitializerError, never ` +
      `return a tensor`,
    () => {
      const optionNames = Object.keys(spec.options);
      const badOption =
        optionNames.length === 0
          ? unknownOption(spec).map((key) => ({key, value: 1 as unknown}))
          : fc.oneof(
              fc
                .constantFrom(...optionNames)
                .chain((key) => invalidValue(spec.options[key]).map((value) => ({key, value}))),
              // An unknown key set to null (or undefined) means "unset" and is ignored (lean configs'
              // forward compatibility); one with a value is refused.
              fc
                .tuple(
                  unknownOption(spec),
                  fc.anything().filter((v) => v !== null && v !== undefined),
                )
                .map(([key, value]) => ({key, value})),
            );
      const cases = fc.oneof(
        fc
          .tuple(spec.valid, invalidShape)
          .map(([{options}, shape]) => ({options, shape, dtype: 'float32' as unknown})),
        fc
          .tuple(spec.valid, invalidDtype(spec))
          .map(([{options, shape}, dtype]) => ({options, shape: shape as unknown, dtype})),
        fc.tuple(spec.valid, badOption).map(([{options, shape}, {key, value}]) => {
          const bad: Record<string, unknown> = {...options};
          Object.defineProperty(bad, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
          return {options: bad, shape: shape as unknown, dtype: 'float32' as unknown};
        }),
        ...(spec.badRanks === null
          ? []
          : [
              spec.badRanks.map((shape) => ({
                options: {},
                shape: shape as unknown,
                dtype: 'float32' as unknown,
              })),
            ]),
      );
      fc.assert(
        fc.property(cases, ({options, shape, dtype}) =>
          refuses(() => make(spec, options).apply(shape, dtype)),
        ),
        {seed: SEED, numRuns: 3 * RUNS},
      );
    },
  );
}

describe('every registered initializer (property-based)', () => {
  it('the specs cover every registered class', () => {
    expect(INITIALIZER_SPECS.map((s) => s.name).sort()).toEqual(registeredNames().sort());
  });

  for (const spec of INITIALIZER_SPECS) {
    validProperties(spec);
    invalidProperties(spec);
  }
});

describe('every fixed tfjs built-in (property-based)', () => {
  beforeAll(() => {
    useFixedBuiltins();
  });
  afterAll(() => {
    restoreBuiltins();
  });

  it('the specs cover every fixed built-in', () => {
    const names = useFixedBuiltins();
    expect(FIXED_BUILTIN_SPECS.map((s) => s.name).sort()).toEqual([...names].sort());
  });

  for (const spec of FIXED_BUILTIN_SPECS) {
    validProperties(spec);
    invalidProperties(spec);
  }
});
