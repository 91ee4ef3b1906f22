/**
 * Builds a test or benchmark page: an HTML file whose import map resolves `@tensorflow/tfjs` (and
 * `-core`, `-layers`) to tfjs's own ES module bundle and `tfjs-initializers` to our browser bundle,
 * exactly as a plain `<script type="module">` page would, plus one TypeScript entry compiled by
 * esbuild with those packages left external (so the page loads them once, from the import map).
 */
import * as fs from 'fs';
import * as path from 'path';
import {buildSync} from 'esbuild';
import {ROOT} from './server';

const TFJS = '/node_modules/@tensorflow/tfjs/dist/tf.fesm.js';

/** The wasm backend's ES bundle imports these Node modules on its Node-only path; the browser gets an empty module. */
const NODE_ONLY = ['fs', 'path', 'os', 'perf_hooks'];
const EMPTY_MODULE = 'data:text/javascript,export default {};';

/** The import map of every page the tests and benchmarks load (the demo page spells out its own). */
export function importMap(): {imports: Record<string, string>} {
  const imports: Record<string, string> = {
    '@tensorflow/tfjs': TFJS,
    '@tensorflow/tfjs-core': TFJS,
    '@tensorflow/tfjs-layers': TFJS,
    '@tensorflow/tfjs-backend-wasm':
      '/node_modules/@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.fesm.js',
    '@tensorflow/tfjs-backend-webgpu':
      '/node_modules/@tensorflow/tfjs-backend-webgpu/dist/tf-backend-webgpu.fesm.js',
    'tfjs-initializers': '/dist/browser/tfjs-initializers.mjs',
  };
  for (const m of NODE_ONLY) imports[m] = EMPTY_MODULE;
  return {imports};
}

/** Where the wasm backend finds its `.wasm` files when served from the repository root. */
export const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/**
 * Compiles `entry` (relative to the repository root) into `outDir/<name>.js` and writes
 * `outDir/<name>.html` that loads it. Returns the HTML file name.
 */
export function buildPage(entry: string, outDir: string, name: string, title: string): string {
  fs.mkdirSync(outDir, {recursive: true});
  const {metafile} = buildSync({
    metafile: true,
    entryPoints: [path.join(ROOT, entry)],
    outfile: path.join(outDir, `${name}.js`),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    sourcemap: 'inline',
    external: ['@tensorflow/*', 'tfjs-initializers'],
    logLevel: 'error',
  });
  const inlined = Object.keys(metafile?.inputs ?? {}).filter((f) => f.startsWith('src/'));
  if (inlined.length > 0) {
    throw new Error(
      `${entry} pulls package sources into the page ` +
        `(${inlined.join(', ')}); import 'tfjs-initializers' so the ` +
        `page uses the browser bundle`,
    );
  }
  const html = `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title>
<script type="importmap">${JSON.stringify(importMap(), null, 1)}</script>
<script type="module" src="./${name}.js"></script>
</head><body><h1>${title}</h1><pre id="log"></pre></body></html>
`;
  fs.writeFileSync(path.join(outDir, `${name}.html`), html);
  return `${name}.html`;
}
