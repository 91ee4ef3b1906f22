import {dispose} from '@tensorflow/tfjs-core';
import {lsuv} from '../tools/lsuv';
import {reinitialize} from '../tools/reinitialize';
import {disposeModel} from '../weights/dispose-model';
import {table} from '../tools/text-table';
import {fileIO} from '../node/file-io';
import {readModelFile, type ModelFileAccess} from './model-file';
import {intOption, loadModel, makeBatch, startBackend} from './runtime';
import {CliError, EXIT, type CliIo} from './exit-codes';
import {applyRules, parseRule} from './rules';
import {reproducibilityNotes, type DrawnWeight} from './write-notes';
import {refuseModelOutputOverModel} from './output-guard';
import {plural} from '../core/plural';

/** Options of `tfjs-init reinit`. */
export interface ReinitOptions {
  out: string;
  seed?: string;
  lsuv?: boolean;
  batch?: string;
  input?: string;
  backend?: string;
  /** `--allowed-root` and `--allow-hard-links`: how model files may be reached. */
  files?: ModelFileAccess;
  /** `--rule` (repeatable): apply these rules instead of re-running every initializer. */
  rule?: string[];
}

/**
 * `tfjs-init reinit <model.json> --out <dir>`: loads the model, re-runs every initializer with
 * {@link reinitialize} (seeded with `--seed`), optionally applies {@link lsuv} on `--input` or a
 * random batch of `--batch` examples, and saves `model.json` + `weights.bin` to `--out` — never
 * over the model it read (exit 2), and atomically: a failed save leaves no partial output. With
 * `--rule`s it applies them with `applyInitializers` instead (see `parseRule`): only the weights
 * they match change (in a file without weights, which has no values to keep, the others are drawn
 * by their own initializers), and the saved model names their new initializers.
 *
 * With `--seed`, every value of the output follows from the seed and the input files, and the
 * saved model.json reproduces every value the command drew (the seeds are in the config); the
 * output says which values it does not reproduce (unseeded draws, LSUV's data-dependent kernels).
 */
export async function reinitCommand(
  target: string,
  options: ReinitOptions,
  io: CliIo,
): Promise<number> {
  const seed = options.seed === undefined ? undefined : intOption('seed', options.seed, 0, 0);
  const batchSize = intOption('batch', options.batch, 64, 2);
  const rules = (options.rule ?? []).map(parseRule);
  await startBackend(options.backend, io); // before reading: the strict read compiles the training config
  const file = await readModelFile(target, true, options.files);
  await refuseModelOutputOverModel(file, options.out);
  const model = await loadModel(file, io);
  try {
    // The weights this command draws (an input without stored values has none to keep), named as
    // the saved file names them, and whether the saved model.json reproduces each.
    const saved = new Map(model.weights.map((w) => [w.name, w.originalName]));
    const name = (weight: string): string => saved.get(weight) ?? weight;
    let drawn: DrawnWeight[];
    if (rules.length > 0) {
      const unmatched = file.hasWeights ? 'keep' : 'reinitialize';
      drawn = applyRules(model, rules, seed, io, unmatched).map((r) => ({
        name: name(r.weight),
        reproducible: r.reproducible,
      }));
    } else {
      let weights;
      try {
        weights = reinitialize(model, seed === undefined ? {} : {seed});
      } catch (e) {
        throw new CliError(EXIT.failed, `could not reinitialize: ${(e as Error).message}`);
      }
      io.out(
        `reinitialized ${plural(weights.length, 'weight')} of ${model.name}` +
          (seed === undefined ? '' : ` with seed ${seed}`),
      );
      drawn = weights.map((w) => ({name: name(w.name), reproducible: w.reproducible}));
    }
    const lsuvLayers: string[] = [];
    if (options.lsuv === true) {
      const batch = await makeBatch(model, batchSize, seed ?? 0, options.input);
      try {
        const report = await lsuv(model, batch, seed === undefined ? {} : {seed});
        lsuvLayers.push(...report.map((r) => r.layer));
        const rescaled = new Set(report.map((r) => r.kernel));
        drawn = drawn.filter((w) => !rescaled.has(w.name)); // LSUV's note speaks for them
        io.out(`LSUV on a batch of ${batch[0].shape[0]}:`);
        io.out(
          table(
            ['layer', 'class', 'iterations', 'initial variance', 'final variance', 'converged'],
            report.map((r) => [
              r.layer,
              r.className,
              String(r.iterations),
              r.initialVariance.toPrecision(4),
              r.variance.toPrecision(4),
              r.converged ? 'yes' : 'no',
            ]),
          ),
        );
      } catch (e) {
        throw new CliError(EXIT.failed, `LSUV failed: ${(e as Error).message}`);
      } finally {
        dispose(batch);
      }
    }
    try {
      await model.save(fileIO(options.out));
    } catch (e) {
      throw new CliError(EXIT.failed, `could not save to ${options.out}: ${(e as Error).message}`);
    }
    io.out(`saved to ${options.out}`);
    for (const line of reproducibilityNotes(drawn, lsuvLayers)) io.out(line);
    return EXIT.ok;
  } finally {
    disposeModel(model);
  }
}
