/**
 * Our fills against PyTorch's single-threaded CPU fills, side by side in one run: `npm run bench:torch`.
 *
 *     npm run bench:torch                        # 9 runs per case, table into docs/benchmarks.md
 *     npm run bench:torch -- --runs 15 --no-write
 *
 * The PyTorch side runs in a child `python3` (bench/torch-side.py, `torch.set_num_threads(1)`),
 * the first of `/usr/bin/python3` and `python3` that can `import torch`, with OMP_NUM_THREADS,
 * OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set to 1 (its orthogonal_ is LAPACK's QR: which library
 * that is — OpenBLAS, or Debian's slow reference LAPACK when no optimised one is installed — is
 * printed and recorded with the table); when no python3 can import torch, the
 * benchmark prints one line and exits 0. Both sides time the public call with the tensor's
 * allocation included: ours `new X({seed}).apply(shape)` on the tfjs CPU backend, PyTorch's
 * `torch.nn.init.x_(torch.empty(shape))`. The cases are interleaved run by run (one PyTorch run,
 * one of ours, alternating which goes first), so that a noisy neighbour slows both alike; a garbage
 * collection precedes each of our runs (`--expose-gc`). Reported: the medians and, in brackets,
 * the fastest and slowest run of each side; the ratio is PyTorch's median over ours (> 1: we are
 * faster). The CPU time of the calling thread (Python's `time.thread_time`, Linux's
 * /proc/thread-self/schedstat here) is reported beside wall-clock time: on a machine shared with
 * other jobs it is the steadier of the two. A benchmark, not a test: nothing here asserts a time.
 */
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {Normal, OrthogonalInitializer, SparseInit, TruncNormal, Uniform} from '../src';
import {
  PYTHONS,
  TorchSide,
  cpuTimes,
  findPython,
  loadAverage,
  machine,
  median,
  ms,
  spread,
  timed,
  walls,
  writeDocsBlock,
  type Timing,
} from './side-by-side';

tf.env().set('IS_TEST', true);

interface Case {
  /** The case name bench/torch-side.py knows. */
  name: string;
  label: string;
  torch: string;
  run: (seed: number) => tf.Tensor;
}

const N = 10_000_000;
const WIDE = [1000, N / 1000];

const CASES: Case[] = [
  {
    name: 'uniform',
    label: 'uniform, 10⁷',
    torch: 'uniform_(t, -1, 1)',
    run: (seed) => new Uniform({low: -1, high: 1, seed}).apply(WIDE),
  },
  {
    name: 'normal',
    label: 'normal, 10⁷',
    torch: 'normal_(t, 0, 1)',
    run: (seed) => new Normal({mean: 0, std: 1, seed}).apply(WIDE),
  },
  {
    name: 'truncatedNormal',
    label: 'truncated normal [−2, 2], 10⁷',
    torch: 'trunc_normal_(t, 0, 1, -2, 2)',
    run: (seed) => new TruncNormal({mean: 0, std: 1, a: -2, b: 2, seed}).apply(WIDE),
  },
  {
    name: 'orthogonal512',
    label: 'orthogonal 512²',
    torch: 'orthogonal_(t)',
    run: (seed) => new OrthogonalInitializer({seed}).apply([512, 512]),
  },
  {
    name: 'orthogonal1024',
    label: 'orthogonal 1024²',
    torch: 'orthogonal_(t)',
    run: (seed) => new OrthogonalInitializer({seed}).apply([1024, 1024]),
  },
  {
    name: 'sparse',
    label: 'sparse 1000², sparsity 0.9',
    torch: 'sparse_(t, 0.9, 0.01)',
    run: (seed) => new SparseInit({sparsity: 0.9, std: 0.01, seed}).apply([1000, 1000]),
  },
];

let seed = 1;

function ours(c: Case): Timing {
  let t: tf.Tensor | undefined;
  const timing = timed(() => {
    t = c.run(seed++);
  });
  t?.dispose();
  return timing;
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {runs: {type: 'string', default: '9'}, 'no-write': {type: 'boolean', default: false}},
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be an integer >= 1, got ${values.runs}`);
  const python = findPython();
  if (python === null) {
    console.log(
      `bench:torch skipped: no python3 with PyTorch ` +
        `(tried ${PYTHONS.join(', ')}; on Debian: apt-get install ` +
        `python3-torch)`,
    );
    return;
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('the tfjs CPU backend did not start');
  const torch = new TorchSide(python, join(__dirname, 'torch-side.py'));
  const info = JSON.parse(await torch.line()) as {
    torch: string;
    python: string;
    threads: number;
    lapack: string;
  };
  const load = loadAverage();
  console.log(
    `PyTorch ${info.torch} ` +
      `(Python ${info.python}, ${info.threads} thread, ${python}) ` +
      `vs tfjs-initializers on tfjs ${tf.version.tfjs} ` +
      `(backend ${tf.getBackend()}), Node ${process.version}; ${runs} runs per case; load average ${load}`,
  );
  console.log(`PyTorch's BLAS/LAPACK: ${info.lapack}`);
  const times = new Map<Case, {torch: Timing[]; ours: Timing[]}>(
    CASES.map((c) => [c, {torch: [], ours: []}]),
  );
  for (const c of CASES) {
    await torch.ask(c.name); // warm-up: JIT, WebAssembly, allocators, LAPACK
    ours(c);
  }
  for (let r = 0; r < runs; r++) {
    for (const c of CASES) {
      const t = times.get(c)!;
      if (r % 2 === 0) {
        t.torch.push(await torch.ask(c.name));
        t.ours.push(ours(c));
      } else {
        t.ours.push(ours(c));
        t.torch.push(await torch.ask(c.name));
      }
    }
  }
  torch.close();
  const loadAfter = loadAverage();
  const rows = CASES.map((c) => {
    const t = times.get(c)!;
    const ratio = median(walls(t.torch)) / median(walls(t.ours));
    const cpuRatio = median(cpuTimes(t.torch)) / median(cpuTimes(t.ours));
    return (
      `| ${c.label} | \`${c.torch}\` | ${spread(walls(t.torch))} ` +
      `| ${spread(walls(t.ours))} | **${ratio.toFixed(2)}×** | ` +
      `${ms(median(cpuTimes(t.torch)))} / ${ms(median(cpuTimes(t.ours)))} | ${cpuRatio.toFixed(2)}× |`
    );
  });
  const {cpu, date} = machine();
  const section = [
    `Measured ${date} UTC on ${cpu}, ` +
      `load average ${load} before and ${loadAfter} after; ` +
      `PyTorch ${info.torch} ` +
      `(Python ${info.python}, ${info.threads} thread), ` +
      `LAPACK ${info.lapack}; tfjs ${tf.version.tfjs} CPU backend, ` +
      `Node ${process.version}; ${runs} interleaved runs per case ` +
      '(`npm run bench:torch`). Wall-clock milliseconds: median (fastest–slowest); "ours vs PyTorch" is PyTorch\'s ' +
      'median over ours (> 1: we are faster). The CPU columns give the medians of the CPU time of the calling thread ' +
      '(`time.thread_time`, `/proc/thread-self/schedstat`), which ' +
      'another job on the machine disturbs less than ' +
      'wall-clock time.',
    '',
    '| fill | PyTorch call | PyTorch ms | ours ms | ours vs PyTorch | CPU ms PyTorch / ours | CPU ratio |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
  console.log(`\n${section}`);
  if (!values['no-write']) writeDocsBlock('torch', section);
}

void main();
