/** What global setup hands the browser tests (through the environment, which jest passes on). */
import type {BackendInfo} from './harness/protocol';

export interface BrowserSite {
  /** Static server origin, e.g. `http://127.0.0.1:41234`. */
  origin: string;
  /** Path of the harness page on that server. */
  harness: string;
  /** Result of asking Chromium for the webgpu backend (it needs `--enable-unsafe-webgpu`). */
  webgpu: BackendInfo;
  chromiumVersion: string;
}

const KEY = 'TFJS_INIT_BROWSER_SITE';

export function publishSite(site: BrowserSite): void {
  process.env[KEY] = JSON.stringify(site);
}

export function readSite(): BrowserSite {
  const raw = process.env[KEY];
  if (raw === undefined)
    throw new Error(
      'the browser tests run through `npm run test:browser` (jest -c jest.browser.config.js)',
    );
  return JSON.parse(raw) as BrowserSite;
}

/** One line to the runner's log, outside jest's console capture. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}
