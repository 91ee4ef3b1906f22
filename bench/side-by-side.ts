/**
 * What the benchmarks against PyTorch share (`bench/torch.ts`, `bench/in-place.ts`): the child
 * Python process that runs the PyTorch side, CPU time of the calling thread, medians, the load
 * average, and the docs/benchmarks.md block a run rewrites.
 *
 * The PyTorch side is a script that first prints one JSON line (versions, thread count, BLAS), then
 * answers each line it reads — a case name — by running that case once and printing its wall-clock
 * and CPU milliseconds; an empty line ends it. It runs single-threaded: the script calls
 * `torch.set_num_threads(1)` and this module sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
 * MKL_NUM_THREADS to 1 for it.
 */
import {spawn, spawnSync, type ChildProcessWithoutNullStreams} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {cpus, loadavg, totalmem} from 'node:os';
import {join} from 'node:path';
import {createInterface} from 'node:readline';

/** The Pythons tried, in order: Debian's has torch here; a bare `python3` may be a shim without it. */
export const PYTHONS = ['/usr/bin/python3', 'python3'];

/** Runs a full garbage collection when Node runs with `--expose-gc`, else nothing. */
export const gc = (globalThis as {gc?: () => void}).gc ?? ((): void => undefined);

/** Wall-clock and CPU milliseconds of one run. */
export interface Timing {
  wall: number;
  cpu: number;
}

/** The first python3 that can import torch, or null. */
export function findPython(): string | null {
  for (const python of PYTHONS) {
    const probe = spawnSync(python, ['-c', 'import torch'], {stdio: 'ignore'});
    if (probe.status === 0) return python;
  }
  return null;
}

/** A PyTorch side script (see above) running in a child process. */
export class TorchSide {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: AsyncIterator<string>;

  constructor(python: string, script: string) {
    const env = {
      ...process.env,
      OMP_NUM_THREADS: '1',
      OPENBLAS_NUM_THREADS: '1',
      MKL_NUM_THREADS: '1',
    };
    this.child = spawn(python, [script], {stdio: ['pipe', 'pipe', 'pipe'], env});
    this.child.stderr.on('data', (chunk: Buffer) => process.stderr.write(chunk));
    this.lines = createInterface({input: this.child.stdout})[Symbol.asyncIterator]();
  }

  /** The next line the script prints. */
  async line(): Promise<string> {
    const next = await this.lines.next();
    if (next.done === true) throw new Error('the PyTorch side exited early');
    return next.value;
  }

  /** Sends one line to the script (e.g. data it needs before the cases). */
  send(text: string): void {
    this.child.stdin.write(`${text}\n`);
  }

  /** One timed run of case `name`. */
  async ask(name: string): Promise<Timing> {
    this.send(name);
    const [wall, cpu] = (await this.line()).split(' ').map(Number);
    return {wall, cpu};
  }

  close(): void {
    this.child.stdin.end('\n');
  }
}

/**
 * CPU milliseconds used so far by this (the main) thread: Linux's /proc/thread-self/schedstat (its
 * first field is nanoseconds on a CPU), else the whole process's `process.cpuUsage()`, which also
 * counts V8's background threads (concurrent garbage collection, compilation).
 */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    const {user, system} = process.cpuUsage();
    return (user + system) / 1000;
  }
}

/** Times `run` (a garbage collection first, outside the timing). */
export function timed(run: () => void): Timing {
  gc();
  const c0 = threadCpuMs();
  const t0 = performance.now();
  run();
  const wall = performance.now() - t0;
  return {wall, cpu: threadCpuMs() - c0};
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
export const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
/** "median (fastest–slowest)". */
export const spread = (xs: number[]): string =>
  `${ms(median(xs))} (${ms(Math.min(...xs))}–${ms(Math.max(...xs))})`;
export const walls = (ts: Timing[]): number[] => ts.map((t) => t.wall);
export const cpuTimes = (ts: Timing[]): number[] => ts.map((t) => t.cpu);

/** The 1, 5 and 15 minute load averages, "1.2, 0.9, 0.8". */
export function loadAverage(): string {
  return loadavg()
    .map((x) => x.toFixed(1))
    .join(', ');
}

/** "2 × AMD EPYC …, 24 GiB" and the UTC time, "2026-11-30 13:32". */
export function machine(): {cpu: string; date: string} {
  const cores = cpus();
  return {
    cpu:
      `${cores.length} × ${cores[0]?.model ?? 'unknown CPU'}, ` +
      `${(totalmem() / 2 ** 30).toFixed(0)} GiB`,
    date: new Date().toISOString().slice(0, 16).replace('T', ' '),
  };
}

/** Replaces the text between `<!-- bench:NAME:start -->` and `<!-- bench:NAME:end -->` in docs/benchmarks.md. */
export function writeDocsBlock(name: string, section: string): void {
  const start = `<!-- bench:${name}:start -->`;
  const end = `<!-- bench:${name}:end -->`;
  const path = join(__dirname, '..', 'docs', 'benchmarks.md');
  const text = readFileSync(path, 'utf8');
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`docs/benchmarks.md has no ${start} … ${end} block`);
  writeFileSync(path, `${text.slice(0, i + start.length)}\n${section}\n${text.slice(j)}`);
  console.log('\nTable written into docs/benchmarks.md.');
}
