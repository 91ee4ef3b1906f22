import {
  assembleReflectorKernel,
  renderReflectorModule,
} from '../../scripts/linalg-kernels/assemble';
import * as fs from 'fs';
import * as path from 'path';

describe('src/linalg/generated/reflector-wasm.ts', () => {
  it('is what scripts/linalg-kernels/wat.ts assembles to (run `npm run gen:linalg` after editing it)', async () => {
    const wasm = await assembleReflectorKernel();
    const committed = fs.readFileSync(
      path.join(__dirname, '..', '..', 'src', 'linalg', 'generated', 'reflector-wasm.ts'),
      'utf8',
    );
    expect(committed).toBe(renderReflectorModule(wasm));
    // Under 4 KB: browsers compile it synchronously on the main thread.
    expect(wasm.length).toBeLessThan(4096);
  });
});
