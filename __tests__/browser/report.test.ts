/**
 * The doctor's HTML report in Chromium, on a real 162-layer network (nsfwjs's MobileNetV2 topology,
 * fresh weights, seed 0) and on a 10,000-layer one: labels of 10 px or more, the wide chart
 * scrollable rather than squeezed, marks in their own colours with legend entries only for those
 * present, no panel cut off, and a screenshot of the top of the page (issue 18; 10,000 layers:
 * issue 23 item 12).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import {runCli} from '../../src/cli/main';
import {renderHtmlReport} from '../../src/tools';
import {launchChromium, type Chromium} from '../../scripts/browser/chromium';
import {syntheticReport} from '../helpers/synthetic-report';
import {log} from './site';

let browser: Chromium;
let tmp: string;
beforeAll(async () => {
  browser = await launchChromium();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'report-browser-'));
});
afterAll(async () => {
  await browser?.close();
  fs.rmSync(tmp, {recursive: true, force: true});
});

interface PageFacts {
  smallestLabel: number;
  chartWidth: number;
  figureWidth: number;
  figureScrolls: boolean;
  legend: string[];
  clipped: string[];
}

/** Measures the rendered page: fonts, widths, legend entries, and SVGs wider than their scroll box. */
async function facts(file: string, screenshot: string): Promise<PageFacts> {
  const page = await browser.context.newPage();
  await page.setViewportSize({width: 1240, height: 1300});
  await page.goto(`file://${file}`);
  await page.screenshot({path: screenshot});
  const result = await page.evaluate(() => {
    const figures = Array.from(document.querySelectorAll('figure'));
    const chart = figures[0].querySelector('svg') as SVGSVGElement;
    const sizes = Array.from(chart.querySelectorAll('text')).map((t) =>
      parseFloat(getComputedStyle(t).fontSize),
    );
    const legend = Array.from(chart.querySelectorAll('.role-legend-label text')).map(
      (t) => t.textContent ?? '',
    );
    const clipped = figures
      .filter(
        (f) =>
          (f.querySelector('svg') as SVGSVGElement).getBoundingClientRect().width >
          f.scrollWidth + 1,
      )
      .map((f) => f.querySelector('figcaption')?.textContent ?? '');
    return {
      smallestLabel: Math.min(...sizes),
      chartWidth: chart.getBoundingClientRect().width,
      figureWidth: figures[0].clientWidth,
      figureScrolls: figures[0].scrollWidth > figures[0].clientWidth,
      legend,
      clipped,
    };
  });
  await page.close();
  return result;
}

it('a 162-layer MobileNetV2: readable, scrollable, marks distinct and legends only for them', async () => {
  const file = path.join(tmp, 'mobilenet.html');
  const model = path.join(__dirname, '..', 'fixtures', 'corpus', 'nsfwjs-mobilenet-v2');
  const err: string[] = [];
  // IS_TEST (set by the test setup) makes tfjs check every kernel for leaks, which the wasm
  // backend's fused kernels trip; the CLI runs without it.
  tf.env().set('IS_TEST', false);
  const code = await runCli(
    ['--allow-missing-weights', 'doctor', model, '--batch', '2', '--out', file],
    {
      out: () => undefined,
      err: (t) => err.push(t),
    },
  ).finally(() => tf.env().set('IS_TEST', true));
  expect({code, err: err.filter((e) => e.startsWith('tfjs-init:'))}).toEqual({code: 0, err: []});
  const f = await facts(file, path.join(tmp, 'mobilenet.png'));
  expect(f.smallestLabel).toBeGreaterThanOrEqual(10);
  // 162 columns of 14 px do not fit a 1240 px page: the figure scrolls instead of squeezing them.
  expect(f.chartWidth).toBeGreaterThan(162 * 14);
  expect(f.figureScrolls).toBe(true);
  expect(f.legend).toEqual(
    expect.arrayContaining([
      'signal RMS',
      'back-propagated gradient RMS',
      'normalization',
      'residual sum',
    ]),
  );
  expect(f.legend).not.toContain('join (concatenation, inputs)');
  expect(f.clipped).toEqual([]);
  log(
    `[browser] report of nsfwjs MobileNetV2: ${f.chartWidth.toFixed(0)} px chart, smallest label ${f.smallestLabel} px`,
  );
}, 600000);

it('10,000 layers: the report opens, drawn in groups, every label readable', async () => {
  const file = path.join(tmp, 'huge.html');
  fs.writeFileSync(file, await renderHtmlReport(syntheticReport(10_000, 2)));
  const f = await facts(file, path.join(tmp, 'huge.png'));
  expect(f.smallestLabel).toBeGreaterThanOrEqual(10);
  expect(f.clipped).toEqual([]);
  expect(f.legend).toEqual(['signal RMS', 'back-propagated gradient RMS']);
});
