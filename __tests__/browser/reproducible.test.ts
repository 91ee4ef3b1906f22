/**
 * Issue 19's headline in headless Chromium: the training run of helpers/training-run.ts (Dense,
 * Dropout, GaussianNoise, LSTM with dropout; `fit` with shuffle and validationSplit, then
 * `fitDataset` over a shuffled `tf.data` pipeline) after `setSeed`, twice on one page and once more
 * on a fresh page (a new JavaScript realm, as a second process is in Node). On cpu and wasm the
 * three runs must be bit-identical; on webgl (and webgpu, where Chromium offers it) the same
 * comparison is measured and logged, and so is each backend against the same run in Node
 * (docs/seeding.md records it). On every backend the page's `Math.random` is never replaced and
 * `clearSeed()` leaves every tfjs method as it found it, checked by identity.
 */
import * as tfc from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfd from '@tensorflow/tfjs-data';
import type {Page} from 'playwright-core';
import {clearSeed, setSeed} from '../../src';
import {launchChromium, type Chromium} from '../../scripts/browser/chromium';
import {openPage, pageErrors} from '../../scripts/browser/open-page';
import {
  TRAINING_SEED,
  trainingRun,
  type TrainingRun,
  type TrainingTfjs,
} from '../helpers/training-run';
import type {TrainingRound} from './harness/protocol';
import {log, readSite} from './site';

const site = readSite();

let browser: Chromium;
/** The same run in Node (this process) on cpu and on wasm, for the log. */
const node: Record<string, TrainingRun> = {};
beforeAll(async () => {
  browser = await launchChromium();
  await import('@tensorflow/tfjs-backend-wasm');
  // tfjs's leak check (on under IS_TEST) trips over the wasm backend's own fusedMatMul in an LSTM.
  tfc.env().set('IS_TEST', false);
  for (const backend of ['cpu', 'wasm']) {
    expect(await tfc.setBackend(backend)).toBe(true);
    setSeed(TRAINING_SEED);
    node[backend] = await trainingRun({...tfc, ...tfl, data: tfd} as unknown as TrainingTfjs);
    clearSeed();
  }
  await tfc.setBackend('cpu');
});
afterAll(async () => {
  await browser?.close();
});

async function round(backend: string, seed: number, runs: number): Promise<TrainingRound> {
  const page: Page = await openPage(browser.context, site.origin + site.harness);
  const result = await page.evaluate(([b, s, n]) => window.harness!.train(b, s, n), [
    backend,
    seed,
    runs,
  ] as const);
  expect(pageErrors.get(page)).toEqual([]);
  await page.close();
  expect(result.backend).toMatchObject({requested: backend, started: true, active: backend});
  expect(result.patchedWhileSeeded).toEqual([
    'engine.startScope',
    'engine.endScope',
    'engine.makeTensor',
    'LayersModel.prototype.fitLoop',
    'Dataset.prototype.shuffle',
  ]);
  expect(result.patchedAfterClear).toEqual([]);
  for (const run of result.runs) {
    expect(run.fitLoss).toHaveLength(3);
    expect(run.datasetLoss).toHaveLength(3);
    for (const loss of [...run.fitLoss, ...run.fitValLoss, ...run.datasetLoss])
      expect(Number.isFinite(loss)).toBe(true);
  }
  return result;
}

/** How two runs compare: bit-identical, or the largest relative difference of their losses. */
function compare(a: TrainingRun, b: TrainingRun): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return 'bit-identical';
  const la = [...a.fitLoss, ...a.fitValLoss, ...a.datasetLoss];
  const lb = [...b.fitLoss, ...b.fitValLoss, ...b.datasetLoss];
  const rel = Math.max(...la.map((l, i) => Math.abs(l - lb[i]) / Math.abs(l)));
  return `different (losses up to ${rel.toExponential(1)} apart)`;
}

describe(`Chromium ${site.chromiumVersion}: a training run after setSeed`, () => {
  it.each(['cpu', 'wasm'])(
    '%s: two runs on one page and one on a fresh page are bit-identical; another seed differs',
    async (backend) => {
      const started = Date.now();
      const first = await round(backend, TRAINING_SEED, 2);
      const fresh = await round(backend, TRAINING_SEED, 1);
      const [a, b] = first.runs;
      expect(b).toEqual(a);
      expect(fresh.runs[0]).toEqual(a);
      const other = await round(backend, TRAINING_SEED + 1, 1);
      expect(other.runs[0].weightBits).not.toEqual(a.weightBits);
      log(
        `[browser] ${backend} (${first.backend.detail}): training run bit-identical twice on one ` +
          `page and on a fresh page; vs Node's ${backend} run: ${compare(node[backend], a)}` +
          `${backend === 'cpu' ? '' : `; vs Node's cpu run: ${compare(node.cpu, a)}`}; fit loss ` +
          `${a.fitLoss.map((l) => l.toFixed(6)).join(' -> ')}` +
          ` — ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    },
  );

  // A second training on one page loses SwiftShader's WebGPU device (createBuffer / mapAsync
  // errors), with or without this package: on webgpu each run gets a page of its own.
  const webgpu = site.webgpu.started && site.webgpu.active === 'webgpu';
  it.each(webgpu ? ['webgl', 'webgpu'] : ['webgl'])(
    '%s: measured (same page where it can, fresh page) and logged',
    async (backend) => {
      const started = Date.now();
      const samePage = backend !== 'webgpu';
      const first = await round(backend, TRAINING_SEED, samePage ? 2 : 1);
      const fresh = await round(backend, TRAINING_SEED, 1);
      const a = first.runs[0];
      const same = samePage ? `run 2 vs run 1 on one page: ${compare(a, first.runs[1])}; ` : '';
      log(
        `[browser] ${backend} (${first.backend.detail}): ${same}fresh page vs run 1: ` +
          `${compare(a, fresh.runs[0])}; vs Node's cpu run: ${compare(node.cpu, a)}; fit loss ` +
          `${a.fitLoss.map((l) => l.toFixed(6)).join(' -> ')} — ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
    },
  );
});
