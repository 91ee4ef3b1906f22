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
import {spawn, spawnSync, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {cpus, loadavg, totalmem} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs';
import {Normal, OrthogonalInitializer, SparseInit, TruncNormal, Uniform} from '../src';

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

const PYTHONS = ['/usr/bin/python3', 'python3'];
const gc = (globalThis as {gc?: () => void}).gc ?? ((): void => undefined);

/** The first python3 that can import torch, or null. */
function findPython(): string | null {
  for (const python of PYTHONS) {
    const probe = spawnSync(python, ['-c', 'import torch'], {stdio: 'ignore'});
    if (probe.status === 0) return python;
  }
  return null;
}

/** The child running bench/torch-side.py: ask(name) runs one timed case there. */
class TorchSide {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(python: string) {
    const env = {
      ...process.env,
      OMP_NUM_THREADS: '1',
      OPENBLAS_NUM_THREADS: '1',
      MKL_NUM_THREADS: '1',
    };
    this.child = spawn(python, [join(__dirname, 'torch-side.py')], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env,
    });
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    this.lines = createInterface({input: this.child.stdout})[Symbol.asyncIterator]();
  }

  async line(): Promise<string> {
    const next = await this.lines.next();
    if (next.done === true) throw new Error('the PyTorch side exited early');
    return next.value;
  }

  /** One timed run of case `name`: wall-clock and CPU milliseconds. */
  async ask(name: string): Promise<Timing> {
    this.child.stdin.write(`${name}\n`);
    const [wall, cpu] = (await this.line()).split(' ').map(Number);
    return {wall, cpu};
  }

  close(): void {
    this.child.stdin.end('\n');
  }
}

let seed = 1;

interface Timing {
  wall: number;
  cpu: number;
}

/**
 * CPU milliseconds used so far by this (the main) thread: Linux's /proc/thread-self/schedstat (its
 * first field is nanoseconds on a CPU), else the whole process's `process.cpuUsage()`, which also
 * counts V8's background threads (concurrent garbage collection, compilation).
 */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const {user, system} = process.cpuUsage();
    return (user + system) / 1000;
  }
}

function ours(c: Case): Timing {
  gc();
  const c0 = threadCpuMs();
  const t0 = performance.now();
  const t = c.run(seed++);
  const wall = performance.now() - t0;
  const cpu = threadCpuMs() - c0;
  t.dispose();
  return {wall, cpu};
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
const spread = (xs: number[]): string =>
  `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
const walls = (ts: Timing[]): number[] => ts.map((t) => t.wall);
const cpuTimes = (ts: Timing[]): number[] => ts.map((t) => t.cpu);

const START = '<!-- bench:torch:start -->';
const END = '<!-- bench:torch:end -->';

function writeDocs(section: string): void {
  const path = join(__dirname, '..', 'docs', 'benchmarks.md');
  const text = readFileSync(path, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start)
    throw new Error(`docs/benchmarks.md has no ${START} … ${END} block`);
  writeFileSync(path, `${text.slice(0, start + START.length)}\n${section}\n${text.slice(end)}`);
  console.log('\nTable written into docs/benchmarks.md.');
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
  const torch = new TorchSide(python);
  const info = JSON.parse(await torch.line()) as {
    torch: string;
    python: string;
    threads: number;
    lapack: string;
  };
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
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
  const loadAfter = loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
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
  const cpu = cpus();
  const date = new Date().toISOString().slice(0, 16).replace('T', ' ');
  const section = [
    `Measured ${date} UTC on ${cpu.length} ` +
      `× ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
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
  if (!values['no-write']) writeDocs(section);
}

void main();
