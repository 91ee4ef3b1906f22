import * as os from 'os';
import {
  dispose,
  findBackendFactory,
  getBackend,
  getKernel,
  slice,
  type Tensor,
} from '@tensorflow/tfjs-core';
import {installCommand} from '../node/backend';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {writeFileAtomically} from '../node/atomic-write';
import {analyzeInitialization} from '../tools/analyze';
import type {AnalysisProgress} from '../tools/analysis-run';
import type {InitializationReport} from '../tools/diagnostics';
import {reinitialize} from '../tools/reinitialize';
import {disposeModel} from '../weights/dispose-model';
import {isMissingChartPackages} from '../tools/charts';
import {planAnalysis} from '../tools/plan-analysis';
import {renderHtmlReport} from '../tools/report-html';
import {renderTextReport} from '../tools/report-text';
import {readModelFile, type ModelFileAccess} from './model-file';
import {intOption, loadModel, makeBatch, startBackend} from './runtime';
import {CliError, EXIT, type CliIo} from './exit-codes';
import {checkExampleFits} from './memory-preflight';
import {refuseOutputOverModel} from './output-guard';
import {analysisWork, batchForTimeBudget} from './time-budget';

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
  /** `--time-budget`: seconds the analysis may take (sets the batch when `--batch` is not given). */
  timeBudget?: string;
  /** `--fresh`: redraw the weights from the layers' initializers instead of reading the files'. */
  fresh?: boolean;
}

