import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import {
  Dirac,
  Eye,
  KaimingNormal,
  KaimingUniform,
  Normal,
  OrthogonalInitializer,
  SparseInit,
  TruncNormal,
  Uniform,
  XavierNormal,
  XavierUniformCustom,
  constant_,
} from '../src';
import type {BaseInitializer} from '../src';
import {take} from './helpers/stats';

/**
 * Cross-check against PyTorch: __tests__/fixtures/torch-reference.json holds statistics of
 * torch.nn.init's functions (scripts/torch-reference.py, torch 1.13, run by hand). Each twin here
 * draws the same shape in the tfjs layout; means and variances must agree within 5 standard errors
 * of the difference of two samples (from both n and the recorded fourth moment).
 */
interface Entry {
  name: string;
  torch: string;
  torchShape: number[];
  ours: {class?: string; fn?: string; args: Record<string, unknown> | unknown[]};
  layout: 'linear' | 'conv';
  bounded?: boolean;
  n?: number;
  mean?: number;
  variance?: number;
  m4?: number;
  min?: number;
  max?: number;
  gramError?: number;
  zerosPerInput?: number[];
  nonzeroVariance?: number;
  nonzeroN?: number;
  values?: number[];
}

const reference = JSON.parse(
  fs.readFileSync(path.join(__dirname, 'fixtures', 'torch-reference.json'), 'utf8'),
) as {entries: Entry[]};

const CLASSES: Record<string, new (args: never) => BaseInitializer<object>> = {
  Uniform,
  Normal,
  TruncNormal,
  XavierUniformCustom,
  XavierNormal,
  KaimingUniform,
  KaimingNormal,
  OrthogonalInitializer,
  SparseInit,
  Eye,
  Dirac,
};

/** PyTorch layout → tfjs layout: Linear [out, in] → [in, out]; Conv [out, in, ...k] → [...k, in, out]. */
function tfjsShape(e: Entry): number[] {
  const [out, inp, ...k] = e.torchShape;
  return e.layout === 'linear' ? [inp, out] : [...k, inp, out];
}

/** Our tensor (tfjs layout) re-indexed into PyTorch's layout, flattened. */
function toTorchLayout(values: Float32Array, e: Entry): number[] {
  const [out, inp, ...k] = e.torchShape;
  const spatial = k.reduce((p, d) => p * d, 1);
  const result: number[] = [];
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inp; i++) {
      for (let s = 0; s < spatial; s++) result.push(values[(s * inp + i) * out + o]);
    }
  }
  return result;
}

function make(e: Entry, seed: number): BaseInitializer<object> {
  const Cls = CLASSES[e.ours.class as string];
  return new Cls({
    ...(e.ours.args as object),
    ...(e.ours.class === 'Eye' || e.ours.class === 'Dirac' ? {} : {seed}),
  } as never);
}

/** Draws ≥ 250,000 values (or 16 draws of a small shape) with distinct seeds. */
function draw(e: Entry): Float32Array[] {
  const shape = tfjsShape(e);
  const size = shape.reduce((p, d) => p * d, 1);
  const reps = Math.max(1, Math.ceil(250000 / size));
  return Array.from({length: reps}, (_, r) => take(make(e, 1000 + r).apply(shape)));
}

function stats(draws: Float32Array[]): {
  n: number;
  mean: number;
  variance: number;
  min: number;
  max: number;
} {
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const d of draws)
    for (const v of d) {
      n++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  const mean = sum / n;
  let ss = 0;
  for (const d of draws) for (const v of d) ss += (v - mean) ** 2;
  return {n, mean, variance: ss / n, min, max};
}

const sampled = reference.entries.filter((e) => e.values === undefined);
const exact = reference.entries.filter((e) => e.values !== undefined);

