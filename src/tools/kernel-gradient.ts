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
  transpose,
  addN,
  concat,
  customGrad,
  depthwiseConv2d,
  reverse,
  zeros,
  type GradSaveFunc,
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

/** Layer classes this module differentiates. */
const FAST = ['Conv1D', 'Conv2D', 'DepthwiseConv2D', 'Conv2DTranspose'];

/**
 * Layers this module differentiates: Conv1D, Conv2D, DepthwiseConv2D and Conv2DTranspose, channels
 * last or first, with `same` or `valid` padding (a transposed convolution without dilation).
 */
export function hasFastKernelGradient(layer: Layer): boolean {
  const name = layer.getClassName();
  if (!FAST.includes(name)) return false;
  const config = layer.getConfig() as {
    dataFormat?: string;
    padding?: string;
    dilationRate?: unknown;
  };
  const format = config.dataFormat ?? 'channelsLast';
  return (
    (format === 'channelsLast' || format === 'channelsFirst') &&
    (config.padding === 'same' || config.padding === 'valid') &&
    (name !== 'Conv2DTranspose' || pair(config.dilationRate, 2).every((d) => d === 1))
  );
}

/**
 * Whether {@link convolve} computes the layer's pre-activation (Conv1D, Conv2D, DepthwiseConv2D
 * with `same` or `valid` padding); others (Conv2DTranspose) run themselves.
 */
export function hasPlainConvolution(layer: Layer): boolean {
  const name = layer.getClassName();
  return (
    (name === 'Conv1D' || name === 'Conv2D' || name === 'DepthwiseConv2D') &&
    hasFastKernelGradient(layer)
  );
}

/** A channels-first tensor ([N, C, ...spatial]) as channels-last, or back (`back`). */
function channelsLast(t: Tensor, back = false): Tensor {
  const rank = t.rank;
  const perm = back
    ? [0, rank - 1, ...Array.from({length: rank - 2}, (_, i) => i + 1)]
    : [0, ...Array.from({length: rank - 2}, (_, i) => i + 2), 1];
  return transpose(t, perm);
}

const channelsFirst = (layer: Layer): boolean =>
  (layer.getConfig() as {dataFormat?: string}).dataFormat === 'channelsFirst';

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
 * @param x the layer's input, `[N, H, W, C]` (`[N, L, C]` for Conv1D; channels first for a
 *   channels-first layer).
 * @param delta ∂loss/∂(pre-activation output), `[N, Ho, Wo, F]` (`[N, Lo, F]`; channels first
 *   likewise).
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
    const first = channelsFirst(layer);
    const xs = first ? channelsLast(x) : x;
    const ds = first ? channelsLast(delta) : delta;
    const mode = config.padding ?? 'valid';
    if (name === 'Conv2DTranspose') {
      // y = x ⊛ᵀ W is the input gradient of a convolution of y-sized inputs with W, so W's
      // gradient is that convolution's filter gradient with the roles of input and δ swapped
      // (tfjs computes it so too): windows of δ against x, shaped [kh, kw, out, in].
      const [sh, sw] = pair(config.strides, 2);
      return filterGradient(ds, xs, kernelShape, [sh, sw], [1, 1], mode, false);
    }
    const oneD = name === 'Conv1D';
    // Conv1D as a 2D convolution of height 1.
    const [a, b, cx] = xs.shape as number[];
    const [, bd, cd] = ds.shape as number[];
    const x4 = oneD ? reshape(xs, [a, 1, b, cx]) : xs;
    const d4 = oneD ? reshape(ds, [a, 1, bd, cd]) : ds;
    const strides = oneD ? [1, pair(config.strides, 1)[0]] : pair(config.strides, 2);
    // tfjs-layers' DepthwiseConv2D runs without its dilationRate (see depthwiseConvolve).
    const dilation = oneD
      ? [1, pair(config.dilationRate, 1)[0]]
      : name === 'DepthwiseConv2D'
        ? [1, 1]
        : pair(config.dilationRate, 2);
    const window = oneD ? [1, ...kernelShape] : kernelShape;
    return reshape(
      filterGradient(x4, d4, window, strides, dilation, mode, name === 'DepthwiseConv2D'),
      kernelShape,
    );
  });
}

/**
 * dW[i, j] = Σ_{n, p, q} x[n, p·s + i·d, q·s + j·d, :]ᵀ δ[n, p, q, :] for a 2D channels-last
 * convolution (per channel for a depthwise one), shaped `kernelShape` (`[kh, kw, C, F]`, or
 * `[kh, kw, C, M]` depthwise).
 */
function filterGradient(
  x4: Tensor,
  d4: Tensor,
  kernelShape: number[],
  [sh, sw]: number[],
  [dh, dw]: number[],
  mode: string,
  depthwise: boolean,
): Tensor {
  const [kh, kw] = kernelShape;
  const [n, h, w, c] = x4.shape as number[];
  const [, ho, wo, f] = d4.shape as number[];
  const padded = pad(x4, [
    [0, 0],
    padding(mode, h, kh, sh, dh),
    padding(mode, w, kw, sw, dw),
    [0, 0],
  ]);
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
}

/**
 * The pre-activation output of a Conv1D/Conv2D layer, x ⊛ W + b, computed with the plain
 * `conv1d`/`conv2d` ops as the layer computes it (channels-first inputs transposed to channels
 * last and back, as the layer does). Under a gradient tape the layer itself calls
 * tfjs's fused convolution when its activation is linear, whose custom gradient computes the kernel
 * gradient whether or not it is asked for; the plain op's gradient computes only what is asked.
 */
