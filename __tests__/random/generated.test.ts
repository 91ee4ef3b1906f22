import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {assembleKernels} from '../../scripts/random-kernels/assemble';
import {renderTablesModule, renderWasmModule} from '../../scripts/random-kernels/render';
import {computeZigguratTables} from '../../scripts/random-kernels/tables';
import {ZIG_F, ZIG_K, ZIG_W} from '../../src/random/generated/ziggurat-tables';

const generated = (name: string): string =>
  readFileSync(join(__dirname, '../../src/random/generated', name), 'utf8');

describe('generated random-kernel modules (npm run gen:random)', () => {
  it('the committed WebAssembly is what the generator assembles now', async () => {
    expect(generated('random-wasm.ts')).toBe(renderWasmModule(await assembleKernels()));
  });

  it('the committed ziggurat tables are what the generator computes now', () => {
    expect(generated('ziggurat-tables.ts')).toBe(renderTablesModule());
  });

  it('the tables describe a ziggurat: 256 layers of equal area v, the fast test inside the curve', () => {
    const t = computeZigguratTables();
    expect([...ZIG_K]).toEqual(t.k);
    expect(ZIG_K.length).toBe(256);
    const x = [...ZIG_W].map((w) => w * 2 ** 23);
    const f = (z: number): number => Math.exp(-0.5 * z * z);
    for (let i = 1; i < 255; i++) {
      // Layer i is the box [0, x_i] × [f(x_i), f(x_{i+1})], area v = 4.92867323399e-3.
      expect(x[i] * (ZIG_F[i + 1] - ZIG_F[i])).toBeCloseTo(4.92867323399e-3, 8);
      // A fast-accepted draw (m < K[i]) never lies beyond x_{i+1}, so the box under it is under the curve.
      expect(((ZIG_K[i] - 1) * ZIG_W[i]) / x[i + 1]).toBeLessThan(1 + 1e-6);
      expect(f(x[i + 1])).toBeCloseTo(ZIG_F[i + 1], 6); // x from float32 W: ~1e-7 relative
    }
    expect(t.fastAccept).toBeGreaterThan(0.985);
  });
});
