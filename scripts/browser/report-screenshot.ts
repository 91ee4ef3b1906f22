/**
 * `npx tsx scripts/browser/report-screenshot.ts <report.html> <out.png> [--height 1400]`: opens an
 * HTML report written by `tfjs-init doctor` in headless Chromium (file://, offline) and saves a
 * screenshot of its top: the findings and the per-layer signal plot.
 */
import * as path from 'path';
import {parseArgs} from 'util';
import {launchChromium} from './chromium';

async function main(): Promise<void> {
  const {values, positionals} = parseArgs({
    allowPositionals: true,
    options: {height: {type: 'string', default: '1300'}, width: {type: 'string', default: '1240'}},
  });
  const [html, out] = positionals;
  if (html === undefined || out === undefined)
    throw new Error('usage: report-screenshot.ts <report.html> <out.png> [--height N] [--width N]');
  const browser = await launchChromium();
  try {
    const page = await browser.context.newPage();
    await page.setViewportSize({width: Number(values.width), height: Number(values.height)});
    await page.goto(`file://${path.resolve(html)}`);
    await page.screenshot({path: path.resolve(out), fullPage: false});
    console.log(`wrote ${out} (Chromium ${browser.version})`);
  } finally {
    await browser.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
