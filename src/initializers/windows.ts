/**
 * Window functions for {@link STFT}, by the names `scipy.signal.get_window` accepts without
 * parameters (Keras 3's `STFT` initializer calls it with the saved name). Each is computed in
 * float64 from its textbook formula; `__tests__/fixtures/stft-reference.json` holds SciPy's values
 * for every name, length class and periodicity.
 */

/** The window names `windowValues` computes (SciPy's canonical names). */
export type WindowName =
  | 'boxcar'
  | 'triang'
  | 'bartlett'
  | 'hann'
  | 'hamming'
  | 'blackman'
  | 'blackmanharris'
  | 'nuttall'
  | 'flattop'
  | 'bohman'
  | 'parzen'
  | 'barthann'
  | 'cosine'
  | 'tukey';

/** Every supported name, canonical first. */
export const WINDOW_NAMES: readonly WindowName[] = [
  'hann',
  'hamming',
  'blackman',
  'bartlett',
  'boxcar',
  'triang',
  'blackmanharris',
  'nuttall',
  'flattop',
  'bohman',
  'parzen',
  'barthann',
  'cosine',
  'tukey',
];

/** SciPy's other spellings of the same windows (`get_window('han', n)` is `hann`). All lower-case letters. */
export const WINDOW_ALIASES: Readonly<Record<string, WindowName>> = {
  han: 'hann',
  hamm: 'hamming',
  ham: 'hamming',
  black: 'blackman',
  blk: 'blackman',
  bart: 'bartlett',
  brt: 'bartlett',
  box: 'boxcar',
  ones: 'boxcar',
  rect: 'boxcar',
  rectangular: 'boxcar',
  triangle: 'triang',
  tri: 'triang',
  blackharr: 'blackmanharris',
  bkh: 'blackmanharris',
  nutl: 'nuttall',
  nut: 'nuttall',
  flat: 'flattop',
  flt: 'flattop',
  bman: 'bohman',
  bmn: 'bohman',
  parz: 'parzen',
  par: 'parzen',
  brthan: 'barthann',
  bth: 'barthann',
  halfcosine: 'cosine',
  tuk: 'tukey',
};

/** Coefficients a_k of the generalized cosine windows: w(n) = Σ_k (−1)^k a_k cos(2πkn / (M − 1)). */
const COSINE_SUMS: Readonly<Partial<Record<WindowName, readonly number[]>>> = {
  hann: [0.5, 0.5],
  hamming: [0.54, 0.46],
  blackman: [0.42, 0.5, 0.08],
  blackmanharris: [0.35875, 0.48829, 0.14128, 0.01168],
  nuttall: [0.3635819, 0.4891775, 0.1365995, 0.0106411],
  flattop: [0.21557895, 0.41663158, 0.277263158, 0.083578947, 0.006947368],
};

/** Tukey's default taper fraction in `get_window('tukey', n)`. */
const TUKEY_ALPHA = 0.5;

/** The symmetric window of length m ≥ 2, sample n. */
function symmetric(name: WindowName, n: number, m: number): number {
  const cosines = COSINE_SUMS[name];
  if (cosines !== undefined) {
    let w = 0;
    for (let k = 0; k < cosines.length; k++)
      w += (k % 2 === 0 ? 1 : -1) * cosines[k] * Math.cos((2 * Math.PI * k * n) / (m - 1));
    return w;
  }
  const x = (2 * n) / (m - 1) - 1; // position in [−1, 1]
  switch (name) {
    case 'boxcar':
      return 1;
    case 'triang':
      // Triangle that does not reach zero at the ends: 1 − |n − (m − 1)/2| / (m/2) (even m), / ((m + 1)/2) (odd m).
      return 1 - Math.abs(n - (m - 1) / 2) / (m % 2 === 0 ? m / 2 : (m + 1) / 2);
    case 'bartlett':
      return 1 - Math.abs(x);
    case 'bohman': {
      const a = Math.abs(x);
      return a === 1 ? 0 : (1 - a) * Math.cos(Math.PI * a) + Math.sin(Math.PI * a) / Math.PI; // exactly 0 at the ends
    }
    case 'parzen': {
      const a = Math.abs(n - (m - 1) / 2) / (m / 2);
      return Math.abs(n - (m - 1) / 2) <= (m - 1) / 4
        ? 1 - 6 * a * a + 6 * a * a * a
        : 2 * (1 - a) ** 3;
    }
    case 'barthann': {
      const f = Math.abs(n / (m - 1) - 0.5);
      return 0.62 - 0.48 * f + 0.38 * Math.cos(2 * Math.PI * f);
    }
    case 'cosine':
      return Math.sin((Math.PI * (n + 0.5)) / m);
    case 'tukey': {
      const width = Math.floor((TUKEY_ALPHA * (m - 1)) / 2);
      if (n <= width) return 0.5 * (1 + Math.cos(Math.PI * (-1 + (2 * n) / TUKEY_ALPHA / (m - 1))));
      if (n >= m - width - 1)
        return (
          0.5 * (1 + Math.cos(Math.PI * (-2 / TUKEY_ALPHA + 1 + (2 * n) / TUKEY_ALPHA / (m - 1))))
        );
      return 1;
    }
    default:
      throw new Error(`unreachable: window ${name}`);
  }
}

/**
 * The window `name` of length `length`, as `scipy.signal.get_window(name, length, fftbins=periodic)`
 * gives it: symmetric (w(n) = w(length − 1 − n)) or periodic (the symmetric window of length + 1
 * without its last sample, the form a DFT of that length expects). A window of length 1 is [1].
 *
 * @param name a {@link WindowName}; @param length an integer ≥ 1.
 * @example
 * ```ts
 * windowValues('hann', 5, false);   // [0, 0.5, 1, 0.5, 0]
 * windowValues('hann', 4, true);    // [0, 0.5, 1, 0.5]
 * ```
 * @see `scipy.signal.get_window`; Harris, "On the use of windows for harmonic analysis with the
 * discrete Fourier transform", Proc. IEEE 1978.
 */
export function windowValues(name: WindowName, length: number, periodic: boolean): Float64Array {
  const out = new Float64Array(length);
  if (length === 1) {
    out[0] = 1;
    return out;
  }
  const m = periodic ? length + 1 : length;
  for (let n = 0; n < length; n++) out[n] = symmetric(name, n, m);
  return out;
}
