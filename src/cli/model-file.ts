import {promises as fs} from 'fs';
import * as path from 'path';
import type {io} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import {inspectModel, type Inspection} from '../tools/inspect';
import {nameUnnamedLayers} from '../tools/model-names';
import {validateModelJSON} from '../tools/untrusted/validate';
import {MAX_MODEL_JSON_BYTES, loadArtifacts, resolveFileIOOptions} from '../node/file-io';
import {allowedFolder, parseJson, readCheckedFile, type FilePlace} from '../node/safe-read';
import {CliError, EXIT} from './exit-codes';

/** A `model.json` read from disk and checked. */
export interface ModelFile {
  /** Path of the JSON file. */
  file: string;
  json: Record<string, unknown>;
  inspection: Inspection;
  /**
   * Whether the model's weights are read from its files: the manifest names weights, every file it
   * names is present, and the caller asked for them (see `missingWeights`).
   */
  hasWeights: boolean;
  /**
   * Weights files the manifest names that are not in the model folder. When any is missing, every
   * command uses the topology alone (each layer's initializers run) and says so
   * ({@link weightsNote}); a file that is present but wrong is still refused (exit 4).
   */
  missingWeights: string[];
  /** With `strict`: what tfjs loads, read and checked by the same code as `fileIO`. */
  artifacts: io.ModelArtifacts | null;
}

/** Largest `--input` file: 256 MiB of JSON text (a batch holds at most 2^26 values). */
export const MAX_INPUT_BYTES = 2 ** 28;

/** The message of an InitializerError without its owner (the CLI prints its own prefix). */
const text = (e: InitializerError): string => e.message.slice(e.owner.length + 2);

/**
 * Reads and parses a JSON file the user names (`--input`): a regular file (not a FIFO or a device,
 * which would hang or never end) of at most {@link MAX_INPUT_BYTES}, mapping each failure to its
 * exit code.
 */
export async function readJson(file: string, what: string): Promise<unknown> {
  const place: FilePlace = {owner: 'tfjs-init', parameter: what, label: `${what} ${file}`};
  let bytes: Uint8Array;
  try {
    bytes = await readCheckedFile(place, file, null, {bytes: MAX_INPUT_BYTES, option: '--input'});
  } catch (e) {
    if (!(e instanceof InitializerError)) throw e;
    throw new CliError(
      EXIT.missingFile,
      e.message.endsWith(': not found') ? `${what} not found: ${file}` : text(e),
    );
  }
  try {
    return parseJson(place, bytes);
  } catch (e) {
    if (e instanceof InitializerError) throw new CliError(EXIT.malformed, text(e));
    throw e;
  }
}

/** The paths a `weightsManifest` names, in order (malformed entries are left to the strict checks). */
function manifestPaths(json: unknown): string[] {
  const manifest = (json as {weightsManifest?: unknown}).weightsManifest;
  if (!Array.isArray(manifest)) return [];
  return manifest.flatMap((group: unknown) => {
    const paths = (group as {paths?: unknown} | null)?.paths;
    return Array.isArray(paths) ? paths.filter((p): p is string => typeof p === 'string') : [];
  });
}

/** A weights file the manifest names that is not there. */
interface AbsentFile {
  name: string;
  /** Where the manifest names it: `weightsManifest[0].paths[1]`. */
  parameter: string;
  /** Why, in `fileIO`'s words. */
  reason: string;
}

/**
 * The manifest's weights files that do not exist in `dir` (ENOENT, or a path through something
 * that is not a folder). Only plain relative names are looked up: anything else is refused later by
 * the same checks `fileIO` makes.
 */
async function absentWeightFiles(json: unknown, dir: string): Promise<AbsentFile[]> {
  const manifest = (json as {weightsManifest?: unknown}).weightsManifest;
  const absent: AbsentFile[] = [];
  if (!Array.isArray(manifest)) return absent;
  for (const [g, group] of manifest.entries()) {
    const paths = (group as {paths?: unknown} | null)?.paths;
    if (!Array.isArray(paths)) continue;
    for (const [i, name] of paths.entries()) {
      if (typeof name !== 'string') continue;
      if (name.includes('\0') || path.isAbsolute(name) || name.split(/[\\/]/).includes('..'))
        continue;
      try {
        await fs.lstat(path.join(dir, name));
      } catch (e) {
        const code = (e as {code?: unknown}).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') continue;
        absent.push({
          name,
          parameter: `weightsManifest[${g}].paths[${i}]`,
          reason:
            code === 'ENOENT' ? 'not found' : 'not found (a part of its path is not a folder)',
        });
      }
    }
  }
  return absent;
}

