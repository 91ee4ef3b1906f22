import {InitializerError, SparseInit, sparseInit} from '../../src';
import {zerosPerRow} from '../../src/initializers/sparse';
import {fillNormal} from '../../src/random/samplers';
import {leakedTensors, moments, take, varianceTolerance} from '../helpers/stats';

/**
 * The full N(0, std²) fill a seeded SparseInit starts from (stream 0). Every output entry must be
 * 0 or this fill's entry; the normal sampler can itself return an exact 0 (probability 2⁻²³ per
 * draw), so the tests count such entries separately.
 */
function reference(rows: number, cols: number, std: number, seed: number): Float32Array {
  const ref = new Float32Array(rows * cols);
  fillNormal(ref, seed, 0, 0, std);
  return ref;
}

/** Checks values ⊂ {0, ref}; returns per row how many entries were set to 0 and the ambiguous count (ref = 0). */
function zeroedPerRow(
  values: Float32Array,
  ref: Float32Array,
  rows: number,
  cols: number,
): {zeroed: number[]; ambiguous: number} {
  const zeroed: number[] = [];
  let ambiguous = 0;
  for (let r = 0; r < rows; r++) {
    let z = 0;
    for (let c = 0; c < cols; c++) {
      const i = r * cols + c;
      if (values[i] !== 0 && values[i] !== ref[i])
        throw new Error(`entry ${i} is ${values[i]}, neither 0 nor the fill's ${ref[i]}`);
      if (ref[i] === 0) ambiguous++;
      else if (values[i] === 0) z++;
    }
    zeroed.push(z);
  }
  return {zeroed, ambiguous};
}

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
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) if (values[r * cols + c] !== 0) counts[c]++;
  return counts;
}

const nonzero = (values: Float32Array): Float32Array => values.filter((v) => v !== 0);

