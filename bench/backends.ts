/**
 * `npm run bench:backends [-- --runs 5 --node cpu,wasm --browser webgl,wasm,cpu,webgpu]`
 *
 * Time to build a ~5M-parameter MLP (1024 → 2048 → 1024 → 784) with our initializers
 * (XavierUniformCustom + ZeroBias) versus tfjs's built-ins (glorotUniform + zeros), measured side
 * by side on each backend: in Node (cpu, wasm; tfjs-node when installed) and in headless Chromium
 * (webgl, wasm, cpu, webgpu when offered). Prints the medians and the ratio ours/tfjs. A benchmark,
 * not a test: nothing is asserted about speed.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {parseArgs} from 'util';
import * as tf from '@tensorflow/tfjs';
import * as lib from '../src';
import {selectBackend, type BackendName} from '../src/node';
import {launchChromium} from '../scripts/browser/chromium';
import {openPage} from '../scripts/browser/open-page';
import {buildPage} from '../scripts/browser/page';
import {BUILD_PREFIX, ROOT, startServer} from '../scripts/browser/server';
import {PARAMS, medianMs, timeBuilds, type Timing} from './model-build';
import {ourVariants} from './variants';

interface Row {
  where: string;
  backend: string;
  timings?: Timing[];
  skipped?: string;
}

function table(rows: Row[]): string {
  const lines = [
    '| where | backend | ours: build | tfjs: build | ratio ' +
      'ours/tfjs | ours: build + first predict | tfjs: build + ' +
      'first predict | ratio |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    if (r.timings === undefined) {
      lines.push(`| ${r.where} | ${r.backend} | skipped: ${r.skipped} | | | | | |`);
      continue;
    }
    const [ours, theirs] = r.timings;
    const b = [medianMs(ours.buildMs), medianMs(theirs.buildMs)];
    const y = [medianMs(ours.readyMs), medianMs(theirs.readyMs)];
    lines.push(
      `| ${r.where} | ${r.backend} | ${b[0].toFixed(0)} ms ` +
        `| ${b[1].toFixed(0)} ms | ${(b[0] / b[1]).toFixed(2)} ` +
        `| ${y[0].toFixed(0)} ms | ${y[1].toFixed(0)} ms ` +
        `| ${(y[0] / y[1]).toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

async function inNode(backends: string[], runs: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const name of backends) {
    try {
      const {note} = await selectBackend({force: name as BackendName});
      console.log(`node: ${note}`);
    } catch (e) {
      rows.push({
        where: 'Node',
        backend: name,
        skipped: (e as Error).message.replace(/^selectBackend: /, ''),
      });
      continue;
    }
    const timings = await timeBuilds(tf, ourVariants(lib, tf.initializers), runs, () =>
      performance.now(),
    );
    rows.push({where: 'Node', backend: name, timings});
  }
  return rows;
}

async function inChromium(backends: string[], runs: number): Promise<Row[]> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'browser', 'tfjs-initializers.mjs')))
    execFileSync('npx', ['tsup', '--silent'], {cwd: ROOT, stdio: 'inherit'});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-bench-'));
  const server = await startServer(dir);
  const browser = await launchChromium();
  try {
    const url =
      server.origin +
      BUILD_PREFIX +
      buildPage('bench/browser-main.ts', dir, 'bench', 'tfjs-initializers backend benchmark');
    const page = await openPage(browser.context, url, {
      ready: 'window.bench !== undefined',
      prefix: '[chromium]',
      timeoutMs: 600000,
    });
    const rows: Row[] = [];
    for (const backend of backends) {
      const r = await page.evaluate(([b, n]) => window.bench!.run(b, n), [backend, runs] as const);
      rows.push({where: `Chromium ${browser.version}`, ...r});
      console.log(`chromium: ${backend} ${'skipped' in r ? `skipped (${r.skipped})` : 'done'}`);
    }
    return rows;
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, {recursive: true, force: true});
  }
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      runs: {type: 'string', default: '5'},
      node: {type: 'string', default: 'tensorflow,wasm,cpu'},
      browser: {type: 'string', default: 'webgl,wasm,cpu,webgpu'},
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be an integer >= 1, got ${values.runs}`);
  const list = (s: string | undefined): string[] =>
    (s ?? '')
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
  tf.enableProdMode();
  console.log(
    `model: ${lib.registeredNames().length} registered ` +
      `initializers; MLP of ${PARAMS.toLocaleString('en-US')} ` +
      `parameters; ${runs} timed runs per variant (median), after ` +
      `one warm-up`,
  );
  const rows = [
    ...(await inNode(list(values.node), runs)),
    ...(list(values.browser).length > 0 ? await inChromium(list(values.browser), runs) : []),
  ];
  console.log(`\n${table(rows)}\n`);
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, tfjs ${tf.version.tfjs}`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
