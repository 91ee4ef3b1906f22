import {defineConfig} from 'tsup';

// ESM (.mjs) + CommonJS (.js) + declarations for both; tfjs stays external (peer dependency).
export default defineConfig({
  entry: {index: 'src/index.ts', node: 'src/node.ts', cli: 'src/cli/bin.ts'},
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2020',
  splitting: true,
  treeshake: false,
});
