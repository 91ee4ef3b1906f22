/**
 * The demo page (examples/browser/) runs to the end in Chromium on its default backend (webgl),
 * with its own literal import map: every registered initializer is shown, zero kernels leave one
 * distinct hidden unit, and both saved copies reload identical.
 */
import {registeredNames} from '../../src';
import {launchChromium, type Chromium} from '../../scripts/browser/chromium';
import {openPage, pageErrors} from '../../scripts/browser/open-page';
import {log, readSite} from './site';

interface DemoResult {
  backend: {requested: string; active: string};
  initializers: string[];
  training: Array<{label: string; loss: number; accuracy: number; distinctUnits: number}>;
  roundtrip: Record<
    'indexeddb' | 'localstorage',
    {same: boolean; kernelClass: string; ourClass: boolean}
  >;
}

const site = readSite();
let browser: Chromium;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

it('examples/browser/ runs to the end on webgl', async () => {
  const started = Date.now();
  const page = await openPage(browser.context, `${site.origin}/examples/browser/index.html`, {
    ready: "document.body.dataset.state !== 'loading'",
    prefix: '[demo page]',
  });
  expect(await page.evaluate(() => document.body.dataset.state)).toBe('done');
  const result = (await page.evaluate('window.demoResult')) as DemoResult;
  expect(result.backend).toEqual({requested: 'webgl', active: 'webgl', note: ''});
  expect(result.initializers).toEqual(registeredNames());
  expect(await page.locator('#histograms .card').count()).toBe(registeredNames().length + 1);
  const [zeros, ...random] = result.training;
  expect(zeros.distinctUnits).toBe(1);
  for (const r of random) {
    expect(r.distinctUnits).toBe(32);
    expect(r.loss).toBeLessThan(zeros.loss);
  }
  for (const store of ['indexeddb', 'localstorage'] as const) {
    expect(result.roundtrip[store]).toEqual({
      same: true,
      kernelClass: 'XavierUniformCustom',
      ourClass: true,
    });
  }
  expect(pageErrors.get(page)).toEqual([]);
  const accuracies = result.training.map((r) => `${r.label} ${(r.accuracy * 100).toFixed(0)}%`);
  log(
    `[browser] demo page on ${result.backend.active}: ${accuracies.join(', ')} ` +
      `— ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
});
