import {promises as fs} from 'fs';
import * as path from 'path';
import {dispose} from '@tensorflow/tfjs-core';
import {lsuv} from '../tools/lsuv';
import {reinitialize} from '../tools/reinitialize';
import {table} from '../tools/text-table';
import {fileIO, locate} from '../node/file-io';
import {readModelFile, type ModelFileAccess} from './model-file';
import {intOption, loadModel, makeBatch, startBackend} from './runtime';
import {CliError, EXIT, type CliIo} from './exit-codes';
import {applyRules, parseRule} from './rules';
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

/** The real path of `dir`, or null when it does not exist (yet). */
async function realFolder(dir: string): Promise<string | null> {
  try {
    return await fs.realpath(dir);
  } catch {
    return null;
  }
}

/**
 * Refuses an `--out` that would write the new model over the one being read: the folder `--out`
 * writes to (`--out` itself, or the folder of an `--out` ending in `.json`) is, links resolved,
 * the folder of the model file.
 */
async function checkOut(out: string, model: string): Promise<void> {
  const isFolder = await fs.stat(model).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const target = await realFolder(locate(out).dir);
  const source = await realFolder(isFolder ? model : path.dirname(model));
  if (target !== null && target === source) {
    throw new CliError(
      EXIT.usage,
      `--out ${out} is the folder the model is read from (${source}); write the new model to another folder`,
    );
  }
}

/**
 * `tfjs-init reinit <model.json> --out <dir>`: loads the model, re-runs every initializer with
 * {@link reinitialize} (seeded with `--seed`), optionally applies {@link lsuv} on `--input` or a
 * random batch of `--batch` examples, and saves `model.json` + `weights.bin` to `--out` — never
 * over the model it read (exit 2), and atomically: a failed save leaves no partial output. With
 * `--rule`s it applies them with `applyInitializers` instead (see `parseRule`): only the weights
 * they match change, and the saved model names their new initializers.
 */
export async function reinitCommand(
  target: string,
  options: ReinitOptions,
  io: CliIo,
): Promise<number> {
  const seed = options.seed === undefined ? undefined : intOption('seed', options.seed, 0, 0);
  const batchSize = intOption('batch', options.batch, 64, 2);
  const rules = (options.rule ?? []).map(parseRule);
  await checkOut(options.out, target);
  const file = await readModelFile(target, true, options.files);
  await startBackend(options.backend, io);
  const model = await loadModel(file, io);
  try {
    if (rules.length > 0) applyRules(model, rules, seed, io);
    else {
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
    }
    if (options.lsuv === true) {
      const batch = await makeBatch(model, batchSize, seed ?? 0, options.input);
      try {
        const report = await lsuv(model, batch, seed === undefined ? {} : {seed});
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
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}