/** Default `--time-budget`, in seconds, and the largest batch the budget may choose. */
export const DEFAULT_TIME_BUDGET = 60;
const MAX_AUTO_BATCH = 32;

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
    const kernels = plan.missing.length === 1 ? 'kernel' : 'kernels';
    // cpu has every kernel; with tfjs-core + tfjs-layers alone it is registered by its own
    // package, loaded here when installed.
    const cpu =
      findBackendFactory('cpu') != null ||
      (await import('@tensorflow/tfjs-backend-cpu').then(
        () => findBackendFactory('cpu') != null,
        () => false,
      ));
    if (from === 'cpu' || !cpu || plan.missing.some((k) => getKernel(k, 'cpu') === undefined)) {
      throw new CliError(
        EXIT.failed,
        `the ${from} backend has no ${plan.missing.join(', ')} ` +
          `${kernels}, which this model's analysis needs, and no other ` +
          `backend has them all` +
          (cpu || from === 'cpu' ? '' : ` (the cpu backend has: \`${installCommand('cpu')}\`)`),
      );
    }
    const {setBackend} = await import('@tensorflow/tfjs-core');
    if (!(await setBackend('cpu')) || getBackend() !== 'cpu')
      throw new CliError(EXIT.failed, 'the cpu backend did not start');
    io.err(
      `note: the ${from} backend has no ${plan.missing.join(', ')} ${kernels} (gradients this model needs): using cpu`,
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

/** The first line of the report: what the weights are and where they come from. */
function weightsLine(report: InitializationReport, file: string, missing: string[]): string {
  if (report.weights === 'trained')
    return `weights: trained, read from the weights files of ${file}`;
  const why =
    missing.length > 0 ? 'the weights files are missing' : 'fresh weights, no weights file read';
  return (
    `weights: fresh, drawn from each layer's initializer config with seed ${report.seed} ` +
    `(${why}); the findings describe this initialization`
  );
}

/** Progress on stderr, for a terminal only: one line rewritten in place. */
function progressLine(io: CliIo, what: string): (p: AnalysisProgress) => void {
  let last = '';
  return (p) => {
    if (io.progress === undefined) return;
    const line = `${what}: ${p.phase} ${p.done}/${p.total} layers`;
    if (line !== last) io.progress(line);
    last = line;
  };
}

/**
 * Checks that one example runs forward and backward before the full run — a layer that fails
 * (tfjs's own errors, a kernel the backend lacks) is named within seconds rather than after the
 * whole analysis.
 */
function checkOneExample(
  model: LayersModel,
  batch: Tensor[],
  options: {seed: number; training: boolean},
  io: CliIo,
): void {
  const one = batch.map((t) => slice(t, 0, 1));
  try {
    analyzeInitialization(model, one, {
      ...options,
      onProgress: progressLine(io, 'checking a gradient step on one example'),
    });
  } catch (e) {
    throw new CliError(
      EXIT.failed,
      `a gradient step on one example fails: ${(e as Error).message.replace(/^analyzeInitialization: /, '')}`,
    );
  } finally {
    dispose(one);
    io.progress?.(null);
  }
}

/**
 * The batch size: `--batch` when given, else the largest (at most 32) whose analysis fits the time
 * budget by an estimate computed from the model alone ({@link batchForTimeBudget}: the same file
 * always gets the same batch), said on stderr.
 */
function chooseBatch(
  model: LayersModel,
  requested: number | undefined,
  budget: number,
  backend: string,
  io: CliIo,
): number {
  if (requested !== undefined) return requested;
  const {batch, estimate} = batchForTimeBudget(
    analysisWork(model),
    backend,
    budget,
    MAX_AUTO_BATCH,
  );
  io.err(
    `note: a batch of ${batch} (estimated ${Math.max(1, Math.round(estimate))} s on ${backend} ` +
      `for a ${budget} s budget; --batch or --time-budget to change it)`,
  );
  return batch;
}

/**
 * `tfjs-init doctor <model.json>`: loads the model — with its weights when the files are present
 * and `--fresh` is not given, else the topology with fresh weights drawn from its initializers
 * with `--seed` (default 0) — checks the backend and memory ({@link planAnalysis}) and that one
 * example runs forward and backward, picks a batch that fits the time budget, runs
 * {@link analyzeInitialization} on `--input` or a random batch drawn from `--seed` — as in a
 * training step unless `--inference` — prints the table and findings (first line: what the weights
 * are) and writes the HTML report (skipped, with a note on stderr, when the optional packages
 * `vega` and `vega-lite` are not installed and no `--out` was given). The same file and options
 * give the same findings in every run. Exit 1 when there are findings, 0 when none.
 */
export async function doctorCommand(
  target: string,
  options: DoctorOptions,
  io: CliIo,
): Promise<number> {
  const requested =
    options.batch === undefined ? undefined : intOption('batch', options.batch, 32, 1);
  const budget = intOption('time-budget', options.timeBudget, DEFAULT_TIME_BUDGET, 1);
  const seed = intOption('seed', options.seed, 0, 0);
  if (options.training === true && options.inference === true)
    throw new CliError(EXIT.usage, '--training and --inference exclude each other');
  const training = options.inference !== true;
  const maxMemory =
    options.maxMemory === undefined
      ? undefined
      : intOption('max-memory', options.maxMemory, 0, 1) * 2 ** 20;
  const outFile = options.out ?? 'init-report.html';
  await startBackend(options.backend, io); // before reading: the strict read compiles the training config
  const file = await readModelFile(target, true, options.files, {weights: options.fresh !== true});
  await refuseOutputOverModel(file, '--out', outFile, {files: [outFile]});
  const model = await loadModel(file, io);
  let batch: Tensor[] = [];
  try {
    checkExampleFits(model, maxMemory ?? memoryBudget(getBackend()), getBackend());
    // Fresh weights are drawn from the layers' configs with the seed, so that two runs analyse the
    // same initialization (tfjs draws a topology's weights from Math.random).
    if (!file.hasWeights) reinitialize(model, {seed});
    batch = await makeBatch(model, requested ?? MAX_AUTO_BATCH, seed, options.input);
    try {
      batch = await prepare(model, batch, training, seed, maxMemory, io);
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(EXIT.failed, `could not run the model: ${(e as Error).message}`);
    }
    checkOneExample(model, batch, {seed, training}, io);
    const size = batch[0].shape[0] ?? 1;
    const chosen =
      options.input === undefined
        ? Math.min(size, chooseBatch(model, requested, budget, getBackend(), io))
        : size;
    if (chosen < size) {
      const smaller = batch.map((t) => slice(t, 0, chosen));
      dispose(batch);
      batch = smaller;
    }
    let report: InitializationReport;
    try {
      report = analyzeInitialization(model, batch, {
        seed,
        training,
        weights: file.hasWeights ? 'trained' : 'fresh',
        onProgress: progressLine(io, `analysing a batch of ${chosen}`),
      });
    } catch (e) {
      throw new CliError(EXIT.failed, `could not run the model: ${(e as Error).message}`);
    } finally {
      io.progress?.(null);
    }
    const weights = weightsLine(report, file.file, file.missingWeights);
    io.out(
      options.json === true
        ? JSON.stringify(
            {
              weightsSource: weights,
              ...report,
              layers: report.layers.map(
                ({activationHistogram: _a, gradientHistogram: _g, ...rest}) => rest,
              ),
            },
            null,
            2,
          )
        : renderTextReport(report, {weights}),
    );
    const code = report.findings.length > 0 ? EXIT.problems : EXIT.ok;
    try {
      await writeFileAtomically(
        'tfjs-init',
        outFile,
        await renderHtmlReport(report, {
          title: `Initialization report: ${file.file}`,
          weights,
        }),
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
    disposeModel(model);
  }
}
