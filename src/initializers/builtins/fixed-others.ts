import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {InitializerError} from '../../core/errors';
import {BaseInitializer, type ShapeFacts} from '../base';
import {Eye} from '../identity';
import {OrthogonalInitializer, fillOrthogonal} from '../orthogonal';
import {finiteNumber, nonNegative, positive, seed, type Schema} from '../../core/options';
import {
  checkTruncatedDrawable,
  fillNormal,
  fillTruncNormal,
  fillUniform,
} from '../../random/samplers';
import {resolveSeed} from '../../random/seed';
import {sizeOf} from '../../core/tensor-args';
import {TFJS_DEFAULTS, TFJS_TRUNCATION} from './tfjs-builtins';

interface UniformConfig {
  minval: number;
  maxval: number;
  seed: number | null;
}

const UNIFORM: Schema<UniformConfig> = {
  minval: finiteNumber(TFJS_DEFAULTS.minval),
  maxval: finiteNumber(TFJS_DEFAULTS.maxval),
  seed: seed(),
};

/**
 * tfjs's `RandomUniform`, fixed: U[minval, maxval), config `{minval, maxval, seed}`, defaults
 * ±0.05. tfjs reads its options with `||`, so `minval: 0` became −0.05; here 0 is 0, seed 0 is a
 * seed, and minval > maxval fails.
 *
 * @example
 * ```ts
 * useFixedBuiltins();
 * const embeddingsInitializer = {className: 'RandomUniform', config: {minval: 0, maxval: 1}};
 * tf.layers.embedding({inputDim: 100, outputDim: 8, embeddingsInitializer});
 * ```
 * @see tfjs-layers `RandomUniform`; Keras 3 `RandomUniform`.
 */
export class FixedRandomUniform extends BaseInitializer<UniformConfig> {
  static override className = 'RandomUniform';
  /** tfjs's config format: every option, defaults included. */
  protected override readonly savesDefaults = true;

  constructor(args: Partial<UniformConfig> = {}) {
    super(args, UNIFORM, (o, owner) => {
      if (o.minval > o.maxval) {
        throw new InitializerError(
          owner,
          'maxval',
          `option \`minval\` must not exceed \`maxval\`. Received: minval=${o.minval}, maxval=${o.maxval}`,
        );
      }
      return o;
    });
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const values = new Float32Array(sizeOf(shape));
    fillUniform(
      values,
      resolveSeed(this.options.seed),
      0,
      this.options.minval,
      this.options.maxval,
    );
    return tensor(values, shape, dtype);
  }
}

interface NormalConfig {
  mean: number;
  stddev: number;
  seed: number | null;
}

const NORMAL: Schema<NormalConfig> = {
  mean: finiteNumber(TFJS_DEFAULTS.mean),
  stddev: nonNegative(TFJS_DEFAULTS.stddev),
  seed: seed(),
};

/**
 * tfjs's `RandomNormal`, fixed: N(mean, stddev²), config `{mean, stddev, seed}`, defaults 0 and
 * 0.05. tfjs turns `stddev: 0` into 0.05 and seed 0 into "unseeded"; here both mean what they say.
 *
 * @see tfjs-layers `RandomNormal`; Keras 3 `RandomNormal`.
 */
export class FixedRandomNormal extends BaseInitializer<NormalConfig> {
  static override className = 'RandomNormal';
  /** tfjs's config format: every option, defaults included. */
  protected override readonly savesDefaults = true;

  constructor(args: Partial<NormalConfig> = {}) {
    super(args, NORMAL);
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const values = new Float32Array(sizeOf(shape));
    fillNormal(values, resolveSeed(this.options.seed), 0, this.options.mean, this.options.stddev);
    return tensor(values, shape, dtype);
  }
}

/**
 * tfjs's `TruncatedNormal`, fixed: N(mean, stddev²) restricted to mean ± 2·stddev (tfjs's and
 * Keras's semantics: stddev is that of the untruncated normal), config `{mean, stddev, seed}`.
 * Fixes `stddev: 0` (became 0.05) and seed 0 (became "unseeded").
 *
 * @see tfjs-layers `TruncatedNormal`; Keras 3 `TruncatedNormal`.
 */
export class FixedTruncatedNormal extends BaseInitializer<NormalConfig> {
  static override className = 'TruncatedNormal';
  /** tfjs's config format: every option, defaults included. */
  protected override readonly savesDefaults = true;

  constructor(args: Partial<NormalConfig> = {}) {
    super(args, NORMAL, (o, owner) => {
      if (o.stddev > 0)
        checkTruncatedDrawable(
          owner,
          o.mean,
          o.stddev,
          o.mean - TFJS_TRUNCATION * o.stddev,
          o.mean + TFJS_TRUNCATION * o.stddev,
        );
      return o;
    });
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const {mean, stddev} = this.options;
    const values = new Float32Array(sizeOf(shape));
    if (stddev === 0) values.fill(mean);
    else
      fillTruncNormal(
        values,
        resolveSeed(this.options.seed),
        0,
        mean,
        stddev,
        mean - TFJS_TRUNCATION * stddev,
        mean + TFJS_TRUNCATION * stddev,
      );
    return tensor(values, shape, dtype);
  }
}

interface OrthogonalConfig {
  gain: number;
  seed: number | null;
}

const ORTHOGONAL: Schema<OrthogonalConfig> = {gain: positive(TFJS_DEFAULTS.gain), seed: seed()};

/**
 * tfjs's `Orthogonal`, fixed: the fast Haar sampler of {@link OrthogonalInitializer} under tfjs's
 * name and config `{gain, seed}` — 512² in tens of milliseconds instead of 39 s, and it works with
 * only tfjs-core + tfjs-layers loaded (tfjs's uses chained ops and throws there, so every LSTM/GRU
 * with the default recurrent initializer failed to build).
 *
 * @see tfjs-layers `Orthogonal`.
 */
export class FixedOrthogonal extends BaseInitializer<OrthogonalConfig> {
  static override className = 'Orthogonal';
  /** tfjs's config format: every option, defaults included. */
  protected override readonly savesDefaults = true;
  static override readonly shapes: ShapeFacts = OrthogonalInitializer.shapes;
  protected override readonly minRank = 2;

  constructor(args: Partial<OrthogonalConfig> = {}) {
    super(args, ORTHOGONAL);
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const cols = shape[shape.length - 1];
    const rows = sizeOf(shape) / cols;
    const values = new Float32Array(rows * cols);
    fillOrthogonal(values, rows, cols, this.options.gain, resolveSeed(this.options.seed));
    return tensor(values, shape, dtype);
  }
}

/**
 * tfjs's `Identity`, fixed: gain·I for any `[rows, cols]` (tfjs rejects non-square matrices), config
 * `{gain}`. The same class as {@link Eye} under tfjs's name.
 *
 * @see tfjs-layers `Identity`; `torch.nn.init.eye_`.
 */
export class FixedIdentity extends Eye {
  static override className = 'Identity';
  /** tfjs's config format: every option, defaults included. */
  protected override readonly savesDefaults = true;
}
