import {dispose, tensor, type Tensor} from '@tensorflow/tfjs-core';
import {loadLayersModel, type LayersModel} from '@tensorflow/tfjs-layers';
import {selectBackend, type BackendName} from '../node/backend';
import {fillNormal, randomIndex} from '../random/samplers';
import {readJson, weightsNote, type ModelFile} from './model-file';
import {CliError, EXIT, type CliIo} from './exit-codes';

/** Most values a random batch may have (2^26: 256 MiB of float32). */
export const MAX_BATCH_ELEMENTS = 2 ** 26;

/** Starts the backend (`--backend`, else the fastest present) and prints the one-line note to stderr. */
export async function startBackend(name: string | undefined, io: CliIo): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu').catch(() => undefined);
  if (name !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(name)) {
    throw new CliError(
      EXIT.usage,
      `--backend must be one of tensorflow, wasm, cpu. Received: ${name}`,
    );
  }
  try {
    const {note} = await selectBackend(name === undefined ? {} : {force: name as BackendName});
    io.err(note);
  } catch (e) {
    throw new CliError(EXIT.failed, (e as Error).message);
  }
}

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
    return await loadLayersModel({load: async () => artifacts});
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
        `input file must hold ${model.inputs.length} nested array(s), one per model input`,
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
  const n = shape.reduce((a, b) => a * b, 1);
  if (n > MAX_BATCH_ELEMENTS) {
    throw new CliError(
      EXIT.usage,
      `a random batch of ${size} examples of shape ` +
        `[${dims.join(', ')}] has ${n} values, more ` +
        `than ${MAX_BATCH_ELEMENTS}: give a smaller --batch`,
    );
  }
  const feeds = input.sourceLayer.outboundNodes.map((node) => node.outboundLayer);
  const embedding = feeds.find((l) => l.getClassName() === 'Embedding');
  if (embedding !== undefined) {
    const vocabulary = (embedding.getConfig() as {inputDim: number}).inputDim;
    const ids = new Float32Array(n);
    for (let k = 0; k < n; k++) ids[k] = randomIndex(seed, i, k, vocabulary);
    return tensor(ids, shape);
  }
  const values = new Float32Array(n);
  fillNormal(values, seed, i, 0, 1);
  return tensor(values, shape);
}
