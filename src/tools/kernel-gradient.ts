import {
  add,
  conv1d,
  conv2d,
  matMul,
  mul,
  pad,
  reshape,
  slice,
  stack,
  stridedSlice,
  sum,
  tidy,
  type Tensor,
  type Tensor2D,
  type Tensor3D,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import type {Layer} from '../core/tfjs';

/**
 * ∂loss/∂kernel of a convolution from its input x and the gradient δ at its pre-activation output,
 * as kh·kw matrix products of shifted input windows with δ:
 *
 *   Conv:       dW[i, j] = Σ_{n, p, q} x[n, p·s + i·d, q·s + j·d, :]ᵀ δ[n, p, q, :]
 *   Depthwise:  dW[i, j, c, m] = Σ_{n, p, q} x[n, p·s + i·d, q·s + j·d, c] · δ[n, p, q, c·M + m]
 *
 * (x zero-padded as tfjs pads for `same`). The analysis uses it instead of tfjs's
 * Conv2DBackpropFilter / DepthwiseConv2dNativeBackpropFilter, which on the CPU backend are plain
 * loops and took 198 of 260 s of a MobileNetV2's backward pass at batch 2 (224×224); products of
 * matrices are an order of magnitude faster there, and give the same values up to float rounding.
 */

/** Layers this module differentiates: channels-last Conv1D, Conv2D and DepthwiseConv2D. */
export function hasFastKernelGradient(layer: Layer): boolean {
  const name = layer.getClassName();
  if (name !== 'Conv1D' && name !== 'Conv2D' && name !== 'DepthwiseConv2D') return false;
  const config = layer.getConfig() as {dataFormat?: string; padding?: string};
  return (
    (config.dataFormat ?? 'channelsLast') === 'channelsLast' &&
    (config.padding === 'same' || config.padding === 'valid')
  );
}

const pair = (v: unknown, rank: number): number[] =>
  Array.isArray(v) ? (v as number[]) : new Array<number>(rank).fill(typeof v === 'number' ? v : 1);

/** tfjs's padding of one spatial axis: [before, after]. */
function padding(
  mode: string,
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
): [number, number] {
  const effective = (kernel - 1) * dilation + 1;
  if (mode === 'valid') return [0, 0];
  const out = Math.ceil(size / stride);
  const total = Math.max(0, (out - 1) * stride + effective - size);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * The kernel gradient of `layer` (see {@link hasFastKernelGradient}), shaped like its kernel.
 *
 * @param x the layer's input, `[N, H, W, C]` (`[N, L, C]` for Conv1D).
 * @param delta ∂loss/∂(pre-activation output), `[N, Ho, Wo, F]` (`[N, Lo, F]`).
 * @param kernelShape the kernel's shape.
 */
export function kernelGradient(
  layer: Layer,
  x: Tensor,
  delta: Tensor,
  kernelShape: number[],
): Tensor {
  return tidy(() => {
    const name = layer.getClassName();
    const config = layer.getConfig() as {
      strides?: unknown;
      dilationRate?: unknown;
      padding?: string;
    };
    const oneD = name === 'Conv1D';
    // Conv1D as a 2D convolution of height 1.
    const xs = x.shape as number[];
    const ds = delta.shape as number[];
    const x4 = oneD ? reshape(x, [xs[0], 1, xs[1], xs[2]]) : x;
    const d4 = oneD ? reshape(delta, [ds[0], 1, ds[1], ds[2]]) : delta;
    const [kh, kw] = oneD ? [1, kernelShape[0]] : [kernelShape[0], kernelShape[1]];
    const [sh, sw] = oneD ? [1, pair(config.strides, 1)[0]] : pair(config.strides, 2);
    const [dh, dw] = oneD ? [1, pair(config.dilationRate, 1)[0]] : pair(config.dilationRate, 2);
    const [n, h, w, c] = x4.shape as number[];
    const [, ho, wo, f] = d4.shape as number[];
    const mode = config.padding ?? 'valid';
    const padded = pad(x4, [
      [0, 0],
      padding(mode, h, kh, sh, dh),
      padding(mode, w, kw, sw, dw),
      [0, 0],
    ]);
    const depthwise = name === 'DepthwiseConv2D';
    const dFlat = depthwise ? reshape(d4, [n * ho * wo, c, f / c]) : reshape(d4, [n * ho * wo, f]);
    const taps: Tensor[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        // The input positions tap (i, j) meets: a plain slice when the stride is 1 (much faster on CPU).
        const window =
          kh === 1 &&
          kw === 1 &&
          sh === 1 &&
          sw === 1 &&
          padded.shape[1] === ho &&
          padded.shape[2] === wo
            ? padded
            : sh === 1 && sw === 1
              ? slice(padded, [0, i * dh, j * dw, 0], [n, ho, wo, c])
              : stridedSlice(
                  padded,
                  [0, i * dh, j * dw, 0],
                  [n, i * dh + (ho - 1) * sh + 1, j * dw + (wo - 1) * sw + 1, c],
                  [1, sh, sw, 1],
                );
        taps.push(
          depthwise
            ? sum(mul(reshape(window, [n * ho * wo, c, 1]), dFlat), 0)
            : matMul(reshape(window, [n * ho * wo, c]), dFlat, true, false),
        );
      }
    }
    return reshape(stack(taps), kernelShape);
  });
}

/**
 * The pre-activation output of a Conv1D/Conv2D layer, x ⊛ W + b, computed with the plain
 * `conv1d`/`conv2d` ops as the layer computes it. Under a gradient tape the layer itself calls
 * tfjs's fused convolution when its activation is linear, whose custom gradient computes the kernel
 * gradient whether or not it is asked for; the plain op's gradient computes only what is asked.
 */
export function convolve(layer: Layer, x: Tensor): Tensor {
  const config = layer.getConfig() as {
    strides?: unknown;
    dilationRate?: unknown;
    padding?: string;
    useBias?: boolean;
  };
  const [kernel, bias] = layer.weights.map((w) => w.read());
  const padding = config.padding as 'same' | 'valid';
  const z =
    layer.getClassName() === 'Conv1D'
      ? conv1d(
          x as Tensor3D,
          kernel as Tensor3D,
          pair(config.strides, 1)[0],
          padding,
          'NWC',
          pair(config.dilationRate, 1)[0],
        )
      : conv2d(
          x as Tensor4D,
          kernel as Tensor4D,
          pair(config.strides, 2) as [number, number],
          padding,
          'NHWC',
          pair(config.dilationRate, 2) as [number, number],
        );
  return config.useBias === false || bias === undefined ? z : add(z, bias as Tensor2D);
}
