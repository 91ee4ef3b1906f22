import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {findChromium, launchChromium} from '../../scripts/browser/chromium';
import {openPage} from '../../scripts/browser/open-page';
import {buildPage} from '../../scripts/browser/page';
import {BUILD_PREFIX, ROOT, startServer, type StaticSite} from '../../scripts/browser/server';
import {log, publishSite} from './site';

export interface SetupState {
  server: StaticSite;
  buildDir: string;
}

/** Builds dist/ (with the browser bundle) and the harness page, serves them, and probes WebGPU. */
export default async function globalSetup(): Promise<void> {
  if (findChromium() === null) {
    throw new Error(
      'npm run test:browser needs Chromium: apt-get install -y chromium (or set CHROMIUM_PATH)',
    );
  }
  const t0 = Date.now();
  execFileSync('npx', ['tsup', '--silent'], {cwd: ROOT, stdio: 'inherit'});
  const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-harness-'));
  const harness =
    BUILD_PREFIX +
    buildPage(
      '__tests__/browser/harness/main.ts',
      buildDir,
      'harness',
      'tfjs-initializers browser tests',
    );
  const server = await startServer(buildDir);
  (globalThis as {tfjsInitSetup?: SetupState}).tfjsInitSetup = {server, buildDir};

  const browser = await launchChromium();
  try {
    const page = await openPage(browser.context, server.origin + harness);
    const webgpu = await page.evaluate(() => window.harness!.probe('webgpu'));
    publishSite({origin: server.origin, harness, webgpu, chromiumVersion: browser.version});
    log(
      `\n[browser] Chromium ${browser.version} ` +
        `(${findChromium()}), pages served from ${server.origin}; ` +
        `setup ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
  } finally {
    await browser.close();
  }
}
