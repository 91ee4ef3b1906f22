/**
 * Random core throughput: our samplers (the path every initializer takes: allocate a
 * Float32Array, fill it, wrap it with tf.tensor without a copy) against tfjs's random ops and
 * initializers, side by side in one process on the CPU backend.
 *
 *     npm run bench:random       # 1e6 and 1e7 elements, 7 runs each, plus peak memory
 *     npm run bench:random -- --runs 11 --sizes 1e6
 *
 * Every case is timed `runs` times, interleaved with the others (so a noisy neighbour slows
 * all of them alike), after a garbage collection (so no case pays for the garbage of the case
 * before it), and the median is reported, tensor creation included. Peak memory is
 * measured for 1e7 elements in a fresh child process per case: the rise of the peak resident set
 * size (maxRSS) over the resident set before the fill, minus the tensor's own 40 MB.
 */
import {spawnSync} from 'node:child_process';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {XavierUniformCustom} from '../src';
import {fillNormal, fillTruncNormal, fillUniform} from '../src/random/samplers';
import {useSimd} from '../src/random/wasm';

tf.env().set('IS_TEST', true);

interface Case {
  family: 'uniform' | 'normal' | 'truncated normal';
  name: string;
  ours: boolean;
  run: (n: number) => tf.Tensor;
}

const shapeOf = (n: number): number[] => [1000, n / 1000];
let seed = 1;

function ours(fill: (out: Float32Array, seed: number) => void): (n: number) => tf.Tensor {
  return (n) => {
    const values = new Float32Array(n);
    fill(values, seed++);
    return tf.tensor(values, shapeOf(n), 'float32');
  };
}

const CASES: Case[] = [
  {
    family: 'uniform',
    name: 'ours: fillUniform + tf.tensor',
    ours: true,
    run: ours((v, s) => fillUniform(v, s, 0, -1, 1)),
  },
  {
    family: 'uniform',
    name: 'ours: XavierUniformCustom.apply',
    ours: true,
    run: (n) => new XavierUniformCustom({seed: seed++}).apply(shapeOf(n)),
  },
  {
    family: 'uniform',
    name: 'tf.randomUniform',
    ours: false,
    run: (n) => tf.randomUniform(shapeOf(n), -1, 1, 'float32', seed++),
  },
  {
    family: 'uniform',
    name: 'tf.initializers.randomUniform',
    ours: false,
    run: (n) =>
      tf.initializers.randomUniform({minval: -1, maxval: 1, seed: seed++}).apply(shapeOf(n)),
  },
  {
    family: 'normal',
    name: 'ours: fillNormal + tf.tensor',
    ours: true,
    run: ours((v, s) => fillNormal(v, s, 0, 0, 1)),
  },
  {
    family: 'normal',
    name: 'tf.randomNormal',
    ours: false,
    run: (n) => tf.randomNormal(shapeOf(n), 0, 1, 'float32', seed++),
  },
  {
    family: 'normal',
    name: 'tf.initializers.randomNormal',
    ours: false,
    run: (n) => tf.initializers.randomNormal({mean: 0, stddev: 1, seed: seed++}).apply(shapeOf(n)),
  },
  {
    family: 'truncated normal',
    name: 'ours: fillTruncNormal + tf.tensor',
    ours: true,
    run: ours((v, s) => fillTruncNormal(v, s, 0, 0, 1, -2, 2)),
  },
  {
    family: 'truncated normal',
    name: 'tf.truncatedNormal',
    ours: false,
    run: (n) => tf.truncatedNormal(shapeOf(n), 0, 1, 'float32', seed++),
  },
  {
    family: 'truncated normal',
    name: 'tf.initializers.truncatedNormal',
    ours: false,
    run: (n) =>
      tf.initializers.truncatedNormal({mean: 0, stddev: 1, seed: seed++}).apply(shapeOf(n)),
  },
];

/** Extra cases, reported separately: our truncated normal far in the tail and narrow, and the plain JavaScript path. */
const EXTRA: Case[] = [
  {
    family: 'truncated normal',
    name: 'ours: truncated [2, 6]',
    ours: true,
    run: ours((v, s) => fillTruncNormal(v, s, 0, 0, 1, 2, 6)),
  },
  {
    family: 'truncated normal',
    name: 'ours: truncated [6, 8]',
    ours: true,
    run: ours((v, s) => fillTruncNormal(v, s, 0, 0, 1, 6, 8)),
  },
  {
    family: 'truncated normal',
    name: 'ours: truncated [-0.1, 0.1]',
    ours: true,
    run: ours((v, s) => fillTruncNormal(v, s, 0, 0, 1, -0.1, 0.1)),
  },
];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Collects garbage before each timed run (npm run bench:random passes --expose-gc), so that no case
 * pays for the garbage of the one before.
 */
const collectGarbage = (globalThis as {gc?: () => void}).gc ?? ((): void => undefined);

function timeOnce(c: Case, n: number): number {
  collectGarbage();
  const t0 = performance.now();
  const t = c.run(n);
  const ms = performance.now() - t0;
  t.dispose();
  return ms;
}

