import {promises as fs} from 'fs';
import * as path from 'path';
import {InitializerError} from '../core/errors';
import {inspectModel, type Inspection} from '../tools/inspect';
import {validateModelJSON} from '../tools/untrusted/validate';
import {CliError, EXIT} from './exit-codes';

/** A `model.json` read from disk and checked. */
export interface ModelFile {
  /** Path of the JSON file. */
  file: string;
  json: Record<string, unknown>;
  inspection: Inspection;
  /** Whether the manifest names weights and every weights file exists. */
  hasWeights: boolean;
}

/** Reads and parses a JSON file, mapping each failure to its exit code. */
export async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(EXIT.missingFile, code === 'ENOENT' ? `${what} not found: ${file}` : `cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(EXIT.malformed, `${what} ${file} is not valid JSON: ${(e as Error).message}`);
  }
}

/**
 * Reads `target` (a `model.json` or a directory holding one), parses it, checks it as untrusted
 * input ({@link validateModelJSON}: hostile keys and names, non-finite numbers, malformed sizes;
 * exit 4) and inspects it ({@link inspectModel}, whose dry build checks every weight's size before
 * anything is allocated; exit 4). With `strict` (the model is about to be loaded), unregistered
 * classes are fatal (exit 5).
 */
export async function readModelFile(target: string, strict: boolean): Promise<ModelFile> {
  let file = target;
  try {
    if ((await fs.stat(target)).isDirectory()) file = path.join(target, 'model.json');
  } catch {
    throw new CliError(EXIT.missingFile, `model file not found: ${target}`);
  }
  const json = await readJson(file, 'model file');
  if (typeof json === 'object' && json !== null && (json as {format?: unknown}).format === 'graph-model') {
    throw new CliError(EXIT.malformed, `${file} is a tfjs GraphModel (format "graph-model", a frozen TensorFlow graph): it has no layers or initializers; tfjs-init reads LayersModels`);
  }
  let inspection: Inspection;
  try {
    await validateModelJSON(json, {build: false});
  } catch (e) {
    if (e instanceof InitializerError) throw new CliError(EXIT.malformed, `${file} is not a tfjs LayersModel model.json: ${e.message}`);
    throw e;
  }
  try {
    inspection = await inspectModel(json);
  } catch (e) {
    // The file is well-formed; tfjs's dry build refused it (a weight too large, a shape tfjs rejects).
    if (e instanceof InitializerError) throw new CliError(EXIT.malformed, `${file} cannot be loaded safely: ${e.message}`);
    throw e;
  }
  // inspectModel has dry-built the model (every weight's size checked before any exists), unless
  // classes are missing, which is fatal when the model is to be loaded.
  const unknown = inspection.problems.filter((p) => p.kind === 'unknownClass');
  if (strict && unknown.length > 0) throw new CliError(EXIT.unknownClass, unknown.map((p) => p.message).join('\n'));
  return {file, json: json as Record<string, unknown>, inspection, hasWeights: await weightsPresent(file, json as Record<string, unknown>)};
}

async function weightsPresent(file: string, json: Record<string, unknown>): Promise<boolean> {
  const groups = json.weightsManifest;
  if (!Array.isArray(groups) || groups.length === 0) return false;
  const dir = path.dirname(file);
  for (const g of groups as Array<{paths?: unknown}>) {
    if (!Array.isArray(g.paths)) return false;
    for (const p of g.paths) {
      try {
        await fs.access(path.resolve(dir, String(p)));
      } catch {
        return false;
      }
    }
  }
  return true;
}
