/**
 * Memory stress (a script, not a test): for every registered initializer and every fixed tfjs
 * built-in, 100 successive `apply` calls of about 1e7 elements, each result disposed before the
 * next (as `Layer.addWeight` does), recording `tf.memory()` and the process's resident set size
 * (RSS) before the first call, after the last, and at its peak (sampled while each result is
 * alive). Writes docs/memory.md.
 *
 *     npm run stress:memory                          # cpu backend, 100 calls each
 *     npm run stress:memory -- --backend wasm
 *     npm run stress:memory -- --calls 10 --only Uniform,ZerO --no-write
 *
 * Run with --expose-gc (the npm script does): a garbage collection before each initializer makes
 * its "before" figure its own. What a leak would look like: `numTensors` or `numBytes` after ≠
 * before, or RSS climbing with every call instead of levelling off after the first few.
 */
import {promises as fs} from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import {registeredNames, restoreBuiltins, useFixedBuiltins} from '../src';
import {CATALOGUE, FIXED_BUILTINS} from './catalogue';

tf.env().set('IS_TEST', true);

/** ~1e7 elements for schemes that take any matrix: 3125 × 3200 = 10,000,000. */
const MATRIX = [3125, 3200];

/** Where a scheme needs another shape, and why: the `stress` of its ShapeFacts. */
const SHAPES: Readonly<Record<string, {shape: readonly number[]; why: string}>> =
  Object.fromEntries(
    [...CATALOGUE, ...FIXED_BUILTINS].flatMap((f) =>
      f.stress === undefined ? [] : [[f.name, f.stress]],
    ),
  );

const MiB = 1024 * 1024;
const mib = (bytes: number): string => (bytes / MiB).toFixed(1);

interface Row {
  name: string;
  shape: number[];
  msPerCall: number;
  tensorsBefore: number;
  tensorsAfter: number;
  bytesBefore: number;
  bytesAfter: number;
  bytesPeak: number;
  rssBefore: number;
  rssAfterFirst: number;
  rssAfterTenth: number;
  rssAfter: number;
  rssPeak: number;
}

const collect = (): void => (globalThis as {gc?: () => void}).gc?.();

function stress(name: string, calls: number): Row {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[name];
  const Cls = entry[0] as unknown as new (o?: object) => {apply: (s: number[]) => tf.Tensor};
  const shape = [...(SHAPES[name]?.shape ?? MATRIX)];
  const init = new Cls({});
  collect();
  const m0 = tf.memory();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  let rssAfterFirst = 0;
  let rssAfterTenth = 0;
  let bytesPeak = m0.numBytes;
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const t = init.apply(shape);
    bytesPeak = Math.max(bytesPeak, tf.memory().numBytes);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    t.dispose();
    if (i === 0) rssAfterFirst = process.memoryUsage().rss;
    if (i === Math.min(9, calls - 1)) rssAfterTenth = process.memoryUsage().rss;
  }
  const msPerCall = (performance.now() - start) / calls;
  const m1 = tf.memory();
  const rssAfter = process.memoryUsage().rss;
  return {
    name,
    shape,
    msPerCall,
    tensorsBefore: m0.numTensors,
    tensorsAfter: m1.numTensors,
    bytesBefore: m0.numBytes,
    bytesAfter: m1.numBytes,
    bytesPeak,
    rssBefore,
    rssAfterFirst,
    rssAfterTenth,
    rssAfter,
    rssPeak,
  };
}

function table(rows: Row[]): string[] {
  const lines = [
    '| initializer | shape | ms / call | numTensors before → ' +
      'after | numBytes before → after (peak), MiB | RSS, MiB: ' +
      'before → after call 1 → 10 → last (peak) |',
    '|---|---|---:|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | [${r.shape.join(', ')}] | ${r.msPerCall.toFixed(0)} | ${r.tensorsBefore} → ${r.tensorsAfter} | ` +
        `${mib(r.bytesBefore)} → ${mib(r.bytesAfter)} ` +
        `(${mib(r.bytesPeak)}) | ${mib(r.rssBefore)} ` +
        `→ ${mib(r.rssAfterFirst)} → ${mib(r.rssAfterTenth)} ` +
        `→ ${mib(r.rssAfter)} (${mib(r.rssPeak)}) |`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      backend: {type: 'string', default: 'cpu'},
      calls: {type: 'string', default: '100'},
      only: {type: 'string'},
      'no-write': {type: 'boolean', default: false},
    },
  });
  const calls = Number(values.calls);
  if (!Number.isSafeInteger(calls) || calls < 1)
    throw new Error(`--calls must be an integer >= 1. Received: ${values.calls}`);
  if (!(await tf.setBackend(values.backend as string)) || tf.getBackend() !== values.backend)
    throw new Error(`backend ${values.backend} did not start`);
  await tf.ready();
  const only = values.only?.split(',');
  const ours = registeredNames().filter((n) => only === undefined || only.includes(n));
  const fixed = useFixedBuiltins().filter((n) => only === undefined || only.includes(n));
  const rows: Row[] = [];
  for (const name of [...ours, ...fixed]) {
    const row = stress(name, calls);
    rows.push(row);
    console.log(
      `${name.padEnd(22)} ${row.msPerCall.toFixed(0).padStart(5)} ` +
        `ms/call  tensors ${row.tensorsBefore}→${row.tensorsAfter}  ` +
        `bytes ${mib(row.bytesBefore)}→${mib(row.bytesAfter)} MiB  ` +
        `RSS ${mib(row.rssBefore)}→${mib(row.rssAfter)} ` +
        `(peak ${mib(row.rssPeak)}) MiB`,
    );
  }
  restoreBuiltins();
  const leaks = rows.filter(
    (r) => r.tensorsAfter !== r.tensorsBefore || r.bytesAfter !== r.bytesBefore,
  );
  console.log(
    leaks.length === 0
      ? 'tf.memory(): unchanged after every run'
      : `LEAKS: ${leaks.map((r) => r.name).join(', ')}`,
  );
  if (values['no-write'] === true) return;
  const file = path.join(__dirname, '..', 'docs', 'memory.md');
  const previous = await fs.readFile(file, 'utf8').catch(() => '');
  const section = [
    `## Backend \`${values.backend}\``,
    '',
    `${calls} calls per initializer; ` +
      `Node ${process.version}, ${os.cpus().length} cores ` +
      `(${os.cpus()[0]?.model ?? 'unknown CPU'}), ` +
      `${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB; ${new Date().toISOString().slice(0, 10)}. ` +
      (leaks.length === 0
        ? '`tf.memory()` was unchanged after every run.'
        : `Leaks: ${leaks.map((r) => r.name).join(', ')}.`),
    '',
    ...table(rows),
    '',
  ].join('\n');
  await fs.writeFile(file, mergeSection(previous, `## Backend \`${values.backend}\``, section));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/** Replaces (or appends) one backend's section of docs/memory.md, keeping the rest of the page. */
function mergeSection(page: string, heading: string, section: string): string {
  const head =
    page.length > 0
      ? page
      : '# Memory under repeated initialization\n\n<!-- Sections ' +
        'below "## Backend" are written by `npm run ' +
        'stress:memory`. -->\n';
  const at = head.indexOf(heading);
  if (at < 0) return `${head.trimEnd()}\n\n${section}`;
  const next = head.indexOf('\n## ', at + heading.length);
  return `${head.slice(0, at)}${section}${next < 0 ? '' : head.slice(next + 1)}`;
}

void main();
