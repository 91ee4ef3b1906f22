/** Opens a page whose console and errors go to the runner's log, and waits until it is ready. */
import type {BrowserContext, Page} from 'playwright-core';

export interface OpenPageOptions {
  /** A function body evaluated in the page that returns true once it is ready. Default: `window.harness` is set. */
  ready?: string;
  /** Prefix of forwarded console lines. */
  prefix?: string;
  timeoutMs?: number;
}

/** Errors the page threw (uncaught exceptions and console errors), collected as they happen. */
export const pageErrors = new WeakMap<Page, string[]>();

export async function openPage(
  context: BrowserContext,
  url: string,
  options: OpenPageOptions = {},
): Promise<Page> {
  const page = await context.newPage();
  const errors: string[] = [];
  pageErrors.set(page, errors);
  const prefix = options.prefix ?? '[chromium]';
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    process.stderr.write(`${prefix} ${m.type() === 'log' ? '' : `${m.type()}: `}${m.text()}\n`);
  });
  page.on('pageerror', (e) => {
    errors.push(e.message);
    process.stderr.write(`${prefix} uncaught: ${e.message}\n`);
  });
  page.setDefaultTimeout(options.timeoutMs ?? 240000);
  await page.goto(url);
  await page.waitForFunction(options.ready ?? 'window.harness !== undefined');
  return page;
}
