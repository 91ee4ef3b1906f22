/**
 * What a layer does to the scale of the signal that passes through it, by class — the vocabulary
 * the static rules ({@link propagateSignal}) and the dynamic analysis share.
 */
import {ownValue} from '../core/own';
import {sizeOf} from '../core/tensor-args';

/** How a layer treats the scale of its input. */
export type LayerRole =
  /** A kernel maps inputs to units: Dense, Conv*, DepthwiseConv2D, SeparableConv*, ConvTranspose. */
  | 'weighted'
  /** Resets the scale: BatchNormalization, LayerNormalization (output ≈ γ·x̂ + β). */
  | 'normalization'
  /** Applies a nonlinearity and nothing else: ReLU, Activation, LeakyReLU, PReLU, ELU, Softmax, ... */
  | 'activation'
  /** Sums or joins branches: Add, Concatenate, Average, Maximum, Minimum, Subtract. */
  | 'merge'
  /** Leaves the scale as it is: reshaping, padding, cropping, pooling, dropout, noise, wrappers of those. */
  | 'passThrough'
  /** A lookup table: the output's scale is the table's. */
  | 'embedding'
  /** Recurrent layers: bounded outputs whose scale the rules do not model. */
  | 'recurrent'
  /**
   * Anything else (Dot, Multiply, global pooling, attention, custom layers): the rules make no
   * claim about its output.
   */
  | 'other';

const ROLES: Readonly<Record<string, LayerRole>> = {
  Dense: 'weighted',
  Conv1D: 'weighted',
  Conv2D: 'weighted',
  Conv3D: 'weighted',
  Conv2DTranspose: 'weighted',
  Conv3DTranspose: 'weighted',
  DepthwiseConv2D: 'weighted',
  SeparableConv1D: 'weighted',
  SeparableConv2D: 'weighted',
  BatchNormalization: 'normalization',
  LayerNormalization: 'normalization',
  ReLU: 'activation',
  Activation: 'activation',
  LeakyReLU: 'activation',
  PReLU: 'activation',
  ELU: 'activation',
  Softmax: 'activation',
  ThresholdedReLU: 'activation',
  Add: 'merge',
  Concatenate: 'merge',
  Average: 'merge',
  Maximum: 'merge',
  Minimum: 'merge',
  Subtract: 'merge',
  Embedding: 'embedding',
  LSTM: 'recurrent',
  GRU: 'recurrent',
  SimpleRNN: 'recurrent',
  RNN: 'recurrent',
  ConvLSTM2D: 'recurrent',
  Bidirectional: 'recurrent',
};

/** Layers that move or select values without changing their scale much. */
const PASS_THROUGH = new Set([
  'Flatten',
  'Reshape',
  'Permute',
  'RepeatVector',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'AlphaDropout',
  'GaussianDropout',
  'GaussianNoise',
  'ZeroPadding1D',
  'ZeroPadding2D',
  'ZeroPadding3D',
  'Cropping1D',
  'Cropping2D',
  'Cropping3D',
  'UpSampling1D',
  'UpSampling2D',
  'UpSampling3D',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'Masking',
  'InputLayer',
]);
// Average and global pooling are not pass-throughs: averaging k positions changes the scale by a
// factor between 1 and √k (std; activations and gradients alike) that depends on how correlated the
// positions are — 7×7 positions of a MobileNetV2 head: about 3× — so they start a new stretch ('other').

/**
 * The role of a layer class. `TimeDistributed` takes its wrapped layer's role (pass `inner`, the
 * wrapped layer's class name).
 */
export function layerRole(className: string, inner?: string): LayerRole {
  if (className === 'TimeDistributed' && inner !== undefined) return layerRole(inner);
  if (PASS_THROUGH.has(className)) return 'passThrough';
  return ownValue(ROLES, className) ?? 'other';
}

/** The number of inputs one output unit of a weighted layer sums over, for each kernel it has. */
export interface KernelFan {
  /** The weight's name in its layer: `kernel`, `depthwise_kernel`, `pointwise_kernel`. */
  weight: string;
  /**
   * The true fan-in: how many products one output element sums. Equal to Keras's fan-in for
   * Dense and Conv; kh·kw for a depthwise kernel (Keras counts kh·kw·C); kh·kw·in / (stride_h·stride_w)
   * for a transposed convolution (Keras counts from the output filters).
   */
  fanIn: number;
}

const tuple = (v: unknown, rank: number): number[] =>
  Array.isArray(v) ? (v as number[]) : new Array<number>(rank).fill(typeof v === 'number' ? v : 1);

/**
 * The kernels of a weighted layer and their true fan-ins, from the kernel shapes (tfjs layouts:
 * Dense `[in, out]`, Conv `[...k, in, out]`, ConvTranspose `[...k, out, in]`, Depthwise
 * `[kh, kw, C, m]`, Separable: depthwise then pointwise `[1, 1, C·m, out]`).
 *
 * @param shapes the layer's weights by name (`kernel`, `depthwise_kernel`, ...).
 */
export function kernelFans(
  className: string,
  config: Record<string, unknown>,
  shapes: ReadonlyMap<string, number[]>,
): KernelFan[] {
  const out: KernelFan[] = [];
  const kernel = shapes.get('kernel');
  const depthwise = shapes.get('depthwise_kernel');
  const pointwise = shapes.get('pointwise_kernel');
  if (className === 'Conv2DTranspose' || className === 'Conv3DTranspose') {
    if (kernel !== undefined) {
      const k = kernel.slice(0, -2);
      const strides = tuple(config.strides, k.length);
      out.push({
        weight: 'kernel',
        fanIn: Math.max(1, (sizeOf(k) * kernel[kernel.length - 1]) / sizeOf(strides)),
      });
    }
    return out;
  }
  if (depthwise !== undefined)
    out.push({weight: 'depthwise_kernel', fanIn: sizeOf(depthwise.slice(0, -2))});
  if (pointwise !== undefined)
    out.push({weight: 'pointwise_kernel', fanIn: sizeOf(pointwise.slice(0, -1))});
  if (kernel !== undefined) out.push({weight: 'kernel', fanIn: sizeOf(kernel.slice(0, -1))});
  return out;
}
