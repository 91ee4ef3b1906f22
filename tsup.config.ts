import {defineConfig} from 'tsup';

export default defineConfig([
  // ESM (.mjs) + CommonJS (.js) + declarations for both; tfjs stays external (peer dependency).
  {
    entry: {index: 'src/index.ts', tools: 'src/tools/index.ts', node: 'src/node/index.ts', cli: 'src/cli/bin.ts'},
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: ['!browser/**'],
    target: 'es2020',
    splitting: true,
    treeshake: false,
  },
  // The browser bundle: one ES module file, no Node built-ins, every @tensorflow/* import left
  // bare so a page's import map (or the app's bundler) supplies the one tfjs the app already has.
  {
    entry: {'tfjs-initializers': 'src/index.ts'},
    outDir: 'dist/browser',
    format: ['esm'],
    outExtension: () => ({js: '.mjs'}),
    platform: 'browser',
    target: 'es2020',
    external: [/^@tensorflow\//],
    sourcemap: true,
    clean: true,
    dts: false,
    splitting: false,
    treeshake: false,
  },
]);
