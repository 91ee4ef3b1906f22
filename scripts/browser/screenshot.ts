/**
 * `npm run screenshot:browser [-- --backend webgl]`: opens examples/browser/ in headless Chromium,
 * waits until the demo has finished, and writes docs/browser-demo.png.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {parseArgs} from 'util';
import {launchChromium} from './chromium';
import {openPage} from './open-page';
import {ROOT, startServer} from './server';

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      backend: {type: 'string', default: 'webgl'},
      out: {type: 'string', default: 'docs/browser-demo.png'},
    },
  });
  if (!fs.existsSync(path.join(ROOT, 'dist', 'browser', 'tfjs-initializers.mjs')))
    execFileSync('npx', ['tsup', '--silent'], {cwd: ROOT, stdio: 'inherit'});
  const server = await startServer();
  const browser = await launchChromium();
  try {
    await browser.context.pages()[0]?.setViewportSize({width: 1200, height: 900});
    const url = `${server.origin}/examples/browser/index.html?backend=${values.backend}`;
    const page = await openPage(browser.context, url, {
      ready: "document.body.dataset.state !== 'loading'",
      prefix: '[demo page]',
    });
    await page.setViewportSize({width: 1200, height: 900});
    const state = await page.evaluate(() => document.body.dataset.state);
    if (state !== 'done') throw new Error(`the demo ended in state ${state}`);
    const out = path.resolve(ROOT, values.out as string);
    await page.screenshot({path: out, fullPage: true});
    console.log(
      `wrote ${path.relative(ROOT, out)} (Chromium ${browser.version}, ${values.backend})`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