describe('SparseInit, PyTorch variant', () => {
  it('gives every input row exactly ceil(sparsity * out) zeros, the other entries keeping the normal fill', () => {
    const values = take(new SparseInit({sparsity: 0.3, seed: 1}).apply([200, 50]));
    const {zeroed, ambiguous} = zeroedPerRow(values, reference(200, 50, 0.01, 1), 200, 50);
    expect(ambiguous).toBe(0);
    expect(zeroed).toEqual(new Array(200).fill(15));
  });

  it('draws the smaller side of each row: sparsity above 0.5 picks the kept entries, with the same zero count', () => {
    for (const [sparsity, zeros] of [
      [0.9, 45],
      [0.98, 49],
      [1, 50],
      [0.5, 25],
      [0.51, 26],
      [0, 0],
    ]) {
      const values = take(new SparseInit({sparsity, seed: 11}).apply([300, 50]));
      const {zeroed, ambiguous} = zeroedPerRow(values, reference(300, 50, 0.01, 11), 300, 50);
      expect(ambiguous).toBe(0);
      expect(zeroed).toEqual(new Array(300).fill(zeros));
    }
  });

  it('uses sparsity 0.1 and std 0.01 by default', () => {
    const values = take(new SparseInit({seed: 2}).apply([500, 400]));
    const {zeroed, ambiguous} = zeroedPerRow(values, reference(500, 400, 0.01, 2), 500, 400);
    expect(ambiguous).toBe(0);
    expect(zeroed).toEqual(new Array(500).fill(40));
    const nz = nonzero(values);
    const {variance} = moments(nz);
    expect(Math.abs(variance - 1e-4)).toBeLessThan(varianceTolerance(1e-4, nz.length, 3));
  });

  it('draws the non-zero weights from N(0, std^2)', () => {
    const values = take(new SparseInit({sparsity: 0.5, std: 2, seed: 3}).apply([1000, 1000]));
    const {zeroed, ambiguous} = zeroedPerRow(values, reference(1000, 1000, 2, 3), 1000, 1000);
    expect(zeroed.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(500 * 1000);
    expect(zeroed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(500 * 1000 - ambiguous);
    const nz = nonzero(values);
    const {mean, variance} = moments(nz);
    expect(Math.abs(variance - 4)).toBeLessThan(varianceTolerance(4, nz.length, 3));
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(4 / nz.length));
  });

  it.each([0.2, 0.8])(
    'places the zeros uniformly over the columns (sparsity %d: zeros drawn, or kept entries drawn)',
    (sparsity) => {
      const rows = 20000;
      const cols = 10;
      const values = take(new SparseInit({sparsity, seed: 4}).apply([rows, cols]));
      const perColumn = new Array<number>(cols).fill(0);
      for (let r = 0; r < rows; r++)
        for (let c = 0; c < cols; c++) if (values[r * cols + c] === 0) perColumn[c]++;
      // Each column is zeroed in a row with probability `sparsity`: Binomial(rows, sparsity), 5 sd.
      const sd = Math.sqrt(rows * sparsity * (1 - sparsity));
      for (const count of perColumn) expect(Math.abs(count - rows * sparsity)).toBeLessThan(5 * sd);
      // Pairs too: two given columns are both zero with probability s·(10s − 1)/9 (without replacement).
      let both = 0;
      for (let r = 0; r < rows; r++)
        if (values[r * cols] === 0 && values[r * cols + 1] === 0) both++;
      const p = (sparsity * (cols * sparsity - 1)) / (cols - 1);
      expect(Math.abs(both - rows * p)).toBeLessThan(5 * Math.sqrt(rows * p * (1 - p)));
    },
  );

  it('treats rank > 2 kernels as [prod(shape[:-1]), out]', () => {
    const values = take(new SparseInit({sparsity: 0.25, seed: 5}).apply([3, 3, 8, 16]));
    expect(zerosInRows(values, 72, 16)).toEqual(new Array(72).fill(4));
  });

  it('computes ceil(sparsity * out) on the float64 product, exactly as PyTorch 1.13 does', () => {
    // math.ceil(sparsity * rows) in torch.nn.init.sparse_, checked against torch 1.13 (scripts/torch-reference.py):
    // 0.55 · 100 = 55.00000000000001 → 56 zeros; 0.1 · 30 = 3.0 → 3; 0.7 · 10 = 7.0 → 7.
    expect(zerosPerRow(0.55, 100)).toBe(56);
    expect(zerosPerRow(0.1, 30)).toBe(3);
    expect(zerosPerRow(0.7, 10)).toBe(7);
    expect(zerosPerRow(0.1, 31)).toBe(4);
    expect(zerosPerRow(0, 30)).toBe(0);
    expect(zerosPerRow(1, 30)).toBe(30);
    const values = take(new SparseInit({sparsity: 0.55, seed: 4}).apply([20, 100]));
    expect(zerosInRows(values, 20, 100)).toEqual(new Array(20).fill(56));
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
    const nz = nonzero(
      take(new SparseInit({nonzeroPerUnit: 100, std: 0.5, seed: 7}).apply([300, 2000])),
    );
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
    expect(config).toEqual({nonzeroPerUnit: 3, seed: 2});
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
    [
      {sparsity: 0.5, nonzeroPerUnit: 3},
      /give either `sparsity` \(PyTorch\) or `nonzeroPerUnit` \(Martens\), not both/,
    ],
    [{sparse: 0.5}, /unknown option `sparse`/],
  ])('rejects %j at construction', (args, message) => {
    expect(() => new SparseInit(args as never)).toThrow(InitializerError);
    expect(() => new SparseInit(args as never)).toThrow(message);
  });

  it('needs rank >= 2', () => {
    expect(() => new SparseInit().apply([10])).toThrow(/SparseInit: shape must have rank >= 2/);
  });

  it('factory and class agree; no tensors leak', () => {
    expect(take(sparseInit({seed: 1}).apply([5, 6]))).toEqual(
      take(new SparseInit({seed: 1}).apply([5, 6])),
    );
    expect(leakedTensors(() => new SparseInit().apply([32, 32]))).toBe(0);
  });
});
