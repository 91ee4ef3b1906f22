import * as fs from 'fs';
import * as path from 'path';
import * as tfl from '@tensorflow/tfjs-layers';
import {computeFans, type FanAxes} from '../src';

/**
 * Cross-check against Keras 3.15.1 and JAX 0.10.2 themselves: __tests__/fixtures/keras-jax-reference.json
 * (scripts/keras-jax-reference.py, run by hand) holds JAX's `_compute_fans`, Keras's `compute_fans`,
 * `keras.initializers.serialize` of every Keras 3 initializer, and the float32 kernels Keras's own
 * STFT initializer computes.
 */
interface Reference {
  kerasVersion: string;
  jaxVersion: string;
  jaxFans: Array<{shape: number[]; axes: {in_axis?: number | number[]; out_axis?: number | number[]; batch_axis?: number | number[]}; fanIn: number; fanOut: number}>;
  kerasFans: Array<{shape: number[]; inputAxes: number[] | null; outputAxes: number[] | null; fanIn: number; fanOut: number}>;
  kerasSerialized: Record<string, {module: string; class_name: string; config: Record<string, unknown>; registered_name: null}>;
  kerasStft: Array<{shape: [number, number, number]; config: object; values: number[]}>;
}

const FIXTURES = path.join(__dirname, 'fixtures');
const REF: Reference = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keras-jax-reference.json'), 'utf8'));

describe(`fans: computeFans equals JAX ${REF.jaxVersion}'s and Keras ${REF.kerasVersion}'s`, () => {
  it.each(REF.jaxFans.map((c) => [JSON.stringify(c.shape), JSON.stringify(c.axes), c] as const))('JAX _compute_fans(%s, %s)', (_s, _a, c) => {
    const axes: FanAxes = {inAxis: c.axes.in_axis, outAxis: c.axes.out_axis, batchAxis: c.axes.batch_axis};
    expect(computeFans(c.shape, axes)).toEqual({fanIn: c.fanIn, fanOut: c.fanOut});
  });

  it.each(REF.kerasFans.map((c) => [JSON.stringify(c.shape), `${JSON.stringify(c.inputAxes)}, ${JSON.stringify(c.outputAxes)}`, c] as const))(
    'Keras compute_fans(%s, %s)',
    (_s, _a, c) => {
      const axes: FanAxes = c.inputAxes === null ? {} : {inputAxes: c.inputAxes, outputAxes: c.outputAxes};
      expect(computeFans(c.shape, axes)).toEqual({fanIn: c.fanIn, fanOut: c.fanOut});
    },
  );
});

describe('the hand-assembled Keras 3 fixture is what Keras 3.15 writes', () => {
  it('every entry has the wrapper and the config keys keras.initializers.serialize gives its class', () => {
    const entries: Array<{initializer: {module: string; class_name: string; config: Record<string, unknown>; registered_name: null}}> =
      JSON.parse(fs.readFileSync(path.join(FIXTURES, 'keras3-initializers.json'), 'utf8')).entries;
    let checked = 0;
    for (const {initializer} of entries) {
      const keras = REF.kerasSerialized[initializer.class_name];
      if (keras === undefined) continue; // the older names (IdentityInitializer, ...), which Keras 3.15 only reads
      expect(Object.keys(initializer).sort()).toEqual(Object.keys(keras).sort());
      expect(initializer.module).toBe(keras.module);
      expect(initializer.registered_name).toBeNull();
      expect(Object.keys(initializer.config).sort()).toEqual(Object.keys(keras.config).sort());
      checked++;
    }
    expect(checked).toBe(entries.length - 3);
    expect(Object.keys(REF.kerasSerialized).sort()).toEqual(
      [...new Set(entries.map((e) => e.initializer.class_name))].filter((n) => !n.endsWith('Initializer')).sort(),
    );
  });
});

describe(`STFT against Keras ${REF.kerasVersion}'s own float32 kernels`, () => {
  it.each(REF.kerasStft.map((k) => [JSON.stringify(k.shape), JSON.stringify(k.config), k] as const))('shape %s, %s: within 1e-5 (Keras rounds the angle to float32; measured up to 2.6e-6)', (_s, _c, k) => {
    const [frameLength, , bins] = k.shape;
    const model = tfl.sequential({layers: [tfl.layers.conv1d({filters: bins, kernelSize: frameLength, inputShape: [frameLength, 1], useBias: false, kernelInitializer: {className: 'STFT', config: k.config} as never})]});
    const ours = model.getWeights()[0].dataSync();
    model.dispose();
    let worst = 0;
    for (let i = 0; i < k.values.length; i++) worst = Math.max(worst, Math.abs(ours[i] - k.values[i]));
    expect(worst).toBeLessThan(1e-5);
  });
});
