/**
 * Regenerates the committed random-kernel modules (no build step needs this; run it after editing
 * scripts/random-kernels/): `npm run gen:random`.
 *
 * - src/random/generated/random-wasm.ts: the WebAssembly SIMD kernels, base64.
 * - src/random/generated/ziggurat-tables.ts: the ziggurat tables, as exact literals.
 *
 * A test (__tests__/random/generated.test.ts) fails when either file is stale.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {assembleKernels} from './random-kernels/assemble';
import {renderTablesModule, renderWasmModule} from './random-kernels/render';

async function main(): Promise<void> {
  const dir = join(__dirname, '..', 'src', 'random', 'generated');
  const wasm = await assembleKernels();
  writeFileSync(join(dir, 'random-wasm.ts'), renderWasmModule(wasm));
  writeFileSync(join(dir, 'ziggurat-tables.ts'), renderTablesModule());
  console.log(`random-wasm.ts: ${wasm.length} bytes of WebAssembly; ziggurat-tables.ts written`);
}

void main();
