/**
 * Bundles a tiny app that depends on this package the way a user's project does — through
 * `node_modules/tfjs-initializers` and the package's `exports` — with esbuild targeting browsers.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {build, type Metafile} from 'esbuild';

const root = path.resolve(__dirname, '..', '..');

type Message = {text: string; notes?: Array<{text: string}>};

export interface BundleResult {
  /** Input files, relative to the repository root. */
  inputs: string[];
  /** esbuild's errors, each with its notes (which say why a path did not resolve). */
  errors: string[];
}

/** Bundles `source` (an ES module) for `platform: 'browser'`; returns its inputs or the errors. */
export async function bundleForBrowser(source: string): Promise<BundleResult> {
  const app = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-app-'));
  try {
    fs.mkdirSync(path.join(app, 'node_modules'));
    fs.symlinkSync(root, path.join(app, 'node_modules', 'tfjs-initializers'), 'dir');
    fs.symlinkSync(path.join(root, 'node_modules', '@tensorflow'), path.join(app, 'node_modules', '@tensorflow'), 'dir');
    fs.writeFileSync(path.join(app, 'main.js'), source);
    const result = await build({
      absWorkingDir: app,
      entryPoints: ['main.js'],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    }).catch((e: {errors?: Message[]}) => ({errors: e.errors ?? [{text: String(e)}], metafile: undefined}));
    const metafile = result.metafile as Metafile | undefined;
    const inputs = Object.keys(metafile?.inputs ?? {}).map((f) => path.relative(root, path.resolve(app, f)));
    return {inputs, errors: result.errors.map((e) => [e.text, ...(e.notes ?? []).map((n) => n.text)].join(' '))};
  } finally {
    fs.rmSync(app, {recursive: true, force: true});
  }
}
