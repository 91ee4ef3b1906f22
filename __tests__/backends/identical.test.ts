/**
 * Every registered initializer, seeded, gives bit-identical values on the cpu and wasm backends in
 * one process: read back directly, after an op computed by the backend (x · 1), and as the initial
 * kernel of a layer. The browser run (`npm run test:browser`) checks the same cases against these
 * Node values on webgl, wasm, cpu and webgpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {clearSeed, registeredNames, setSeed} from '../../src';
import {DEFAULTS_SEED, caseLayer, defaultsModel} from '../helpers/case-model';
import {
  caseDigest,
  digest,
  initializerCases,
  registeredClass,
  type InitializerCase,
} from '../helpers/initializer-cases';

async function use(backend: 'cpu' | 'wasm'): Promise<void> {
  expect(await tf.setBackend(backend)).toBe(true);
  await tf.ready();
  expect(tf.getBackend()).toBe(backend);
}

/** The digests one backend produces for a case. */
function onBackend(c: InitializerCase): {applied: string; computed: string; layerKernel: string} {
  const applied = caseDigest(c, c.valueShape);
  const t = new (registeredClass(c.name))(c.config).apply(c.valueShape);
  const computed = digest(tf.tidy(() => tf.mul(t, tf.scalar(1))).dataSync());
  t.dispose();
  const model = tfl.sequential({
    layers: [caseLayer(tfl.layers, c, new (registeredClass(c.name))(c.config), true)],
  });
  const layerKernel = digest(model.getWeights()[0].dataSync());
  model.dispose();
  return {applied, computed, layerKernel};
}

describe('cross-backend identity (cpu vs wasm)', () => {
  // Built while only the cpu backend is registered; wasm joins in beforeAll.
  const cases = initializerCases();

  beforeAll(async () => {
    await import('@tensorflow/tfjs-backend-wasm');
  });

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('has one case per registered initializer', () => {
    expect(cases.map((c) => c.name)).toEqual(registeredNames());
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: bit-identical on cpu and wasm',
    async (_name, c) => {
      await use('cpu');
      const cpu = onBackend(c);
      expect(cpu.computed).toBe(cpu.applied);
      await use('wasm');
      const wasm = onBackend(c);
      expect(wasm).toEqual(cpu);
      // The layer kernel is the same draw as a direct apply of the layer's shape.
      expect(cpu.layerKernel).toBe(caseDigest(c, c.layerShape));
    },
  );

  it("a model of tfjs's own defaults built after setSeed is bit-identical on cpu and wasm", async () => {
    const build = (): string[] => {
      setSeed(DEFAULTS_SEED);
      const model = defaultsModel(tfl);
      const digests = model.getWeights().map((w) => digest(w.dataSync()));
      model.dispose();
      clearSeed();
      return digests;
    };
    await use('cpu');
    const cpu = build();
    await use('wasm');
    expect(build()).toEqual(cpu);
  });
});
