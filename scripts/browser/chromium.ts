/**
 * Starts the machine's own Chromium (Debian's `chromium` package) through playwright-core: no
 * browser is ever downloaded. Headless, software rendering (SwiftShader for WebGL and WebGPU), a
 * fresh profile per launch, removed on close.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {chromium, type BrowserContext} from 'playwright-core';

/** Where Debian puts Chromium; `CHROMIUM_PATH` overrides. The binary itself avoids the wrapper script's noise. */
const CANDIDATES = ['/usr/lib/chromium/chromium', '/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** Flags for a quiet, reproducible headless run; WebGPU needs `--enable-unsafe-webgpu` on Linux. */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];

/** Path of the Chromium binary, or null when none is installed. */
export function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv !== undefined && fromEnv !== '') return fs.existsSync(fromEnv) ? fromEnv : null;
  return CANDIDATES.find((p) => fs.existsSync(p)) ?? null;
}

/** A running headless Chromium with one fresh profile. */
export interface Chromium {
  context: BrowserContext;
  /** The browser's version string, e.g. `156.0.8078.108`. */
  version: string;
  close(): Promise<void>;
}

/** Launches Chromium; throws with the install command when it is missing. */
export async function launchChromium(): Promise<Chromium> {
  const executablePath = findChromium();
  if (executablePath === null) {
    throw new Error(
      `no Chromium found (looked at ${CANDIDATES.join(', ')}; or ` +
        `set CHROMIUM_PATH). Install it: apt-get install -y chromium`,
    );
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS],
  });
  const version = context.browser()?.version() ?? (await readVersion(context));
  return {
    context,
    version,
    async close() {
      await context.close();
      fs.rmSync(profile, {recursive: true, force: true});
    },
  };
}

async function readVersion(context: BrowserContext): Promise<string> {
  const page = await context.newPage();
  const ua = await page.evaluate(() => navigator.userAgent);
  await page.close();
  return /Chrome\/([\d.]+)/.exec(ua)?.[1] ?? ua;
}
