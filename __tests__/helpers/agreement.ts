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

/** The values in a folder's weight files, by name, as its manifest lists them (float32 only). */
function weightsBin(
  dir: string,
  json: {
    weightsManifest: Array<{
      paths: string[];
      weights: Array<{name: string; shape: number[]; dtype: string}>;
    }>;
  },
): {saved: Map<string, Float32Array>; shapes: Map<string, number[]>} {
  const saved = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  for (const group of json.weightsManifest) {
    const bytes = Buffer.concat(group.paths.map((p) => fs.readFileSync(path.join(dir, p))));
    const all = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    let offset = 0;
    for (const {name, shape, dtype} of group.weights) {
      expect(dtype).toBe('float32');
      const size = shape.reduce((a, b) => a * b, 1);
      saved.set(name, all.slice(offset, offset + size));
      shapes.set(name, shape);
      offset += size;
    }
    expect(offset).toBe(all.length);
  }
  return {saved, shapes};
}

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
  const {saved, shapes} = weightsBin(dir, json);
  const reloaded = await tfl.loadLayersModel(fileIO(dir, {weights: false}));
  const drawn = valuesByName(reloaded);
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
  expect(claims.size + kept.size).toBe(saved.size);
  reloaded.dispose();
  return claims;
}
