import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as api from '../src';
import {registeredNames} from '../src';
import {TFJS_BUILTIN_NAMES} from '../src/initializers/registry';
import {CATALOGUE, factoryOf, factsOf} from '../scripts/catalogue';

/**
 * A layer whose weight has the class's example shape (its ShapeFacts): a Dense kernel [in, out], a
 * Conv1D/2D/3D kernel [...k, in, out], or a bias [n]; with `init` as that weight's initializer.
 */
function layerFor(
  name: string,
  init: string | api.Initializer,
): {layer: tfl.layers.Layer; key: string} {
  const shape = factsOf(name).example;
  const [cin, out] = shape.slice(-2);
  const k = shape.slice(0, -2);
  const input = [...k.map((d) => d + 2), cin];
  switch (shape.length) {
    case 1:
      return {
        layer: tfl.layers.dense({units: shape[0], inputShape: [8], biasInitializer: init}),
        key: 'bias_initializer',
      };
    case 2:
      return {
        layer: tfl.layers.dense({units: out, inputShape: [cin], kernelInitializer: init}),
        key: 'kernel_initializer',
      };
    case 3:
    case 4:
    case 5: {
      const conv = [tfl.layers.conv1d, tfl.layers.conv2d, tfl.layers.conv3d][k.length - 1];
      const args = {filters: out, kernelSize: k, inputShape: input, kernelInitializer: init};
      return {layer: conv(args as never), key: 'kernel_initializer'};
    }
    default:
      throw new Error(`${name}: no layer has a weight of rank ${shape.length}`);
  }
}

const names = registeredNames();

describe('every registered initializer', () => {
  it('the facts table (scripts/catalogue.ts) describes every registered class, from the class itself', () => {
    expect(CATALOGUE.map((f) => f.name)).toEqual([...names].sort());
    for (const name of names) expect(TFJS_BUILTIN_NAMES).not.toContain(name);
    for (const facts of CATALOGUE) {
      const [min, max] = facts.ranks;
      expect(facts.example.length).toBeGreaterThanOrEqual(min);
      expect(facts.example.length).toBeLessThanOrEqual(max);
      expect(facts.dtypes).toContain('float32');
      expect(facts.seeded).toBe('seed' in facts.options);
    }
  });

  it.each(names)(
    '%s: class and factory exported, usable by its string name, round-trips through toJSON, leaks nothing',
    async (name) => {
      const Cls = (api as unknown as Record<string, new () => api.BaseInitializer<object>>)[name];
      expect(typeof Cls).toBe('function');
      const factory = (api as unknown as Record<string, () => unknown>)[factoryOf(factsOf(name))];
      expect(factory()).toBeInstanceOf(Cls);
      const {layer, key} = layerFor(name, name);
      const model = tfl.sequential({layers: [layer]});
      const field = key === 'bias_initializer' ? 'biasInitializer' : 'kernelInitializer';
      expect((model.layers[0] as unknown as Record<string, unknown>)[field]).toBeInstanceOf(Cls);
      const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
      const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
      const again = JSON.parse(JSON.stringify(loaded.toJSON(null, false)));
      expect(again.config.layers[0].config[key]).toEqual(json.config.layers[0].config[key]);
      const shape = [...factsOf(name).example];
      const before = tf.memory().numTensors;
      const t = new Cls().apply(shape);
      expect(tf.memory().numTensors).toBe(before + 1);
      t.dispose();
      tf.dispose([model, loaded] as never);
    },
  );
});
