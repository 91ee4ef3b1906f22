import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {InitializerError, describeValue, fail} from '../core/errors';
import {
  MAX_MAGNITUDE,
  bool,
  oneOf,
  oneOfOrNull,
  withKind,
  type Check,
  type Schema,
} from '../core/options';
import {ownValue} from '../core/own';
import {BaseInitializer, type ShapeFacts} from './base';
import {register} from './registry';
import {WINDOW_ALIASES, WINDOW_NAMES, windowValues, type WindowName} from './windows';

/** Which part of the complex DFT basis a kernel holds. */
export type STFTSide = 'real' | 'imag';

/** How the windowed basis is normalized: by the window's L2 norm (`density`) or L1 norm (`spectrum`). */
export type STFTScaling = 'density' | 'spectrum';

/** Options of {@link STFT} (Keras 3's `STFT` initializer's config keys). */
export interface STFTArgs {
  /** `'real'` (default): cos; `'imag'`: the imaginary part, −sin. */
  side?: STFTSide;
  /**
   * A window name (`'hann'`, the default; `'hamming'`, `'blackman'`, `'bartlett'`, `'boxcar'`, ...:
   * `WINDOW_NAMES` and SciPy's aliases of them), an explicit array of `frameLength` finite
   * numbers, or `null` for none (no window and no scaling).
   */
  window?: WindowName | string | readonly number[] | null;
  /** `'density'` (default): divide by the window's L2 norm; `'spectrum'`: by its L1 norm; `null`: neither. */
  scaling?: STFTScaling | null;
  /** A named window is periodic (DFT-even, SciPy's `fftbins=True`) rather than symmetric. Default false. */
  periodic?: boolean;
}

/** A window as stored: a name, the values, or none. */
type StoredWindow = string | readonly number[] | null;

interface STFTOptions {
  side: STFTSide;
  window: StoredWindow;
  scaling: STFTScaling | null;
  periodic: boolean;
}

const WINDOW_ALLOWED =
  `one of ${WINDOW_NAMES.map((n) => `'${n}'`).join(', ')} (or ` +
  `a SciPy alias of one), a non-empty array of finite ` +
  `numbers, or null`;

/** The canonical window name of a name or alias; `undefined` when neither. */
function canonicalWindow(name: string): WindowName | undefined {
  return (WINDOW_NAMES as readonly string[]).includes(name)
    ? (name as WindowName)
    : ownValue(WINDOW_ALIASES, name);
}

/** `window`: a known name (kept as written, so a saved config says what its author wrote), finite values, or null. */
const windowCheck: Check<StoredWindow> = withKind(
  {kind: 'window', names: WINDOW_NAMES},
  (v, owner, key, kind) => {
    if (v === undefined) return 'hann';
    if (v === null) return null;
    if (typeof v === 'string' && canonicalWindow(v) !== undefined) return v;
    if (
      Array.isArray(v) &&
      v.length > 0 &&
      v.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= MAX_MAGNITUDE)
    ) {
      return Object.freeze([...(v as number[])]);
    }
    return fail(owner, key, WINDOW_ALLOWED, v, kind);
  },
);

const SCHEMA: Schema<STFTOptions> = {
  side: oneOf(['real', 'imag'] as const, 'real'),
  window: windowCheck,
  scaling: oneOfOrNull(['density', 'spectrum'] as const, 'density'),
  periodic: bool(false),
};

/** cos and −sin at 0, π/2, π and 3π/2. */
const QUARTER_COS = [1, 0, -1, 0];
const QUARTER_MINUS_SIN = [0, -1, 0, 1];

/** L2 norm of `w`, computed scaled so that tiny or huge values neither underflow nor overflow. */
function l2(w: Float64Array): number {
  let max = 0;
  for (const x of w) max = Math.max(max, Math.abs(x));
  if (max === 0) return 0;
  let s = 0;
  for (const x of w) s += (x / max) ** 2;
  return max * Math.sqrt(s);
}

/**
 * Keras 3's STFT initializer (`keras.initializers.STFT`, saved also as `STFTInitializer`): a Conv1D
 * kernel of shape `[frameLength, 1, bins]` holding the real or imaginary part of the DFT basis for
 * an FFT of length N = 2(bins − 1), times a window, divided by the window's norm:
 *
 *     real: W[t, 0, k] = cos(2π·t·k / N) · w[t] / s
 *     imag: W[t, 0, k] = −sin(2π·t·k / N) · w[t] / s        t < frameLength, k < bins
 *     s = ‖w‖₂ (scaling 'density'), ‖w‖₁ ('spectrum') or 1 (null, or no window)
 *
 * so that a Conv1D with this kernel and stride `frameStep` computes the STFT's real or imaginary
 * part (Keras's `STFTSpectrogram` builds both). w is `scipy.signal.get_window(window, frameLength,
 * fftbins=periodic)` for a name, the given values for an array, and 1 for `null`. Values are
 * computed in float64 (t·k reduced modulo N exactly; multiples of π/2 give exact 0 and ±1) and
 * rounded once to float32. Keras computes the angle in float32, so its kernels differ from these by
 * a few 1e-6 (at most 2.6e-6 against Keras 3.15.1 for frames up to 128, see
 * `__tests__/keras-jax-reference.test.ts`), growing with t·k.
 *
 * @example
 * ```ts
 * const stft = new STFT({side: 'imag', window: 'hamming', scaling: 'spectrum'});
 * stft.apply([256, 1, 129]);                       // frame 256, FFT 256, 129 bins
 * tf.layers.conv1d({filters: 129, kernelSize: 256, strides: 128, inputShape: [16000, 1],
 *   useBias: false, kernelInitializer: {className: 'STFT', config: {side: 'real', window: 'hann'}}});
 * ```
 * @see Keras 3 `keras.initializers.STFT` (Keras ≥ 3.7) and `keras.layers.STFTSpectrogram`;
 * `scipy.signal.get_window`; Harris, "On the use of windows for harmonic analysis with the discrete
 * Fourier transform", Proc. IEEE 1978.
 */
