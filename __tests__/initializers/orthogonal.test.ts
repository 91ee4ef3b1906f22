import {OrthogonalInitializer} from '../../src';
import {leakedTensors, take} from '../helpers/stats';

/** max |WᵀW − gain²I| over the smaller Gram matrix, in float64. */
function orthogonalityError(w: Float32Array, rows: number, cols: number, gain: number): number {
  const tall = rows >= cols;
  const n = Math.min(rows, cols);
  let err = 0;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      let s = 0;
      if (tall) for (let i = 0; i < rows; i++) s += w[i * cols + a] * w[i * cols + b];
      else for (let j = 0; j < cols; j++) s += w[a * cols + j] * w[b * cols + j];
      err = Math.max(err, Math.abs(s - (a === b ? gain * gain : 0)));
    }
  }
  return err;
}

describe('OrthogonalInitializer', () => {
  it.each([
    [[64, 64], 1],
    [[100, 30], 2],
    [[30, 100], 1],
    [[3, 3, 8, 16], 1.5],
  ])('shape %j, gain %d: orthonormal columns or rows to float32 precision', (shape, gain) => {
    const cols = shape[shape.length - 1];
    const rows = shape.reduce((p, d) => p * d, 1) / cols;
    const w = take(new OrthogonalInitializer({gain, seed: 5}).apply(shape));
    expect(orthogonalityError(w, rows, cols, gain)).toBeLessThan(1e-5 * gain * gain);
  });

  it('is seeded, Haar-like (entries of a 200×200 Q have variance 1/200) and leak-free', () => {
    const init = new OrthogonalInitializer({seed: 9});
    const a = take(init.apply([200, 200]));
    expect(take(init.apply([200, 200]))).toEqual(a);
    let ss = 0;
    for (const v of a) ss += v * v;
    expect(ss / a.length).toBeCloseTo(1 / 200, 10);
    // First-row entries of a Haar matrix are symmetric: about half are positive (sign correction).
    let positive = 0;
    for (let i = 0; i < 200; i++) if (a[i * 200] > 0) positive++;
    expect(Math.abs(positive - 100)).toBeLessThan(5 * Math.sqrt(50));
    expect(leakedTensors(() => new OrthogonalInitializer().apply([16, 16]))).toBe(0);
  });
});
