/**
 * The backend matrix in headless Chromium. On each backend the harness page (which loads the browser
 * bundle through an import map, next to tfjs's own ES module bundle):
 * - applies every registered initializer, seeded, and the digests of the values — read back, and
 *   after `x · 1` computed by the backend — must equal the values computed here in Node;
 * - builds a model per initializer (by instance, seeded, and by string name after `setSeed`) whose
 *   initial weights must all equal Node's, trains it 3 steps,
 *   saves it to IndexedDB and to localStorage, rebuilds it from its topology alone (the saved
 *   initializer config must reproduce the seeded kernel);
 * - after a page reload, loads both copies back: same topology, same trained weights, our classes;
 * - builds a model of tfjs's own default initializers after `setSeed`: its initial weights must
 *   equal Node's bit for bit;
 * - runs in-place functions on variables the backend has already used: Node's bits, no tensor left,
 *   written in the variable's own memory on cpu and wasm (assigned on webgl and webgpu), and later
 *   ops see the new values.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type {Page} from 'playwright-core';
import {
  OrthogonalInitializer,
  KaimingNormal,
  Uniform,
  clearSeed,
  registeredNames,
  setSeed,
} from '../../src';
import {launchChromium, type Chromium} from '../../scripts/browser/chromium';
import {openPage, pageErrors} from '../../scripts/browser/open-page';
import {CASE_SEED, DEFAULTS_SEED, caseModel, defaultsModel} from '../helpers/case-model';
import {
  caseDigest,
  digest,
  initializerCases,
  registeredClass,
  type InitializerCase,
} from '../helpers/initializer-cases';
import type {LoadRound, SaveRound} from './harness/protocol';
import {log, readSite} from './site';

const site = readSite();
const cases = initializerCases();

/** Initial weights of a case's model in Node, after the same `setSeed` as the page. */
function modelWeights(c: InitializerCase): string[] {
  setSeed(CASE_SEED);
  const model = caseModel(tfl, (name, config) => new (registeredClass(name))(config), c);
  const weights = model.layers
    .flatMap((layer) => layer.getWeights())
    .map((w) => digest(w.dataSync()));
  model.dispose();
  return weights;
}

/** Initial weights of the model of tfjs's own defaults in Node, after the same `setSeed` as the page. */
function defaultsWeights(): string[] {
  setSeed(DEFAULTS_SEED);
  const model = defaultsModel(tfl);
  const weights = model.layers
    .flatMap((layer) => layer.getWeights())
    .map((w) => digest(w.dataSync()));
  model.dispose();
  clearSeed();
  return weights;
}
const referenceDefaults = defaultsWeights();

/** What the page's in-place round (harness inPlaceRound) must write, computed here. */
const IN_PLACE_CASES: Array<[string, () => tf.Tensor]> = [
  ['uniform_', () => new Uniform({low: -1, high: 1, seed: 1}).apply([37, 29])],
  ['kaimingNormal_', () => new KaimingNormal({seed: 2}).apply([37, 29])],
  ['orthogonal_', () => new OrthogonalInitializer({gain: 1, seed: 3}).apply([37, 29])],
];
const referenceInPlace = IN_PLACE_CASES.map(([name, make]) => {
  const t = make();
  const values = digest(t.dataSync());
  t.dispose();
  return {name, values};
});

// Reference values, computed in Node on the cpu backend.
const reference = new Map(
  cases.map((c) => [
    c.name,
    {
      values: caseDigest(c, c.valueShape),
      layer: caseDigest(c, c.layerShape),
      model: modelWeights(c),
    },
  ]),
);