describe('cross-check against torch.nn.init (reference figures from PyTorch 1.13)', () => {
  it.each(sampled.map((e) => [e.name, e] as const))(
    '%s: mean and variance agree with PyTorch',
    (_name, e) => {
      const draws = draw(e);
      const ours = stats(draws);
      const v = e.variance as number;
      const z = 5;
      const meanTol = z * Math.sqrt(v / ours.n + v / (e.n as number));
      const varTol = z * Math.sqrt(((e.m4 as number) - v * v) * (1 / ours.n + 1 / (e.n as number)));
      expect(Math.abs(ours.mean - (e.mean as number))).toBeLessThan(meanTol);
      expect(Math.abs(ours.variance - v)).toBeLessThan(varTol);
      // The tolerance is tight enough to see a 5% variance error.
      expect(0.05 * v).toBeGreaterThan(varTol);
      if (e.bounded) {
        // Bounded distributions: same support (a sample's extremes lie within ~range·20/n of the bounds).
        const slack = (((e.max as number) - (e.min as number)) * 20) / ours.n;
        expect(ours.min).toBeGreaterThanOrEqual((e.min as number) - slack);
        expect(ours.max).toBeLessThanOrEqual((e.max as number) + slack);
        expect(ours.min).toBeLessThan((e.min as number) + slack * 1e3);
        expect(ours.max).toBeGreaterThan((e.max as number) - slack * 1e3);
      }
      if (e.zerosPerInput !== undefined) {
        const [inputs, out] = tfjsShape(e);
        for (const d of draws) {
          for (let r = 0; r < inputs; r++) {
            let zeros = 0;
            for (let c = 0; c < out; c++) if (d[r * out + c] === 0) zeros++;
            expect([zeros]).toEqual(e.zerosPerInput);
          }
        }
        const nonzero = draws.flatMap((d) => Array.from(d).filter((x) => x !== 0));
        const nv = nonzero.reduce((s, x) => s + x * x, 0) / nonzero.length;
        const target = e.nonzeroVariance as number;
        expect(Math.abs(nv - target)).toBeLessThan(
          z * target * Math.sqrt(2 / nonzero.length + 2 / (e.nonzeroN as number)),
        );
      }
      if (e.gramError !== undefined) {
        const shape = tfjsShape(e);
        const cols = shape[shape.length - 1];
        const rows = shape.reduce((p, d) => p * d, 1) / cols;
        for (const d of draws.slice(0, 2)) expect(gramError(d, rows, cols)).toBeLessThan(1e-5);
        expect(e.gramError).toBeLessThan(1e-5);
      }
    },
  );

  it.each(exact.map((e) => [e.name, e] as const))('%s: identical values', (_name, e) => {
    const shape = tfjsShape(e);
    let values: Float32Array;
    if (e.ours.fn === 'constant_') {
      const v = tf.variable(tf.zeros(shape));
      constant_(v, (e.ours.args as number[])[0]);
      values = v.dataSync() as Float32Array;
      v.dispose();
    } else {
      values = take(make(e, 0).apply(shape));
    }
    expect(toTorchLayout(values, e)).toEqual((e.values as number[]).map(Math.fround));
  });
});

/** max |G − I·mean(diag G)| / mean(diag G) over the smaller Gram matrix. */
function gramError(w: Float32Array, rows: number, cols: number): number {
  const tall = rows >= cols;
  const n = Math.min(rows, cols);
  const g = new Float64Array(n * n);
  for (let a = 0; a < n; a++)
    for (let b = a; b < n; b++) {
      let s = 0;
      if (tall) for (let i = 0; i < rows; i++) s += w[i * cols + a] * w[i * cols + b];
      else for (let j = 0; j < cols; j++) s += w[a * cols + j] * w[b * cols + j];
      g[a * n + b] = s;
      g[b * n + a] = s;
    }
  let diag = 0;
  for (let a = 0; a < n; a++) diag += g[a * n + a];
  diag /= n;
  let err = 0;
  for (let a = 0; a < n; a++)
    for (let b = 0; b < n; b++) err = Math.max(err, Math.abs(g[a * n + b] - (a === b ? diag : 0)));
  return err / diag;
}
