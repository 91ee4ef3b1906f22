/**
 * The check of the invariant every writer keeps (docs/model-tools.md, "What every write
 * guarantees"), on a saved folder: where the saved config of a weight carries a seed, or its
 * initializer draws nothing random, a load without weights gives `weights.bin`'s values bit for bit
 * — unless the writer declared the value not reproducible, in which case the config must carry no
 * seed. Written for models of Dense and Conv layers (`kernel` and `bias` options), read from the
 * file itself, not through the code under test.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {fileIO} from '../../src/node';

type Json = Record<string, unknown>;

/** Each weight's values, by the name the file gives it. */
export const valuesByName = (model: tfl.LayersModel): Map<string, Float32Array> =>
  new Map(model.weights.map((w) => [w.originalName, w.read().dataSync() as Float32Array]));

/** Whether an initializer draws nothing random: two unseeded draws agree. */
function deterministic(init: {apply(shape: number[]): tf.Tensor}, shape: number[]): boolean {
  const [a, b] = [init.apply(shape), init.apply(shape)];
  const same = tf.util.arraysEqual(a.dataSync(), b.dataSync());
  tf.dispose([a, b]);
  return same;
}

/**
 * Checks the invariant on the model saved in `dir` (see the file comment). `declared`: weights the
 * writer said its config does not reproduce; `kept`: weights it kept from its input, values and
 * options (their agreement is the input's), not checked. Returns, by weight name, whether the saved
 * config reproduces the value.
 */
export async function expectAgreement(
  dir: string,
  declared: ReadonlySet<string> = new Set(),
  kept: ReadonlySet<string> = new Set(),
): Promise<Map<string, boolean>> {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8'));
  const stored = await tfl.loadLayersModel(fileIO(dir));
  const reloaded = await tfl.loadLayersModel(fileIO(dir, {weights: false}));
  const saved = valuesByName(stored);
  const drawn = valuesByName(reloaded);
  const shapes = new Map(stored.weights.map((w) => [w.originalName, w.shape as number[]]));
  const claims = new Map<string, boolean>();
  for (const {config} of json.modelTopology.config.layers as Array<{config: Json}>) {
    const layer = config.name as string;
    for (const role of ['kernel', 'bias']) {
      const option = config[`${role}_initializer`] as {config: Json} | undefined;
      if (option === undefined) continue;
      const name = `${layer}/${role}`;
      if (kept.has(name)) continue;
      const live = (reloaded.getLayer(layer) as unknown as Json)[`${role}Initializer`] as {
        apply(shape: number[]): tf.Tensor;
      };
      const seed = option.config.seed ?? null;
      const reproduces =
        !declared.has(name) &&
        (typeof seed === 'number' || deterministic(live, shapes.get(name) as number[]));
      claims.set(name, reproduces);
      if (declared.has(name)) expect({name, seed}).toEqual({name, seed: null});
      if (reproduces)
        expect({name, values: drawn.get(name)}).toEqual({name, values: saved.get(name)});
    }
  }
  expect(claims.size + kept.size).toBe(stored.weights.length);
  tf.dispose([stored, reloaded] as never);
  return claims;
}
