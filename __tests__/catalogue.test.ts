import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as api from '../src';
import {registeredNames} from '../src';
import {TFJS_BUILTIN_NAMES} from '../src/initializers/registry';
import {CATALOGUE, factoryOf, factsOf} from '../scripts/catalogue';

function layerFor(name: string, init: string | api.Initializer): tfl.layers.Layer {
  switch (factsOf(name).kernel) {
    case 'conv':
      return tfl.layers.conv2d({
        filters: 6,
        kernelSize: 3,
        inputShape: [5, 5, 4],
        kernelInitializer: init,
      });
    case 'stft':
      return tfl.layers.conv1d({
        filters: 5,
        kernelSize: 8,
        inputShape: [16, 1],
        kernelInitializer: init,
      });
    default:
      return tfl.layers.dense({units: 6, inputShape: [8], kernelInitializer: init});
  }
}

const names = registeredNames();

describe('every registered initializer', () => {
  it('the registered classes are exactly those of the facts table (scripts/catalogue.ts)', () => {
    expect([...names].sort()).toEqual(CATALOGUE.map((f) => f.name).sort());
    for (const name of names) expect(TFJS_BUILTIN_NAMES).not.toContain(name);
  });

  it.each(names)(
    '%s: class and factory exported, usable by its string name, round-trips through toJSON, leaks nothing',
    async (name) => {
      const Cls = (api as unknown as Record<string, new () => api.BaseInitializer<object>>)[name];
      expect(typeof Cls).toBe('function');
      const factory = (api as unknown as Record<string, () => unknown>)[factoryOf(factsOf(name))];
      expect(factory()).toBeInstanceOf(Cls);
      const model = tfl.sequential({layers: [layerFor(name, name)]});
      const init = (model.layers[0] as unknown as {kernelInitializer: unknown}).kernelInitializer;
      expect(init).toBeInstanceOf(Cls);
      const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
      const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
      const again = JSON.parse(JSON.stringify(loaded.toJSON(null, false)));
      expect(again.config.layers[0].config.kernel_initializer).toEqual(
        json.config.layers[0].config.kernel_initializer,
      );
      const shape = model.layers[0].getWeights()[0].shape;
      const before = tf.memory().numTensors;
      const t = new Cls().apply(shape);
      expect(tf.memory().numTensors).toBe(before + 1);
      t.dispose();
      tf.dispose([model, loaded] as never);
    },
  );
});