function measure(cases: Case[], n: number, runs: number): Map<Case, number> {
  const times = new Map<Case, number[]>(cases.map((c) => [c, []]));
  for (const c of cases) timeOnce(c, Math.min(n, 1e5)); // warm-up: JIT, WebAssembly
  for (let r = 0; r < runs; r++) for (const c of cases) times.get(c)!.push(timeOnce(c, n));
  return new Map([...times].map(([c, ts]) => [c, median(ts)]));
}

const fmt = (x: number, digits = 1): string => x.toFixed(digits);

function report(title: string, cases: Case[], n: number, medians: Map<Case, number>): void {
  console.log(`\n${title}, n = ${n.toExponential(0)} float32, median ms:`);
  console.log(
    '| distribution | implementation | ms | M elements/s | ours / tf op | ours / tf initializer |',
  );
  console.log('|---|---|---:|---:|---:|---:|');
  for (const c of cases) {
    const ms = medians.get(c)!;
    const family = cases.filter((d) => d.family === c.family);
    const op = family.find((d) => !d.ours && !d.name.includes('initializers'));
    const init = family.find((d) => !d.ours && d.name.includes('initializers'));
    const ratio = (base: Case | undefined): string =>
      c.ours && base !== undefined ? `${fmt(medians.get(base)! / ms, 2)}×` : '';
    console.log(
      `| ${c.family} | ${c.name} | ${fmt(ms)} | ${fmt(n / ms / 1e3, 0)} | ${ratio(op)} | ${ratio(init)} |`,
    );
  }
}

/** Child mode: one case, once, at n; prints the rise of maxRSS over the RSS before the call, in bytes. */
function memoryChild(index: number, n: number): void {
  const c = [...CASES, ...EXTRA][index];
  tf.dispose(c.run(1e5));
  tf.dispose(c.run(1e5));
  const before = process.memoryUsage().rss;
  const t = c.run(n);
  const peak = process.resourceUsage().maxRSS * 1024;
  t.dispose();
  console.log(JSON.stringify({peakRise: peak - before}));
}

function memoryReport(n: number): void {
  const tensorBytes = 4 * n;
  console.log(
    `\nPeak memory, n = ${n.toExponential(0)} (tensor ${fmt(tensorBytes / 2 ** 20)} MiB), fresh process per case:`,
  );
  console.log(
    '| implementation | peak RSS rise, MiB | extra beyond the tensor, MiB | extra / tensor |',
  );
  console.log('|---|---:|---:|---:|');
  [...CASES, ...EXTRA].forEach((c, index) => {
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, __filename, '--memory-child', String(index), '--sizes', String(n)],
      {
        encoding: 'utf8',
      },
    );
    const line = child.stdout.trim().split('\n').pop() ?? '';
    if (child.status !== 0 || !line.startsWith('{')) {
      console.log(`| ${c.name} | failed: ${child.stderr.slice(0, 200)} | | |`);
      return;
    }
    const {peakRise} = JSON.parse(line) as {peakRise: number};
    const extra = peakRise - tensorBytes;
    console.log(
      `| ${c.name} | ${fmt(peakRise / 2 ** 20)} | ${fmt(extra / 2 ** 20)} | ${fmt(extra / tensorBytes, 2)} |`,
    );
  });
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      runs: {type: 'string', default: '7'},
      sizes: {type: 'string', default: '1e6,1e7'},
      'memory-child': {type: 'string'},
      'no-memory': {type: 'boolean', default: false},
      'no-extra': {type: 'boolean', default: false},
    },
  });
  if (!(await tf.setBackend('cpu'))) throw new Error('the CPU backend did not start');
  const sizes = values.sizes.split(',').map(Number);
  if (values['memory-child'] !== undefined) {
    memoryChild(Number(values['memory-child']), sizes[0]);
    return;
  }
  const runs = Number(values.runs);
  console.log(
    `Random core benchmark: tfjs ${tf.version.tfjs}, ` +
      `backend ${tf.getBackend()}, ` +
      `Node ${process.version}, ${runs} runs per case`,
  );
  if ((globalThis as {gc?: unknown}).gc === undefined)
    console.log('(no --expose-gc: garbage collection falls where it may)');
  console.log(`WebAssembly SIMD kernels: ${useSimd(true) ? 'on' : 'unavailable'}`);
  for (const n of sizes) report('Ours vs tfjs', CASES, n, measure(CASES, n, runs));
  if (!values['no-extra']) {
    const n = sizes[sizes.length - 1];
    report(
      'Truncated normal far in the tail and narrow (ours only)',
      EXTRA,
      n,
      measure(EXTRA, n, runs),
    );
    useSimd(false);
    const plain = CASES.filter((c) => c.ours);
    report(
      'Plain JavaScript path (SIMD switched off), same bits',
      plain,
      n,
      measure(plain, n, runs),
    );
    useSimd(true);
  }
  if (!values['no-memory']) memoryReport(sizes[sizes.length - 1]);
}

void main();