export function convolve(layer: Layer, input: Tensor): Tensor {
  if (layer.getClassName() === 'DepthwiseConv2D') return depthwiseConvolve(layer, input);
  const config = layer.getConfig() as {
    strides?: unknown;
    dilationRate?: unknown;
    padding?: string;
    useBias?: boolean;
  };
  const [kernel, bias] = layer.weights.map((w) => w.read());
  const padding = config.padding as 'same' | 'valid';
  const first = channelsFirst(layer);
  const x = first ? channelsLast(input) : input;
  let z =
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
  if (config.useBias !== false && bias !== undefined) z = add(z, bias as Tensor2D);
  return first ? channelsLast(z, true) : z;
}

/**
 * A DepthwiseConv2D's pre-activation, x ⊛ W + b, computed with tfjs's own depthwise op, whose
 * gradient with respect to x is supplied here rather than by tfjs: the full correlation of δ —
 * with zeros between its rows and columns for a stride — with the kernel turned by 180°, one
 * depthwise op again. The wasm backend has no kernel for tfjs's own input gradient
 * (DepthwiseConv2dNativeBackpropInput), and the cpu backend's is a plain loop; this runs on both,
 * at the speed of the forward op. Only x is differentiated: the kernel's gradient comes from
 * {@link kernelGradient}, the bias's from the sum outside. tfjs-layers 4.22's DepthwiseConv2D
 * ignores its `dilationRate` (it calls the op without one), and so does this, to compute what the
 * layer computes. Channels-first inputs are transposed as the layer does.
 */
export function depthwiseConvolve(layer: Layer, input: Tensor): Tensor {
  const config = layer.getConfig() as {strides?: unknown; padding?: string; useBias?: boolean};
  const [kernel, bias] = layer.weights.map((w) => w.read());
  const first = channelsFirst(layer);
  const x = (first ? channelsLast(input) : input) as Tensor4D;
  const strides = pair(config.strides, 2) as [number, number];
  const mode = (config.padding ?? 'valid') as 'same' | 'valid';
  const w = kernel as Tensor4D;
  const op = customGrad((...args: Array<Tensor | GradSaveFunc>) => {
    const xs = args[0] as Tensor4D;
    return {
      value: depthwiseConv2d(xs, w, strides, mode),
      gradFunc: (dy: Tensor) => depthwiseInputGradient(dy as Tensor4D, w, xs.shape, strides, mode),
    };
  });
  let z = op(x);
  if (config.useBias !== false && bias !== undefined) z = add(z, bias);
  return first ? channelsLast(z, true) : z;
}

/** ∂loss/∂x of a depthwise convolution from δ (see {@link depthwiseConvolve}), shaped like x. */
function depthwiseInputGradient(
  dy: Tensor4D,
  w: Tensor4D,
  xShape: number[],
  [sh, sw]: [number, number],
  mode: string,
): Tensor {
  return tidy(() => {
    const [n, h, wd, c] = xShape;
    const [kh, kw, , m] = w.shape;
    const [, ho, wo, f] = dy.shape;
    // δ with s − 1 zeros after each row and column: position (p·s, q·s) holds δ[p, q].
    let up: Tensor = dy;
    if (sw > 1)
      up = reshape(concat([up, zeros([n, ho, wo, (sw - 1) * f])], 3), [n, ho, wo * sw, f]);
    if (sh > 1) {
      const flat = reshape(up, [n, ho, wo * sw * f]);
      up = reshape(concat([flat, zeros([n, ho, (sh - 1) * wo * sw * f])], 2), [
        n,
        ho * sh,
        wo * sw,
        f,
      ]);
    }
    const padded = pad(up, [
      [0, 0],
      [kh - 1, kh - 1],
      [kw - 1, kw - 1],
      [0, 0],
    ]) as Tensor4D;
    const turned = reverse(w, [0, 1]);
    // dx_pad[a, b, c] = Σ_{i, j, k} δ_up[a − i, b − j, c·M + k] · W[i, j, c, k]: one depthwise
    // correlation per multiplier k, summed.
    let full: Tensor;
    if (m === 1) full = depthwiseConv2d(padded, turned as Tensor4D, 1, 'valid');
    else {
      const [, ph, pw] = padded.shape;
      const split = reshape(padded, [n, ph, pw, c, m]);
      const parts: Tensor[] = [];
      for (let k = 0; k < m; k++) {
        const dk = reshape(slice(split, [0, 0, 0, 0, k], [n, ph, pw, c, 1]), [n, ph, pw, c]);
        const wk = slice(turned, [0, 0, 0, k], [kh, kw, c, 1]) as Tensor4D;
        parts.push(depthwiseConv2d(dk as Tensor4D, wk, 1, 'valid'));
      }
      full = addN(parts);
    }
    // Row a of dx_pad is row a − top of x: crop the padding, and add the zero rows at the bottom
    // and right that no window reached.
    const [top] = padding(mode, h, kh, sh, 1);
    const [left] = padding(mode, wd, kw, sw, 1);
    const [, fh, fw] = full.shape as number[];
    const grown = pad(full, [
      [0, 0],
      [0, Math.max(0, top + h - fh)],
      [0, Math.max(0, left + wd - fw)],
      [0, 0],
    ]);
    return slice(grown, [0, top, left, 0], [n, h, wd, c]);
  });
}
