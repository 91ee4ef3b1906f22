/**
 * Orthogonal initialization speed: ours (`OrthogonalInitializer.apply`, WebAssembly SIMD kernel and
 * plain-JavaScript kernel) against tfjs's `tf.initializers.orthogonal`, side by side in one process
 * on the tfjs CPU backend, with the orthogonality error of our float32 output.
 *
 *     npm run bench:orthogonal                 # 256², 512², 1024², [1024, 4096] (+ gates: 4), [4096, 1024]
 *     npm run bench:orthogonal -- --runs 7 --tfjs-max 256
 *
 * Each case runs once to warm up, then `runs` times after a garbage collection (when Node exposes
 * it); the median is reported, tensor creation included. tfjs's `Orthogonal` needs seconds at 256²
 * and tens of seconds at 512², so it is timed only up to `--tfjs-max` (default 256) rows and
 * columns, once per size. The error is max |WWᵀ − I| (wide/square) or |WᵀW − I| (tall), computed
 * in float64 from the float32 result; with `gates` it is the worst over the gate blocks.
 */
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {OrthogonalInitializer} from '../src';
import {useLinalgSimd} from '../src/linalg/workspace';
import {fillNormal} from '../src/random/samplers';

tf.env().set('IS_TEST', true);

const {values: args} = parseArgs({
  options: {
    runs: {type: 'string', default: '5'},
    'tfjs-max': {type: 'string', default: '256'},
  },
});
const RUNS = Number(args.runs);
const TFJS_MAX = Number(args['tfjs-max']);

interface Size {
  shape: [number, number];
  gates: number;
}

const SIZES: Size[] = [
  {shape: [128, 128], gates: 1},
  {shape: [256, 256], gates: 1},
  {shape: [512, 512], gates: 1},
  {shape: [1024, 1024], gates: 1},
  {shape: [1024, 4096], gates: 1},
  {shape: [1024, 4096], gates: 4},
  {shape: [4096, 1024], gates: 1},
];

const gc = (globalThis as {gc?: () => void}).gc;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(run: () => tf.Tensor, runs: number, warmUp = true): {ms: number; last: Float32Array} {
  let last: Float32Array = new Float32Array(0);
  if (warmUp) run().dispose();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    gc?.();
    const t0 = performance.now();
    const t = run();
    const data = t.dataSync() as Float32Array;
    times.push(performance.now() - t0);
    last = data;
    t.dispose();
  }
  return {ms: median(times), last};
}

/** max |G − I| over the Gram matrix of the rows (wide) or columns (tall) of each gate block. */
function orthogonalityError(w: Float32Array, rows: number, cols: number, gates: number): number {
  const width = cols / gates;
  let err = 0;
  for (let g = 0; g < gates; g++) {
    const tall = rows > width;
    const n = tall ? width : rows;
    const len = tall ? rows : width;
    // Copy the block's vectors into float64 rows so that every dot product is contiguous.
    const vecs = new Float64Array(n * len);
    for (let i = 0; i < rows; i++)
      for (let j = 0; j < width; j++) {
        const x = w[i * cols + g * width + j];
        if (tall) vecs[j * len + i] = x;
        else vecs[i * len + j] = x;
      }
    for (let a = 0; a < n; a++)
      for (let b = a; b < n; b++) {
        let s = 0;
        const pa = a * len;
        const pb = b * len;
        for (let k = 0; k < len; k++) s += vecs[pa + k] * vecs[pb + k];
        err = Math.max(err, Math.abs(s - (a === b ? 1 : 0)));
      }
  }
  return err;
}

/** Flops of forming an m × n Haar Q from n reflectors: 2mn² − 2n³/3 (m ≥ n), per gate block. */
function flops(rows: number, cols: number, gates: number): number {
  const m = Math.max(rows, cols / gates);
  const n = Math.min(rows, cols / gates);
  return gates * (2 * m * n * n - (2 * n * n * n) / 3);
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  // tfjs's Orthogonal warns on every call above 2000 elements; keep the table readable.
  const warn = console.warn;
  console.warn = (...a: unknown[]) => {
    if (!String(a[0]).startsWith('Orthogonal initializer is being called')) warn(...a);
  };
  tf.initializers.orthogonal({gain: 1, seed: 0}).apply([8, 8]).dispose();
  const simd = useLinalgSimd(true);
  console.log(
    `tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}; ` +
      `WebAssembly SIMD kernel: ${simd ? 'available' : 'NOT available'}; ` +
      `Node ${process.version}; runs ${RUNS} ` +
      `(median)${gc ? '' : ' (run with --expose-gc for a GC before each run)'}`,
  );
  console.log('');
  console.log(
    '| shape | gates | ours, WASM SIMD | ours, plain JS | tfjs ' +
      'Orthogonal | tfjs / ours | GFLOP/s (SIMD) | normal draws ' +
      'alone | ‖WWᵀ − I‖∞ (float32) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|');
  let seed = 1;
  for (const {shape, gates} of SIZES) {
    const [rows, cols] = shape;
    const runs = rows * cols >= 4e6 ? Math.max(3, Math.ceil(RUNS / 2)) : RUNS;
    useLinalgSimd(true);
    const fast = time(() => new OrthogonalInitializer({gates, seed: seed++}).apply(shape), runs);
    useLinalgSimd(false);
    const js = time(
      () => new OrthogonalInitializer({gates, seed: seed++}).apply(shape),
      Math.max(1, Math.ceil(runs / 2)),
    );
    useLinalgSimd(true);
    let tfjsCell = `not run (> ${TFJS_MAX})`;
    let ratio = '';
    if (gates === 1 && Math.max(rows, cols) <= TFJS_MAX) {
      // Warmed up once at 8 × 8 (a full-size warm-up run would double its many seconds).
      const t = time(
        () => tf.initializers.orthogonal({gain: 1, seed: seed++}).apply(shape),
        1,
        false,
      );
      tfjsCell = `${t.ms.toFixed(0)} ms`;
      ratio = `${(t.ms / fast.ms).toFixed(0)}×`;
    }
    // The Gaussian draws the sampler consumes (mn − n(n−1)/2 per block), timed alone.
    const m = Math.max(rows, cols / gates);
    const n = Math.min(rows, cols / gates);
    const draws = new Float32Array(gates * (m * n - (n * (n - 1)) / 2));
    const t0 = performance.now();
    fillNormal(draws, seed++, 0, 0, 1);
    const drawMs = performance.now() - t0;
    const err = orthogonalityError(fast.last, rows, cols, gates);
    const gflops = flops(rows, cols, gates) / (fast.ms * 1e6);
    console.log(
      `| [${rows}, ${cols}] | ${gates} | ${fast.ms.toFixed(1)} ms ` +
        `| ${js.ms.toFixed(1)} ms | ${tfjsCell} | ${ratio} ` +
        `| ${gflops.toFixed(1)} | ${drawMs.toFixed(1)} ms ` +
        `| ${err.toExponential(1)} |`,
    );
  }
}

void main();