export class STFT extends BaseInitializer<STFTOptions> {
  static override className = 'STFT';
  static override readonly shapes: ShapeFacts = {
    ranks: [3, 3],
    example: [8, 1, 5],
    stress: {
      shape: [1000, 1, 10001],
      why: 'a Conv1D kernel [frameLength, 1, bins]: 1000-sample frames, 10001 bins (FFT length 20000)',
    },
  };

  constructor(args: STFTArgs = {}) {
    super(args, SCHEMA);
  }

  /** The window of length `frameLength` (null for none); fails before any allocation when it cannot be used. */
  private windowFor(shape: readonly number[]): {w: Float64Array; s: number} | null {
    const {window, scaling, periodic} = this.options;
    if (window === null) return null;
    const owner = this.getClassName();
    const frameLength = shape[0];
    let w: Float64Array;
    if (typeof window === 'string') {
      w = windowValues(canonicalWindow(window) as WindowName, frameLength, periodic);
    } else {
      if (window.length !== frameLength) {
        throw new InitializerError(
          owner,
          'window',
          `option \`window\` must have one value per frame ` +
            `sample: ${window.length} values for ` +
            `frameLength=${frameLength} (shape[0]). Received: ` +
            `window=${describeValue(window)}, ` +
            `shape=${describeValue(shape)}`,
        );
      }
      w = Float64Array.from(window);
    }
    let s = 1;
    if (scaling === 'density') s = l2(w);
    else if (scaling === 'spectrum') s = w.reduce((acc, x) => acc + Math.abs(x), 0);
    if (!(s > 0) || !Number.isFinite(s)) {
      const norm = scaling === 'density' ? 'L2' : 'L1';
      throw new InitializerError(
        owner,
        'scaling',
        `option \`scaling\`='${scaling}' divides by the ` +
          `window's ${norm} norm, which is ${s} for ` +
          `window=${describeValue(window)} of ` +
          `length ${frameLength}${periodic ? ' (periodic)' : ''}; use ` +
          `another window or scaling=null. Received: ` +
          `scaling="${scaling}", shape=${describeValue(shape)}`,
      );
    }
    return {w, s};
  }

  protected override checkFits(shape: number[]): void {
    const owner = this.getClassName();
    if (shape.length !== 3) {
      throw new InitializerError(
        owner,
        'shape',
        `needs a Conv1D kernel [frameLength, 1, bins] (rank 3). ` +
          `Received: shape=${describeValue(shape)} ` +
          `(rank ${shape.length})`,
      );
    }
    if (shape[1] !== 1) {
      throw new InitializerError(
        owner,
        'shape',
        `needs one input channel: a kernel [frameLength, 1, bins], ` +
          `as Keras 3's STFTSpectrogram builds it. Received: ` +
          `shape=${describeValue(shape)} (${shape[1]} input channels)`,
      );
    }
    if (shape[2] < 2) {
      throw new InitializerError(
        owner,
        'shape',
        `needs bins >= 2 (bins = fftLength/2 + 1 for an even FFT length >= 2). Received: shape=${describeValue(shape)}`,
      );
    }
    this.windowFor(shape);
  }

  protected generate(shape: number[], dtype: DataType): Tensor {
    const [frameLength, , bins] = shape;
    const n = 2 * (bins - 1);
    const win = this.windowFor(shape);
    const imag = this.options.side === 'imag';
    const values = new Float32Array(frameLength * bins);
    for (let t = 0; t < frameLength; t++) {
      const factor = win === null ? 1 : win.w[t] / win.s;
      for (let k = 0; k < bins; k++) {
        const r = (t * k) % n;
        // Multiples of π/2 exactly (cos(π/2) is 6e-17 in float64); + 0 turns −0 into 0.
        const quarter = (4 * r) % n === 0 ? (4 * r) / n : -1;
        const angle = (2 * Math.PI * r) / n;
        const basis =
          quarter >= 0
            ? (imag ? QUARTER_MINUS_SIN : QUARTER_COS)[quarter]
            : imag
              ? -Math.sin(angle)
              : Math.cos(angle);
        values[t * bins + k] = basis * factor + 0;
      }
    }
    return tensor(values, shape, dtype);
  }
}
register(STFT, {aliases: ['STFTInitializer']});

/** Factory for {@link STFT}: `stft({side: 'imag', window: 'hamming'})`. */
export function stft(args?: STFTArgs): STFT {
  return new STFT(args);
}
