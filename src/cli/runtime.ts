import {dispose, tensor, type Tensor} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {loadCheckedArtifacts} from '../tools/untrusted/load-artifacts';
import {InitializerError} from '../core/errors';
import {selectBackend, type BackendName} from '../node/backend';
import {sizeOf} from '../core/tensor-args';
import {randomInput} from '../tools/random-input';
import {readJson, weightsNote, type ModelFile} from './model-file';
import {CliError, EXIT, type CliIo} from './exit-codes';
import {plural} from '../core/plural';

/** Most values a random batch may have (2^26: 256 MiB of float32). */
export const MAX_BATCH_ELEMENTS = 2 ** 26;

/**
 * Starts the backend (`--backend`, else the fastest present: tfjs-node, wasm, cpu) and, with
 * `--verbose`, prints the one-line note saying which. When none can start, the error names the
 * package to install at the app's tfjs version (exit 6).
 */
export async function startBackend(name: string | undefined, io: CliIo): Promise<void> {
  if (name !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(name)) {
    throw new CliError(
      EXIT.usage,
      `--backend must be one of tensorflow, wasm, cpu. Received: ${name}`,
    );
  }
  try {
    const {note} = await selectBackend(name === undefined ? {} : {force: name as BackendName});
    io.verbose?.(note);
  } catch (e) {
    if (e instanceof InitializerError) throw new CliError(EXIT.failed, withoutOwner(e));
    throw e;
  }
}

/**
 * For commands that can do without a backend (`inspect`): starts one as {@link startBackend} does
 * when `--backend` is given; otherwise tries the fastest present and, when none is installed, goes
 * on without one. Resolves to whether a backend runs.
 */
export async function startBackendIfPresent(name: string | undefined, io: CliIo): Promise<boolean> {
  if (name !== undefined) {
    await startBackend(name, io);
    return true;
  }
  try {
    const {note} = await selectBackend();
    io.verbose?.(note);
    return true;
  } catch (e) {
    if (!(e instanceof InitializerError)) throw e;
    io.verbose?.(`no backend: ${withoutOwner(e)}`);
    return false;
  }
}

/** The message of an InitializerError without its owner (the CLI prints its own prefix). */
const withoutOwner = (e: InitializerError): string => e.message.slice(e.owner.length + 2);

/**
 * Loads the model from what {@link readModelFile} read and checked with `strict` (the same checks
 * and reads as `fileIO(...).load()`): with its weights when the file has them, else the topology
 * (its initializers run).
 */
export async function loadModel(model: ModelFile, io: CliIo): Promise<LayersModel> {
  const artifacts = model.artifacts;
  if (artifacts === null)
    throw new Error(`loadModel: ${model.file} was read without strict checks`);
  const note = weightsNote(model);
  if (note !== null) io.err(note);
  try {
    return await loadCheckedArtifacts(artifacts, true);
  } catch (e) {
    throw new CliError(EXIT.failed, `could not load ${model.file}: ${(e as Error).message}`);
  }
}

/** Parses an integer option (`--batch 32`), failing with a usage error. */
export function intOption(
  name: string,
  value: string | undefined,
  def: number,
  min: number,
): number {
  if (value === undefined) return def;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new CliError(EXIT.usage, `--${name} must be an integer >= ${min}. Received: ${value}`);
  return n;
}

/**
 * The batch for each model input: from `--input` (a JSON nested array, or an array of them for
 * several inputs), else random: N(0, 1) from the seed, or integer ids in [0, inputDim) when the
 * input feeds an Embedding.
 */
export async function makeBatch(
  model: LayersModel,
  size: number,
  seed: number,
  inputFile: string | undefined,
): Promise<Tensor[]> {
  const data = inputFile === undefined ? undefined : await readJson(inputFile, 'input file');
  const made: Tensor[] = [];
  try {
    for (let i = 0; i < model.inputs.length; i++) made.push(batchFor(model, i, size, seed, data));
  } catch (e) {
    dispose(made); // a later input failed: the earlier ones are not left behind
    throw e;
  }
  return made;
}

/** The batch for model input `i`: from the parsed `--input` data when given, else random. */
function batchFor(
  model: LayersModel,
  i: number,
  size: number,
  seed: number,
  data: unknown,
): Tensor {
  if (data !== undefined) {
    const parts = model.inputs.length === 1 ? [data] : (data as unknown[]);
    if (!Array.isArray(parts) || parts.length !== model.inputs.length) {
      throw new CliError(
        EXIT.failed,
        `input file must hold ${plural(model.inputs.length, 'nested array')}, one per model input`,
      );
    }
    let t: Tensor;
    try {
      t = tensor(parts[i] as number[]);
    } catch (e) {
      throw new CliError(
        EXIT.failed,
        `input file: not a numeric nested array: ${(e as Error).message}`,
      );
    }
    const want = model.inputs[i].shape;
    if (t.rank !== want.length || want.some((d, k) => k > 0 && d !== null && d !== t.shape[k])) {
      t.dispose();
      throw new CliError(
        EXIT.failed,
        `input file: shape [${t.shape.join(', ')}] does not fit model input [${want.map((d) => d ?? 'N').join(', ')}]`,
      );
    }
    return t;
  }
  const input = model.inputs[i];
  const dims = input.shape.slice(1);
  if (dims.some((d) => d === null)) {
    throw new CliError(
      EXIT.failed,
      `model input ${i} has shape ` +
        `[N, ${dims.map((d) => d ?? 'null').join(', ')}]: give ` +
        `--input for inputs of unknown size`,
    );
  }
  const shape = [size, ...(dims as number[])];
  const n = sizeOf(shape);
  if (n > MAX_BATCH_ELEMENTS) {
    throw new CliError(
      EXIT.usage,
      `a random batch of ${size} examples of shape ` +
        `[${dims.join(', ')}] has ${n} values, more ` +
        `than ${MAX_BATCH_ELEMENTS}: give a smaller --batch`,
    );
  }
  return randomInput(model, i, shape, seed);
}