/** The CLI flag that reads a folder whose weights files are missing as its topology. */
export const ALLOW_MISSING_WEIGHTS = '--allow-missing-weights';

/**
 * The note every command prints when the weights are not read from the files: none named, some
 * missing (the model folder as published without its shards), or not asked for (`--fresh`).
 */
export function weightsNote(model: ModelFile): string | null {
  if (model.missingWeights.length > 0) {
    const n = model.missingWeights.length;
    const shown = model.missingWeights.slice(0, 3).join(', ') + (n > 3 ? ', …' : '');
    return (
      `note: ${model.file} names ${n} weights file${n === 1 ? '' : 's'} that ` +
      `${n === 1 ? 'is' : 'are'} not in its folder (${shown}): using the topology, so every ` +
      `layer's initializers run (fresh weights)`
    );
  }
  if (manifestPaths(model.json).length === 0)
    return `note: ${model.file} has no weights file; every layer's initializers run`;
  if (!model.hasWeights)
    return (
      `note: the weights files of ${model.file} are not read (fresh weights asked for); ` +
      `every layer's initializers run`
    );
  return null;
}

/**
 * Reads `target` (a `model.json` or a directory holding one) as `fileIO` does — opened once, a
 * regular file inside the model folder or `allowedRoot` (exit 3 otherwise) — parses it, checks it
 * as untrusted input ({@link validateModelJSON}: hostile keys and names, non-finite numbers,
 * malformed sizes; exit 4) and inspects it ({@link inspectModel}, whose dry build checks every
 * weight's size before anything is allocated; exit 4). With `strict` (the model is about to be
 * loaded), unregistered classes are fatal (exit 5), and the file is checked and its weights read
 * exactly as `fileIO(...).load()` does (dry build, manifest against the model, every weights file
 * checked and of exactly the right size; exit 4).
 */
/**
 * How the CLI may reach model files: `--allowed-root` and `--allow-hard-links` (fileIO's options),
 * and `--allow-missing-weights`.
 */
export interface ModelFileAccess {
  allowedRoot?: string;
  allowHardLinks?: boolean;
  /**
   * A folder whose manifest names weights files that are not there (published without its shards)
   * is read as its topology, with a note, instead of refused (exit 4) — by every command alike.
   */
  allowMissingWeights?: boolean;
}

