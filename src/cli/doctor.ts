import * as os from 'os';
import {dispose, getBackend, getKernel, slice, type Tensor} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {writeFileAtomically} from '../node/atomic-write';
import {analyzeInitialization} from '../tools/analyze';
import {isMissingChartPackages} from '../tools/charts';
import {planAnalysis} from '../tools/plan-analysis';
import {renderHtmlReport} from '../tools/report-html';
import {renderTextReport} from '../tools/report-text';
import {readModelFile, type ModelFileAccess} from './model-file';
import {intOption, loadModel, makeBatch, startBackend} from './runtime';
import {CliError, EXIT, type CliIo} from './exit-codes';

/** Options of `tfjs-init doctor`. */
export interface DoctorOptions {
  batch?: string;
  input?: string;
  seed?: string;
  out?: string;
  json?: boolean;
  backend?: string;
  /** `--allowed-root` and `--allow-hard-links`: how model files may be reached. */
  files?: ModelFileAccess;
  training?: boolean;
  inference?: boolean;
  maxMemory?: string;
}

/**
 * Memory `doctor` lets one analysis take: 2 GiB on wasm (its heap is a 32-bit WebAssembly memory,
 * 4 GiB at most, and tfjs grows it by copying), else a third of this machine's memory, at most 8 GiB.
 */
export function memoryBudget(backend: string): number {
  return backend === 'wasm' ? 2 * 2 ** 30 : Math.min(8 * 2 ** 30, os.totalmem() / 3);
}

const gb = (bytes: number): string =>
  bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(1)} GiB`
    : `${Math.max(1, Math.round(bytes / 2 ** 20))} MiB`;

/**
 * Checks, before the analysis runs, that the backend has every kernel it needs (falling back to
 * cpu, which has them all, and saying so) and that the batch fits in memory (shrinking it, and
 * saying so; refusing when one example does not fit). Returns the batch to use.
 */
async function prepare(
  model: LayersModel,
  batch: Tensor[],
  training: boolean,
  seed: number,
  maxMemory: number | undefined,
  io: CliIo,
): Promise<Tensor[]> {
  let plan = await planAnalysis(model, batch, {training, seed});
  if (plan.missing.length > 0) {
    const from = plan.backend;
    if (from === 'cpu' || plan.missing.some((k) => getKernel(k, 'cpu') === undefined)) {
      throw new CliError(
        EXIT.failed,
        `the ${from} backend has no ${plan.missing.join(', ')} ` +
          `kernel(s), which this model's analysis needs, and no other ` +
          `backend has them all`,
      );
    }
    const {setBackend} = await import('@tensorflow/tfjs-core');
    if (!(await setBackend('cpu')) || getBackend() !== 'cpu')
      throw new CliError(EXIT.failed, 'the cpu backend did not start');
    io.err(
      `note: the ${from} backend has no ${plan.missing.join(', ')} kernel(s) (gradients this model needs): using cpu`,
    );
    plan = await planAnalysis(model, batch, {training, seed});
  }
  const size = batch[0].shape[0] ?? 1;
  const budget = maxMemory ?? memoryBudget(plan.backend);
  if (!(plan.bytesPerExample * size > budget)) return batch;
  const fits = Math.floor(budget / plan.bytesPerExample);
  if (fits < 1) {
    throw new CliError(
      EXIT.failed,
      `one example needs about ${gb(plan.bytesPerExample)} for the ` +
        `forward and backward pass on ${plan.backend}, more than ` +
        `the ${gb(budget)} allowed: the model is too large to ` +
        `diagnose here`,
    );
  }
  io.err(
    `note: a batch of ${size} needs ` +
      `about ${gb(plan.bytesPerExample * size)} on ${plan.backend} ` +
      `(${gb(plan.bytesPerExample)} per example), more than ` +
      `the ${gb(budget)} allowed: using a batch of ${fits}`,
  );
  const smaller = batch.map((t) => slice(t, 0, fits));
  dispose(batch);
  return smaller;
}

/**
 * `tfjs-init doctor <model.json>`: loads the model (with its weights when present), checks the
 * backend and memory ({@link planAnalysis}), runs {@link analyzeInitialization} on `--input` or a
 * random batch — as in a training step unless `--inference` — prints the table and findings and
 * writes the HTML report (skipped, with a note on stderr, when the optional packages `vega` and
 * `vega-lite` are not installed and no `--out` was given). Exit 1 when there are findings, 0 when none.
 */
export async function doctorCommand(
  target: string,
  options: DoctorOptions,
  io: CliIo,
): Promise<number> {
  const batchSize = intOption('batch', options.batch, 32, 1);
  const seed = intOption('seed', options.seed, 0, 0);
  if (options.training === true && options.inference === true)
    throw new CliError(EXIT.usage, '--training and --inference exclude each other');
  const training = options.inference !== true;
  const maxMemory =
    options.maxMemory === undefined
      ? undefined
      : intOption('max-memory', options.maxMemory, 0, 1) * 2 ** 20;
  const outFile = options.out ?? 'init-report.html';
  const file = await readModelFile(target, true, options.files);
  await startBackend(options.backend, io);
  const model = await loadModel(file, io);
  let batch: Tensor[] = [];
  try {
    batch = await makeBatch(model, batchSize, seed, options.input);
    try {
      batch = await prepare(model, batch, training, seed, maxMemory, io);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(EXIT.failed, `could not run the model: ${(e as Error).message}`);
    }
    let report;
    try {
      report = analyzeInitialization(model, batch, {seed, training});
    } catch (e) {
      throw new CliError(EXIT.failed, `could not run the model: ${(e as Error).message}`);
    }
    io.out(
      options.json === true
        ? JSON.stringify(
            {
              ...report,
              layers: report.layers.map(
                ({activationHistogram: _a, gradientHistogram: _g, ...rest}) => rest,
              ),
            },
            null,
            2,
          )
        : renderTextReport(report),
    );
    const code = report.findings.length > 0 ? EXIT.problems : EXIT.ok;
    try {
      await writeFileAtomically(
        'tfjs-init',
        outFile,
        await renderHtmlReport(report, {title: `Initialization report: ${file.file}`}),
      );
    } catch (e) {
      // The charts' packages are optional: without them the default report is skipped, said on
      // stderr; a report asked for with --out is an error.
      if (options.out === undefined && isMissingChartPackages(e)) {
        io.err(`no HTML report: ${(e as Error).message}`);
        return code;
      }
      throw new CliError(
        EXIT.failed,
        `could not write the report ${outFile}: ${(e as Error).message}`,
      );
    }
    io.err(`report written to ${outFile}`);
    return code;
  } finally {
    dispose(batch);
    model.dispose();
  }
}
