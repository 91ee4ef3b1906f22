import {InitializerError, describeValue} from '../core/errors';
import {positive, positiveInteger, type Schema} from '../core/options';
import {register} from './registry';
import {FillInitializer} from './fill-initializer';
import type {ShapeFacts} from './base';
import {CONV_KERNEL_SHAPES, centreOffset, centreTapOption, type CentreTap} from './centre-tap';

/** Options of {@link Eye}. */
export interface EyeArgs {
  /** Value on the diagonal. Default 1. */
  gain?: number;
}

interface EyeOptions {
  gain: number;
}

const EYE: Schema<EyeOptions> = {gain: positive(1)};

/**
 * The (partial) identity matrix, PyTorch's `eye_`, Keras 3's `IdentityInitializer` (a Keras 3
 * file naming `IdentityInitializer` loads as this class, config `{gain}`):
 *
 *     W[i][j] = gain if i = j, else 0        (any [rows, cols], square or not)
 *
 * A Dense layer `[in, out]` initialized so passes its first min(in, out) inputs straight through
 * (times gain). Unlike tfjs's `Identity`, non-square shapes work.
 *
 * @example
 * ```ts
 * new Eye().apply([3, 5]).print();   // [[1,0,0,0,0],[0,1,0,0,0],[0,0,1,0,0]]
 * tf.layers.dense({units: 64, kernelInitializer: new Eye({gain: 0.5})});
 * tf.layers.simpleRNN({units: 32, recurrentInitializer: 'Eye'});   // IRNN (Le et al. 2015)
 * ```
 * @see `torch.nn.init.eye_`; `keras.initializers.IdentityInitializer`; Le, Jaitly & Hinton, "A
 * Simple Way to Initialize Recurrent Networks of Rectified Linear Units", 2015.
 */
export class Eye extends FillInitializer<EyeOptions> {
  static override className = 'Eye';
  static override readonly shapes: ShapeFacts = {ranks: [2, 2], example: [4, 6]};

  constructor(args: EyeArgs = {}) {
    super(args, EYE);
  }

  protected override checkFits(shape: number[]): void {
    if (shape.length !== 2) {
      throw new InitializerError(
        this.getClassName(),
        'shape',
        `needs a matrix [rows, cols] (rank 2). Received: shape=${describeValue(shape)}`,
      );
    }
  }

  protected fill(out: Float32Array, shape: number[], zeroed: boolean): void {
    const [rows, cols] = shape;
    if (!zeroed) out.fill(0);
    for (let i = 0; i < Math.min(rows, cols); i++) out[i * cols + i] = this.options.gain;
  }
}
register(Eye, {aliases: ['IdentityInitializer']});

/** Options of {@link Dirac}. */
export interface DiracArgs {
  /** Number of groups the output channels are split into (grouped convolutions). Default 1. */
  groups?: number;
  /** Centre tap of even kernel sizes: `'lower'` (default, (k−1)/2) or `'upper'` (PyTorch, k/2). */
  tap?: CentreTap;
}

interface DiracOptions {
  groups: number;
  tap: CentreTap;
}

const DIRAC: Schema<DiracOptions> = {groups: positiveInteger(1), tap: centreTapOption};

/**
 * The Dirac delta, PyTorch's `dirac_`, for tfjs conv kernels `[...k, in, out]` (Conv1D/2D/3D):
 *
 *     o = out / groups;  W[c…, d, g·o + d] = 1  for g < groups, d < min(o, in);  0 elsewhere
 *
 * where c… is the centre tap of every kernel axis. The convolution then copies input channel d to
 * output channel d of every group: an identity that preserves the inputs. The centre of an even
 * axis of length k is ⌊(k − 1)/2⌋ by default (`tap: 'lower'`), the tap that makes `padding: 'same'`
 * in tfjs an exact identity; `tap: 'upper'` gives PyTorch's ⌊k/2⌋.
 *
 * @example
 * ```ts
 * tf.layers.conv2d({filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: new Dirac()});
 * new Dirac({groups: 2}).apply([3, 3, 4, 8]);   // two groups of 4 output channels
 * ```
 * @see `torch.nn.init.dirac_`; Zagoruyko & Komodakis, "DiracNets", 2017.
 */
export class Dirac extends FillInitializer<DiracOptions> {
  static override className = 'Dirac';
  static override readonly shapes: ShapeFacts = CONV_KERNEL_SHAPES;

  constructor(args: DiracArgs = {}) {
    super(args, DIRAC);
  }

  protected override checkFits(shape: number[]): void {
    const owner = this.getClassName();
    centreOffset(owner, shape, this.options.tap);
    const out = shape[shape.length - 1];
    const {groups} = this.options;
    if (out % groups !== 0) {
      throw new InitializerError(
        owner,
        'groups',
        `the ${out} output channels must split into ` +
          `\`groups\`=${groups} equal groups. Received: ` +
          `groups=${groups}, shape=${describeValue(shape)}`,
      );
    }
  }

  protected fill(values: Float32Array, shape: number[], zeroed: boolean): void {
    const base = centreOffset(this.getClassName(), shape, this.options.tap);
    const inChannels = shape[shape.length - 2];
    const out = shape[shape.length - 1];
    const {groups} = this.options;
    const perGroup = out / groups;
    if (!zeroed) values.fill(0);
    for (let g = 0; g < groups; g++) {
      for (let d = 0; d < Math.min(perGroup, inChannels); d++)
        values[base + d * out + g * perGroup + d] = 1;
    }
  }
}
register(Dirac);

/** Factory for {@link Eye}: `eye({gain: 2})`. */
export function eye(args?: EyeArgs): Eye {
  return new Eye(args);
}

/** Factory for {@link Dirac}: `dirac({groups: 2})`. */
export function dirac(args?: DiracArgs): Dirac {
  return new Dirac(args);
}