export async function readModelFile(
  target: string,
  strict: boolean,
  access: ModelFileAccess = {},
  options: {weights?: boolean} = {},
): Promise<ModelFile> {
  let file = target;
  try {
    if ((await fs.stat(target)).isDirectory()) file = path.join(target, 'model.json');
  } catch {
    throw new CliError(EXIT.missingFile, `model file not found: ${target}`);
  }
  const fileOptions = (() => {
    try {
      return resolveFileIOOptions('tfjs-init', {
        ...(access.allowedRoot === undefined ? {} : {allowedRoot: access.allowedRoot}),
        allowHardLinks: access.allowHardLinks === true,
      });
    } catch (e) {
      if (e instanceof InitializerError)
        throw new CliError(EXIT.usage, text(e).replace('option `allowedRoot`', '--allowed-root'));
      throw e;
    }
  })();
  const dir = path.dirname(file);
  const place: FilePlace = {
    owner: 'tfjs-init',
    parameter: 'modelJSON',
    label: `model file ${file}`,
  };
  let root: string;
  let bytes: Uint8Array;
  try {
    root = await allowedFolder(place, dir, fileOptions.allowedRoot);
    bytes = await readCheckedFile(
      place,
      file,
      root,
      {bytes: MAX_MODEL_JSON_BYTES, option: 'maxJsonBytes'},
      fileOptions.allowHardLinks,
    );
  } catch (e) {
    if (!(e instanceof InitializerError)) throw e;
    if (e.parameter === 'allowedRoot')
      throw new CliError(EXIT.usage, text(e).replace('option `allowedRoot`', '--allowed-root'));
    throw new CliError(
      EXIT.missingFile,
      e.message.endsWith(': not found') ? `model file not found: ${file}` : text(e),
    );
  }
  let json: unknown;
  let inspection: Inspection;
  try {
    json = parseJson(place, bytes);
    if (
      typeof json === 'object' &&
      json !== null &&
      (json as {format?: unknown}).format === 'graph-model'
    ) {
      throw new CliError(
        EXIT.malformed,
        `${file} is a tfjs GraphModel (format "graph-model", a ` +
          `frozen TensorFlow graph): it has no layers or initializers; ` +
          `tfjs-init reads LayersModels`,
      );
    }
    await validateModelJSON(json, {build: false});
    // A bare Keras topology (`model.to_json()`: `class_name` and `config` at the top, no
    // `modelTopology`) is read as a model.json holding it and no weights, by every command alike.
    if ((json as Record<string, unknown>).modelTopology === undefined) json = {modelTopology: json};
    // Names fixed by the file: every command (and the report) names unnamed models alike.
    json = nameUnnamedLayers(json);
  } catch (e) {
    if (!(e instanceof InitializerError)) throw e;
    throw new CliError(
      EXIT.malformed,
      e.owner === 'tfjs-init'
        ? text(e)
        : `${file} is not a tfjs LayersModel model.json: ${e.message}`,
    );
  }
  try {
    inspection = await inspectModel(json);
  } catch (e) {
    // The file is well-formed; tfjs's dry build refused it (a weight too large, a shape tfjs rejects).
    // A class tfjs does not register (a Keras-only regularizer): exit 5, as for a layer or initializer.
    if (e instanceof InitializerError)
      throw new CliError(
        e.parameter.endsWith('.class_name') ? EXIT.unknownClass : EXIT.malformed,
        `${file} cannot be loaded safely: ${e.message}`,
      );
    throw e;
  }
  // inspectModel has dry-built the model (every weight's size checked before any exists), unless
  // classes are missing, which is fatal when the model is to be loaded.
  const unknown = inspection.problems.filter((p) => p.kind === 'unknownClass');
  if (strict && unknown.length > 0)
    throw new CliError(EXIT.unknownClass, unknown.map((p) => p.message).join('\n'));
  // Weights files that are absent (a model folder published without its shards): every command
  // refuses the folder alike — inspect too, though it reads no weights — unless told to use the
  // topology, which it then says (weightsNote). Unregistered classes (inspect) come first: the
  // folder cannot be loaded whatever its weights, and inspect's report says why.
  const absent = options.weights === false ? [] : await absentWeightFiles(json, dir);
  if (absent.length > 0 && access.allowMissingWeights !== true && unknown.length === 0) {
    const [first] = absent;
    throw new CliError(
      EXIT.malformed,
      `${file} cannot be loaded safely (its manifest names ${absent.length} weights ` +
        `file${absent.length === 1 ? '' : 's'} that ${absent.length === 1 ? 'is' : 'are'} not ` +
        `there; ${ALLOW_MISSING_WEIGHTS} reads the folder as its topology, with fresh weights): ` +
        `fileIO: weights file ${JSON.stringify(first.name)} in ${dir} (${first.parameter}): ` +
        first.reason,
    );
  }
  const missingWeights = absent.map((a) => a.name);
  const hasWeights =
    options.weights !== false && manifestPaths(json).length > 0 && missingWeights.length === 0;
  let artifacts: io.ModelArtifacts | null = null;
  if (strict) {
    try {
      artifacts = await loadArtifacts(json, dir, root, {...fileOptions, weights: hasWeights});
    } catch (e) {
      if (e instanceof InitializerError)
        throw new CliError(EXIT.malformed, `${file} cannot be loaded safely: ${e.message}`);
      throw e;
    }
  }
  return {
    file,
    json: json as Record<string, unknown>,
    inspection,
    hasWeights,
    missingWeights,
    artifacts,
  };
}
