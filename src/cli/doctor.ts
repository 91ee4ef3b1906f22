import {dispose} from '@tensorflow/tfjs-core';
import {writeFileAtomically} from '../node/atomic-write';
import {analyzeInitialization} from '../tools/analyze';
import {isMissingChartPackages} from '../tools/charts';
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
 * writes the HTML report (skipped, with a note on stderr, when the optional packages `vega` and
 * `vega-lite` are not installed and no `--out` was given). Exit 1 when there are findings, 0 when none.
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
    const code = report.findings.length > 0 ? EXIT.problems : EXIT.ok;
    try {
      await writeFileAtomically('tfjs-init', outFile, await renderHtmlReport(report, {title: `Initialization report: ${file.file}`}));
    } catch (e) {
      // The charts' packages are optional: without them the default report is skipped, said on
      // stderr; a report asked for with --out is an error.
      if (options.out === undefined && isMissingChartPackages(e)) {
        io.err(`no HTML report: ${(e as Error).message}`);
        return code;
      }
      throw new CliError(EXIT.failed, `could not write the report ${outFile}: ${(e as Error).message}`);
    }
    io.err(`report written to ${outFile}`);
    return code;
  } finally {
    dispose(batch);
    model.dispose();
  }
}
