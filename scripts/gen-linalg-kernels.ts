/**
 * Regenerates src/linalg/generated/reflector-wasm.ts, the WebAssembly SIMD kernel of the orthogonal
 * initializers, from scripts/linalg-kernels/wat.ts: `npm run gen:linalg`. No build step needs this;
 * __tests__/linalg/generated.test.ts fails when the committed file is stale.
 */
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {assembleReflectorKernel, renderReflectorModule} from './linalg-kernels/assemble';

async function main(): Promise<void> {
  const wasm = await assembleReflectorKernel();
  writeFileSync(
    join(__dirname, '..', 'src', 'linalg', 'generated', 'reflector-wasm.ts'),
    renderReflectorModule(wasm),
  );
  console.log(`reflector-wasm.ts: ${wasm.length} bytes of WebAssembly`);
}

void main();
