import {dispose} from '@tensorflow/tfjs-core';
import {writeFileAtomically} from '../node/atomic-write';
import {analyzeInitialization} from '../tools/analyze';
import {renderHtmlReport} from '../tools/report-html';
import {renderTextReport} from '../tools/report-text';
import {readModelFile} from './model-file';
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
  /** `--allowed-root`: the folder model files may resolve into (default: the model folder). */
  allowedRoot?: string;
}

/**
 * `tfjs-init doctor <model.json>`: loads the model (with its weights when present), runs
 * {@link analyzeInitialization} on `--input` or a random batch, prints the table and findings and
 * writes the HTML report. Exit 1 when there are findings, 0 when none.
 */
export async function doctorCommand(target: string, options: DoctorOptions, io: CliIo): Promise<number> {
  const batchSize = intOption('batch', options.batch, 32, 1);
  const seed = intOption('seed', options.seed, 0, 0);
  const outFile = options.out ?? 'init-report.html';
  const file = await readModelFile(target, true, options.allowedRoot);
  await startBackend(options.backend, io);
  const model = await loadModel(file, io);
  let batch;
  try {
    batch = await makeBatch(model, batchSize, seed, options.input);
  } catch (e) {
    model.dispose();
    throw e;
  }
  try {
    let report;
    try {
      report = analyzeInitialization(model, batch, {seed});
    } catch (e) {
      throw new CliError(EXIT.failed, `could not run the model: ${(e as Error).message}`);
    }
    io.out(options.json === true ? JSON.stringify({...report, layers: report.layers.map(({activationHistogram: _a, gradientHistogram: _g, ...rest}) => rest)}, null, 2) : renderTextReport(report));
    try {
      await writeFileAtomically('tfjs-init', outFile, await renderHtmlReport(report, {title: `Initialization report: ${file.file}`}));
    } catch (e) {
      throw new CliError(EXIT.failed, `could not write the report ${outFile}: ${(e as Error).message}`);
    }
    io.err(`report written to ${outFile}`);
    return report.findings.length > 0 ? EXIT.problems : EXIT.ok;
  } finally {
    dispose(batch);
    model.dispose();
  }
}
