/**
 * The writer the crash tests kill (bundled by esbuild, run as its own Node process). Versions of
 * one small model — Dense(64 → 64), topology and weights — differ only by the number every weight
 * holds (the version) and a `version` field in the JSON, so a reader can tell which version it
 * found and whether the JSON and the weights agree.
 *
 *     node crash-writer.js save <dir> <version> [<step to die at>]   # one save; SIGKILL itself at step k
 *     node crash-writer.js save-same <dir> <version> [<step>]         # the same, the JSON unchanged
 *     node crash-writer.js loop <dir> <first version>                # saves v, v+1, ... until killed
 *     node crash-writer.js fileio <dir> <first version>              # the same through fileIO(dir).save
 *
 * Prints `saved <v>` after each completed save (stdout), so the killer knows which versions the
 * folder may hold: the last one printed, or the next.
 */
import {saveModelFiles, setWriteStepHook} from '../../src/node/atomic-write';

/** Units of the Dense layer: weights are UNITS² + UNITS float32s. */
export const UNITS = 64;

/**
 * The model JSON of `version`, naming its weights file `weightsPath`; version null: the same JSON
 * for every version (new values for one model, as `reinit` writes).
 */
export function modelText(version: number | null, weightsPath: string): string {
  return JSON.stringify({
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name: 'crash',
        layers: [
          {
            class_name: 'Dense',
            config: {name: 'dense', units: UNITS, batch_input_shape: [null, UNITS]},
          },
        ],
      },
    },
    format: 'layers-model',
    ...(version === null ? {} : {version}),
    weightsManifest: [
      {
        paths: [weightsPath],
        weights: [
          {name: 'dense/kernel', shape: [UNITS, UNITS], dtype: 'float32'},
          {name: 'dense/bias', shape: [UNITS], dtype: 'float32'},
        ],
      },
    ],
  });
}

/** The weights of `version`: every float32 equal to the version. */
export function modelWeights(version: number): Uint8Array {
  return new Uint8Array(new Float32Array(UNITS * UNITS + UNITS).fill(version).buffer);
}

async function save(dir: string, version: number, sameJson = false): Promise<void> {
  await saveModelFiles('crash-writer', dir, {
    json: 'model.json',
    weightsFile: 'weights.bin',
    weights: modelWeights(version),
    text: (p) => modelText(sameJson ? null : version, p),
  });
}

async function main(): Promise<void> {
  const [mode, dir, first, dieAt] = process.argv.slice(2);
  const version = Number(first);
  if (mode === 'save' || mode === 'save-same') {
    let steps = 0;
    setWriteStepHook((name) => {
      if (++steps === Number(dieAt)) {
        process.stdout.write(`dying at ${name}\n`);
        process.kill(process.pid, 'SIGKILL');
      }
    });
    await save(dir, version, mode === 'save-same');
    process.stdout.write(`saved ${version} after ${steps} steps\n`);
    return;
  }
  if (mode === 'loop') {
    for (let v = version; ; v++) {
      await save(dir, v);
      process.stdout.write(`saved ${v}\n`);
    }
  }
  if (mode === 'fileio') {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    const tfl = await import('@tensorflow/tfjs-layers');
    const {fileIO} = await import('../../src/node/file-io');
    await tf.setBackend('cpu');
    for (let v = version; ; v++) {
      const model = tfl.sequential({
        layers: [tfl.layers.dense({units: UNITS, inputShape: [UNITS], name: 'dense'})],
      });
      for (const w of model.weights) w.write(tf.fill(w.shape as number[], v));
      await model.save(fileIO(dir));
      model.dispose();
      process.stdout.write(`saved ${v}\n`);
    }
  }
  throw new Error(`unknown mode ${mode}`);
}

if (require.main === module) void main();
