import {promises as fs} from 'fs';
import * as path from 'path';
import {io} from '@tensorflow/tfjs-core';
import {InitializerError, fail} from '../core/errors';
import {knownOptions} from '../core/options';
import {resolveLimits, type ModelJSONLimits} from '../tools/untrusted/limits';
import {validateModelJSON} from '../tools/untrusted/validate';

/** File name of the weights written next to `model.json`. */
const WEIGHTS_FILE = 'weights.bin';

/** Options of {@link fileIO}. */
export interface FileIOOptions {
  /** When false, `load` returns the topology only, so tfjs runs every layer's initializers. */
  weights?: boolean;
  /** Limits of the check `load` runs on the file before tfjs sees it (see `validateModelJSON`). */
  limits?: ModelJSONLimits;
}

function locate(target: string): {dir: string; json: string} {
  return target.endsWith('.json') ? {dir: path.dirname(target), json: target} : {dir: target, json: path.join(target, 'model.json')};
}

function joinBuffers(data: io.WeightData): Uint8Array {
  return new Uint8Array(io.CompositeArrayBuffer.join(data));
}

/**
 * A tfjs IO handler that saves to and loads from the local file system with `@tensorflow/tfjs`
 * alone (no tfjs-node, whose `file://` scheme is not always installed). It writes the standard
 * layout — `model.json` plus one `weights.bin` — that tfjs-node, the converter and
 * `tf.loadLayersModel` in a browser all read.
 *
 * `load` treats the file as untrusted: it runs `validateModelJSON` on it (prototype-polluting keys,
 * non-finite numbers, malformed sizes, and a dry build that checks every weight's size against
 * `options.limits` without allocating), refuses weights files larger than the manifest declares,
 * and reads no weights file outside the model's directory — all before reading a byte of weights.
 *
 * @param target a directory (files go to `<dir>/model.json`) or a path ending in `.json`.
 * @example
 * ```ts
 * import {fileIO} from 'tfjs-initializers/node';
 * await model.save(fileIO('./my-model'));
 * const again = await tf.loadLayersModel(fileIO('./my-model/model.json'));
 * // topology only: the saved initializers run again, with their saved options
 * const fresh = await tf.loadLayersModel(fileIO('./my-model', {weights: false}));
 * ```
 */
export function fileIO(target: string, options: FileIOOptions = {}): io.IOHandler {
  if (typeof target !== 'string' || target.length === 0) fail('fileIO', 'target', 'a directory or a path ending in .json', target);
  options = knownOptions('fileIO', options, ['weights', 'limits']);
  const withWeights = options.weights ?? true;
  if (typeof withWeights !== 'boolean') fail('fileIO', 'weights', 'true or false', withWeights);
  const limits = resolveLimits('fileIO', options.limits);
  const {dir, json} = locate(target);
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new InitializerError('fileIO', 'modelTopology', 'binary model topologies are not supported; save a LayersModel');
      }
      await fs.mkdir(dir, {recursive: true});
      const weightsManifest: io.WeightsManifestConfig = [{paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? []}];
      const modelJSON: io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest,
      };
      if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata != null) modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      await fs.writeFile(json, JSON.stringify(modelJSON));
      const weights = artifacts.weightData === undefined ? new Uint8Array(0) : joinBuffers(artifacts.weightData);
      await fs.writeFile(path.join(dir, WEIGHTS_FILE), weights);
      return {modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts)};
    },

    async load(): Promise<io.ModelArtifacts> {
      let modelJSON: io.ModelJSON;
      try {
        modelJSON = JSON.parse(await fs.readFile(json, 'utf8')) as io.ModelJSON;
      } catch (e) {
        if (e instanceof SyntaxError) throw new InitializerError('fileIO', 'modelJSON', `${json} is not valid JSON: ${e.message}`);
        throw e;
      }
      // Topology only: the manifest is dropped and never reaches tfjs, so it is not checked.
      const {weightsManifest: _unused, ...topologyOnly} = modelJSON;
      void _unused;
      const report = await validateModelJSON(withWeights ? modelJSON : topologyOnly, limits);
      if (!withWeights) {
        return io.getModelArtifactsForJSON(topologyOnly as io.ModelJSON, async () => [[], new ArrayBuffer(0)]);
      }
      return io.getModelArtifactsForJSON(modelJSON, async (manifest) => {
        await checkWeightFiles(dir, manifest, report.manifestBytes ?? 4 * limits.maxTotalElements);
        const specs: io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) buffers.push(await readInside(dir, p));
        }
        return [specs, buffers];
      });
    },
  };
}

/** The path of a weights file named by a (possibly hostile) manifest, refusing paths that leave `dir`. */
function inside(dir: string, name: string): string {
  const root = path.resolve(dir);
  const file = path.resolve(root, name);
  if (path.isAbsolute(name) || !file.startsWith(root + path.sep)) {
    throw new InitializerError('fileIO', 'weightsManifest', `weights path must stay inside ${root}. Received: "${name}"`);
  }
  return file;
}

/** Fails unless the weights files, together, hold at most `bytes` bytes (what the manifest declares). */
async function checkWeightFiles(dir: string, manifest: io.WeightsManifestConfig, bytes: number): Promise<void> {
  let total = 0;
  for (const group of manifest) {
    for (const p of group.paths) total += (await fs.stat(inside(dir, p))).size;
  }
  if (total > bytes) {
    throw new InitializerError('fileIO', 'weightsManifest', `the weights files hold ${total} bytes, more than the ${bytes} the manifest declares`);
  }
}

/** Reads a weights file named by a (possibly hostile) manifest, refusing paths that leave `dir`. */
async function readInside(dir: string, name: string): Promise<ArrayBuffer> {
  const bytes = await fs.readFile(inside(dir, name));
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
