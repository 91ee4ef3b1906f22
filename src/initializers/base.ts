import {TfInitializer} from '../core/tfjs';
import type {DataType, Tensor, serialization} from '@tensorflow/tfjs-core';
import {optionDefaults, parseOptions, toConfig, type Schema} from '../core/options';
import {checkDtype, checkShape} from '../core/tensor-args';

/** A constructor of one of this package's initializers, as {@link register} sees it. */
export interface InitializerClass {
  new (args?: never): BaseInitializer<object>;
  readonly className: string;
  readonly shapes: ShapeFacts;
}

/**
 * Which weights a class fills, as data — what its schema and `validate` do not say. The guard
 * tests, the error table, the property tests and the docs read it (with the schema and the
 * registration); the property tests check it: shapes of a rank within `ranks` are filled with
 * default options, shapes of any other rank are refused.
 *
 * @example
 * ```ts
 * class MyConvInit extends BaseInitializer<{}> {
 *   static override className = 'MyConvInit';
 *   static override readonly shapes: ShapeFacts = {ranks: [3, 5], example: [3, 3, 4, 6]};
 *   ...
 * }
 * ```
 */
export interface ShapeFacts {
  /** Smallest and largest rank it fills with default options (`Infinity`: no largest). */
  readonly ranks: readonly [number, number];
  /** A small shape it fills with default options: a Dense kernel [4, 6], a conv kernel [3, 3, 4, 6], a bias [6]. */
  readonly example: readonly number[];
  /** A shape of about 1e7 elements for `npm run stress:memory`, where [3125, 3200] does not suit, and why. */
  readonly stress?: {readonly shape: readonly number[]; readonly why: string};
}

/** What an instance was built with: its schema and dtypes (read by {@link inspectInitializer}). */
interface Inspection {
  schema: Schema<object>;
  dtypes: readonly DataType[];
}

const INSPECTIONS = new WeakMap<object, () => Inspection>();

/**
 * Base of every initializer in this package: a real tfjs `Initializer`.
 *
 * It owns option parsing (unknown keys and bad values fail at construction, naming the class,
 * option, value and what is allowed; an unknown key set to `null` is ignored), `getConfig` (the
 * options that differ from their defaults, so a saved model says what was chosen and an option a
 * later version adds appears only where it is used), and the argument checks of `apply` (shape and
 * dtype fail before any allocation). Subclasses declare a schema and implement
 * {@link BaseInitializer.generate}.
 *
 * @typeParam O the parsed options, as stored and saved.
 */
export abstract class BaseInitializer<O extends object> extends TfInitializer {
  /** Registry name; every concrete subclass sets its own (a subclass would inherit it otherwise). */
  static className = 'BaseInitializer';

  /** Which weights it fills (default: any shape, e.g. a Dense kernel [4, 6]); see {@link ShapeFacts}. */
  static readonly shapes: ShapeFacts = {ranks: [0, Infinity], example: [4, 6]};

  /** The parsed options, defaults filled in. */
  protected readonly options: Readonly<O>;

  /** Each option's default (the schema's value for an absent option), which `getConfig` leaves out. */
  private readonly defaults: Readonly<Record<string, unknown>>;

  /** Dtypes `apply` accepts. Real-valued draws only make sense in float32. */
  protected readonly dtypes: readonly DataType[] = ['float32'];

  /** Smallest rank `apply` accepts (2 where fans or a matrix are needed). */
  protected readonly minRank: number = 0;

  /**
   * Whether `getConfig` writes every option, defaults included: only for the fixed built-ins, which
   * take tfjs's class names and so write tfjs's own config format, unchanged.
   */
  protected readonly savesDefaults: boolean = false;

  /**
   * @param args the user's options (or a saved config).
   * @param schema one check per accepted option.
   * @param refine optional cross-option check / defaulting, run after every option is parsed.
   */
  protected constructor(
    args: unknown,
    schema: Schema<O>,
    refine?: (options: O, owner: string) => O,
  ) {
    super();
    // The registered name (a class may save under another one: tfjs's GlorotUniform saves as VarianceScaling).
    const owner = (new.target as unknown as InitializerClass).className;
    const parsed = parseOptions(owner, args, schema);
    this.options = Object.freeze(refine === undefined ? parsed : refine(parsed, owner));
    this.defaults = optionDefaults(owner, schema);
    INSPECTIONS.set(this, () => ({schema: schema as Schema<object>, dtypes: this.dtypes}));
  }

  /**
   * Whether the class has the option `name` — e.g. `'seed'`: whether it draws random values that a
   * seed fixes (tools that reseed a model ask this; a saved config leaves an unset seed out).
   *
   * @example
   * ```ts
   * new XavierUniformCustom().hasOption('seed');   // true
   * new ZeroBias().hasOption('seed');              // false
   * ```
   */
  hasOption(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.defaults, name);
  }

  /**
   * Returns a new tensor of the given shape and dtype (default `'float32'`).
   * Leaves `tf.memory().numTensors` one higher (the result) and nothing else behind.
   */
  apply(shape: readonly (number | null)[], dtype?: DataType): Tensor {
    const {shape: dims, dtype: dt} = this.validate(shape, dtype);
    return this.generate(dims, dt);
  }

  /**
   * Throws the {@link InitializerError} that `apply(shape, dtype)` would throw — bad dimensions,
   * too many elements, a rank or layout the scheme cannot use, an unsupported dtype — without
   * allocating or drawing anything; returns the checked shape and dtype otherwise. Used to check
   * a model file before any weight exists (`validateModelJSON`).
   *
   * @example
   * ```ts
   * new Eye().validate([3, 3, 3]);   // throws: Eye needs a matrix [rows, cols] (rank 2)
   * ```
   */
  validate(
    shape: readonly (number | null)[],
    dtype?: DataType,
  ): {shape: number[]; dtype: DataType} {
    const owner = this.getClassName();
    const dims = checkShape(owner, shape, this.minRank);
    const dt = checkDtype(owner, dtype, this.dtypes);
    this.checkFits(dims, dt);
    return {shape: dims, dtype: dt};
  }

  /**
   * The options that differ from their defaults (`{}` for a default instance; an unset seed is left
   * out), as tfjs saves them in `model.json`; keys are camelCase words that survive tfjs's saving.
   * Reading the config back gives an equal instance.
   *
   * @example
   * ```ts
   * new XavierUniformCustom({gain: 2}).getConfig();   // {gain: 2}
   * ```
   */
  override getConfig(): serialization.ConfigDict {
    return toConfig(this.options, this.savesDefaults ? undefined : this.defaults);
  }

  /**
   * Scheme-specific checks of a shape and dtype that passed the generic ones (a matrix, a conv
   * kernel, divisible channels, ...): throw an InitializerError, allocate nothing. Default: none.
   */
  protected checkFits(_shape: number[], _dtype: DataType): void {}

  /**
   * Builds the tensor. `shape` and `dtype` have passed {@link BaseInitializer.validate}; `shape` is
   * validated (integers ≥ 1, rank ≥ minRank, bounded size) and
   * `dtype` is one of {@link BaseInitializer.dtypes}.
   */
  protected abstract generate(shape: number[], dtype: DataType): Tensor;
}

/**
 * The schema and dtypes an instance was built with. Internal: the catalogue of
 * facts (`describeInitializer`) reads a class's options from it.
 */
export function inspectInitializer(init: BaseInitializer<object>): Inspection {
  const inspect = INSPECTIONS.get(init);
  if (inspect === undefined) throw new Error('inspectInitializer: not a BaseInitializer instance');
  return inspect();
}