let browser: Chromium;
beforeAll(async () => {
  expect(tf.getBackend()).toBe('cpu');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function runOn(backend: string): Promise<void> {
  const started = Date.now();
  const page: Page = await openPage(browser.context, site.origin + site.harness);
  const saved: SaveRound = await page.evaluate(([b, cs]) => window.harness!.save(b, cs), [
    backend,
    cases,
  ] as const);
  expect(saved.backend).toMatchObject({requested: backend, started: true, active: backend});
  expect(saved.names).toEqual(registeredNames());

  // tfjs's own initializers (glorotUniform, orthogonal, randomUniform) after setSeed: the same bits as in Node.
  expect(saved.defaultsWeights).toEqual(referenceDefaults);
  // In-place functions: Node's bits on every backend, in the weight's own memory on cpu and wasm.
  const host = backend === 'cpu' || backend === 'wasm';
  expect(saved.inPlace).toEqual(
    referenceInPlace.map(({name, values}) => ({
      name,
      values,
      kept: host,
      leftTensors: 0,
      opsSeeNewValues: true,
    })),
  );
  for (const c of saved.cases) {
    const ref = reference.get(c.name)!;
    // Bit-identical to Node: the values, the values after a backend op, the layer's kernel, the
    // kernel rebuilt from the saved config.
    expect({name: c.name, applied: c.applied, computed: c.computed}).toEqual({
      name: c.name,
      applied: ref.values,
      computed: ref.values,
    });
    expect({name: c.name, initial: c.initialKernel, reinit: c.reinitKernel}).toEqual({
      name: c.name,
      initial: ref.layer,
      reinit: ref.layer,
    });
    // Every initial weight of the model, the string-named layer drawn from the setSeed stream included.
    expect({name: c.name, weights: c.initialWeights}).toEqual({name: c.name, weights: ref.model});
    expect(c.stringLayerClass).toBe(c.name);
    expect(c.losses).toHaveLength(3);
    for (const loss of c.losses) expect(Number.isFinite(loss)).toBe(true);
    // Training moved the head's kernel (the weight before the last).
    const head = c.trainedWeights.length - 2;
    expect(c.trainedWeights[head]).not.toBe(c.initialWeights[head]);
  }

  await page.reload();
  await page.waitForFunction('window.harness !== undefined');
  const loaded: LoadRound = await page.evaluate(([b, cs]) => window.harness!.load(b, cs), [
    backend,
    cases,
  ] as const);
  expect(loaded.backend).toMatchObject({requested: backend, started: true, active: backend});
  expect(loaded.cases).toHaveLength(2 * cases.length);
  for (const l of loaded.cases) {
    const s = saved.cases.find((c) => c.name === l.name)!;
    expect({name: l.name, store: l.store, topology: l.topology, weights: l.weights}).toEqual({
      name: s.name,
      store: l.store,
      topology: s.topology,
      weights: s.trainedWeights,
    });
    expect({name: l.name, kernelClass: l.kernelClass, instance: l.kernelIsInstance}).toEqual({
      name: l.name,
      kernelClass: l.name,
      instance: true,
    });
  }
  expect(pageErrors.get(page)).toEqual([]);
  await page.close();
  log(
    `[browser] ${backend} (${saved.backend.detail}; ` +
      `tfjs ${saved.tfjsVersion}): ${cases.length} initializers ` +
      `bit-identical with Node, ` +
      `${cases.length} models trained, saved to IndexedDB and ` +
      `localStorage, reloaded intact ` +
      `— ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

describe(`Chromium ${site.chromiumVersion}`, () => {
  it.each(['webgl', 'wasm', 'cpu'])(
    '%s backend: seeded values match Node bit for bit; train, save, reload',
    async (backend) => {
      await runOn(backend);
    },
  );

  const webgpu = site.webgpu.started && site.webgpu.active === 'webgpu';
  if (!webgpu)
    log(
      `[browser] webgpu skipped: setBackend('webgpu') ` +
        `returned ${site.webgpu.started}, active ` +
        `backend ${site.webgpu.active}${site.webgpu.error ? ` (${site.webgpu.error})` : ''}`,
    );
  (webgpu ? it : it.skip)(
    'webgpu backend (when Chromium offers one): the same checks',
    async () => {
      await runOn('webgpu');
    },
  );
});
