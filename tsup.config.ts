import * as fs from 'fs';
import * as path from 'path';
import type {Plugin} from 'esbuild';
import {defineConfig, type Options} from 'tsup';
import {toCommonJS} from './scripts/build/commonjs';

/** Every build starts from an empty dist/: the configs below run in parallel and clean nothing. */
fs.rmSync(path.join(__dirname, 'dist'), {recursive: true, force: true});

/** The package's entry points (package.json `exports`); the CLI is a fourth Node entry. */
const ENTRIES = {index: 'src/index.ts', tools: 'src/tools/index.ts', node: 'src/node/index.ts'};

/**
 * What every build shares: every @tensorflow/* package and the chart packages stay external (the
 * app's one copy is used), no source maps.
 */
const common: Options = {
  target: 'es2020',
  sourcemap: false,
  clean: false,
  treeshake: false,
  splitting: true,
  external: [/^@tensorflow\//, 'vega', 'vega-lite'],
};

/**
 * The browser build drops the Node-only search for second copies of tfjs (src/core/tfjs-copies.ts,
 * which calls `require.resolve`); the registry check in tfjs-check.ts still runs. It also drops
 * the Node-only `require` of tfjs-data (src/random/tfjs/tfjs-data-node.ts): a page's tfjs-data is
 * found on the tfjs namespace instead (src/random/tfjs/data-shuffle.ts).
 */
const noNodeChecks: Plugin = {
  name: 'no-node-checks',
  setup(build) {
    build.onLoad({filter: /[\\/]src[\\/]core[\\/]tfjs-copies\.ts$/}, () => ({
      contents: 'export function otherTfjsCopies(): never[] { return []; }',
      loader: 'ts',
    }));
    build.onLoad({filter: /[\\/]src[\\/]random[\\/]tfjs[\\/]tfjs-data-node\.ts$/}, () => ({
      contents: 'export function loadTfjsData(): undefined { return undefined; }',
      loader: 'ts',
    }));
  },
};

export default defineConfig([
  // Node: CommonJS, one copy of every module shared by the entries (code splitting), converted from
  // esbuild's ES-module output by scripts/build/commonjs.ts, which also writes the .mjs entries.
  {
    ...common,
    entry: {...ENTRIES, cli: 'src/cli/bin.ts'},
    format: ['esm'],
    platform: 'node',
    outExtension: () => ({js: '.js'}),
    dts: false,
    onSuccess: () => toCommonJS('dist', Object.keys(ENTRIES)),
  },
  // Declarations, bundled per entry (dist/<entry>.d.ts; the .d.mts files re-export them).
  {...common, entry: ENTRIES, format: ['cjs'], dts: {only: true}},
  // The browser build: ES modules, no Node built-ins, every @tensorflow/* import left bare so the
  // page's import map (or the app's bundler) supplies the one tfjs the app already has. The main
  // entry and /tools share chunks, hence one state when a page imports both.
  {
    ...common,
    entry: {'tfjs-initializers': ENTRIES.index, tools: ENTRIES.tools},
    outDir: 'dist/browser',
    format: ['esm'],
    outExtension: () => ({js: '.mjs'}),
    platform: 'browser',
    esbuildPlugins: [noNodeChecks],
    dts: false,
  },
]);
