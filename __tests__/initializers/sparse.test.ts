import {InitializerError, SparseInit, sparseInit} from '../../src';
import {zerosPerRow} from '../../src/initializers/sparse';
import {leakedTensors, moments, take, varianceTolerance} from '../helpers/stats';

function zerosInRows(values: Float32Array, rows: number, cols: number): number[] {
  const counts: number[] = [];
  for (let r = 0; r < rows; r++) {
    let z = 0;
    for (let c = 0; c < cols; c++) if (values[r * cols + c] === 0) z++;
    counts.push(z);
  }
  return counts;
}

function nonzerosInColumns(values: Float32Array, rows: number, cols: number): number[] {
  const counts = new Array<number>(cols).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (values[r * cols + c] !== 0) counts[c]++;
  return counts;
}

const nonzero = (values: Float32Array): Float32Array => values.filter((v) => v !== 0);

describe('SparseInit, PyTorch variant', () => {
  it('gives every input row exactly ceil(sparsity * out) zeros', () => {
    const values = take(new SparseInit({sparsity: 0.3, seed: 1}).apply([200, 50]));
    expect(zerosInRows(values, 200, 50)).toEqual(new Array(200).fill(15));
  });

  it('uses sparsity 0.1 and std 0.01 by default', () => {
    const values = take(new SparseInit({seed: 2}).apply([500, 400]));
    expect(zerosInRows(values, 500, 400)).toEqual(new Array(500).fill(40));
    const nz = nonzero(values);
    const {variance} = moments(nz);
    expect(Math.abs(variance - 1e-4)).toBeLessThan(varianceTolerance(1e-4, nz.length, 3));
  });

  it('draws the non-zero weights from N(0, std^2)', () => {
    const nz = nonzero(take(new SparseInit({sparsity: 0.5, std: 2, seed: 3}).apply([1000, 1000])));
    expect(nz.length).toBe(500 * 1000);
    const {mean, variance} = moments(nz);
    expect(Math.abs(variance - 4)).toBeLessThan(varianceTolerance(4, nz.length, 3));
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(4 / nz.length));
  });

  it('places the zeros uniformly over the columns', () => {
    const rows = 20000;
    const cols = 10;
    const values = take(new SparseInit({sparsity: 0.2, seed: 4}).apply([rows, cols]));
    const perColumn = new Array<number>(cols).fill(0);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (values[r * cols + c] === 0) perColumn[c]++;
    // Each column is zeroed in a row with probability 2/10: Binomial(rows, 0.2), 5 sd.
    const sd = Math.sqrt(rows * 0.2 * 0.8);
    for (const count of perColumn) expect(Math.abs(count - rows * 0.2)).toBeLessThan(5 * sd);
  });

  it('treats rank > 2 kernels as [prod(shape[:-1]), out]', () => {
    const values = take(new SparseInit({sparsity: 0.25, seed: 5}).apply([3, 3, 8, 16]));
    expect(zerosInRows(values, 72, 16)).toEqual(new Array(72).fill(4));
  });

  it('computes ceil(sparsity * out) without float artefacts', () => {
    expect(zerosPerRow(0.1, 30)).toBe(3);
    expect(zerosPerRow(0.1, 31)).toBe(4);
    expect(zerosPerRow(0, 30)).toBe(0);
    expect(zerosPerRow(1, 30)).toBe(30);
  });

  it('repeats values and zero positions for a seed', () => {
    const init = new SparseInit({sparsity: 0.5, seed: 0});
    expect(take(init.apply([30, 40]))).toEqual(take(init.apply([30, 40])));
    const unseeded = new SparseInit({sparsity: 0.5});
    expect(take(unseeded.apply([30, 40]))).not.toEqual(take(unseeded.apply([30, 40])));
  });
});

describe('SparseInit, Martens variant', () => {
  it('gives every output unit exactly k non-zero incoming weights', () => {
    const values = take(new SparseInit({nonzeroPerUnit: 15, std: 1, seed: 6}).apply([784, 100]));
    expect(nonzerosInColumns(values, 784, 100)).toEqual(new Array(100).fill(15));
  });

  it('draws the kept weights from N(0, std^2)', () => {
    const nz = nonzero(take(new SparseInit({nonzeroPerUnit: 100, std: 0.5, seed: 7}).apply([300, 2000])));
    expect(nz.length).toBe(100 * 2000);
    const {variance} = moments(nz);
    expect(Math.abs(variance - 0.25)).toBeLessThan(varianceTolerance(0.25, nz.length, 3));
  });

  it('rejects k larger than the number of inputs at apply, before allocating', () => {
    expect(() => new SparseInit({nonzeroPerUnit: 20}).apply([10, 4])).toThrow(
      /SparseInit: nonzeroPerUnit=20 exceeds the 10 inputs of each unit/,
    );
  });

  it('saves its options so that the variant survives a round trip', () => {
    const config = new SparseInit({nonzeroPerUnit: 3, seed: 2}).getConfig();
    expect(config).toEqual({sparsity: null, nonzeroPerUnit: 3, std: 0.01, seed: 2});
    expect(new SparseInit(config as never).getConfig()).toEqual(config);
  });
});

describe('SparseInit, errors and hygiene', () => {
  it.each([
    [{sparsity: 1.5}, /option `sparsity` must be a number in \[0, 1\]. Received: sparsity=1.5/],
    [{sparsity: -0.1}, /Received: sparsity=-0.1/],
    [{sparsity: NaN}, /Received: sparsity=NaN/],
    [{std: -1}, /option `std` must be a finite number >= 0. Received: std=-1/],
    [{std: NaN}, /Received: std=NaN/],
    [{seed: -3}, /option `seed` must be an integer/],
    [{nonzeroPerUnit: 0}, /option `nonzeroPerUnit` must be an integer >= 1/],
    [{nonzeroPerUnit: 2.5}, /Received: nonzeroPerUnit=2.5/],
    [{sparsity: 0.5, nonzeroPerUnit: 3}, /give either `sparsity` \(PyTorch\) or `nonzeroPerUnit` \(Martens\), not both/],
    [{sparse: 0.5}, /unknown option `sparse`/],
  ])('rejects %j at construction', (args, message) => {
    expect(() => new SparseInit(args as never)).toThrow(InitializerError);
    expect(() => new SparseInit(args as never)).toThrow(message);
  });

  it('needs rank >= 2', () => {
    expect(() => new SparseInit().apply([10])).toThrow(/SparseInit: shape must have rank >= 2/);
  });

  it('factory and class agree; no tensors leak', () => {
    expect(take(sparseInit({seed: 1}).apply([5, 6]))).toEqual(take(new SparseInit({seed: 1}).apply([5, 6])));
    expect(leakedTensors(() => new SparseInit().apply([32, 32]))).toBe(0);
  });
});
