import * as path from 'path';
import {io} from '@tensorflow/tfjs-core';
import {InitializerError, describeValue, fail} from '../core/errors';
import {bool, knownOptions} from '../core/options';
import {ownProperties} from '../core/own';
import {resolveLimits, type Limits, type ModelJSONLimits} from '../tools/untrusted/limits';
import {checkModelJSON} from '../tools/untrusted/validate';
import {saveModelFiles} from './atomic-write';
import {
  allowedFolder,
  openChecked,
  readExactly,
  readJsonFile,
  refuse,
  type FilePlace,
  type OpenedFile,
} from './safe-read';

/** File name of the weights written next to `model.json`. */
export const WEIGHTS_FILE = 'weights.bin';

/** Largest `model.json` {@link fileIO} reads by default: 64 MiB (real topologies and manifests take a few MB). */
export const MAX_MODEL_JSON_BYTES = 2 ** 26;

/** Options of {@link fileIO}. */
export interface FileIOOptions {
  /** When false, `load` returns the topology only, so tfjs runs every layer's initializers. */
  weights?: boolean;
  /** Limits of the check `load` runs on the file before tfjs sees it (see `validateModelJSON`). */
  limits?: ModelJSONLimits;
  /**
   * The folder every file `load` reads must lie in once symbolic links are resolved (its real
   * path). Default: the model's own folder. Name a wider folder for layouts that link model files
   * to a shared store (content-addressed caches such as `snapshots/<rev>/model.json → ../../blobs/<hash>`).
   * It must contain the model's folder.
   */
  allowedRoot?: string;
  /** Largest `model.json`, in bytes, `load` reads. Default `MAX_MODEL_JSON_BYTES` (64 MiB). */
  maxJsonBytes?: number;
  /**
   * Accept files that have more than one name (hard links). Default false: a hard link's other
   * names cannot be located, so one in a folder from elsewhere could expose any file on the same
   * file system. Set it for folders you trust whose files are hard-linked on purpose, such as
   * packages installed by pnpm (which links files from its store).
   */
  allowHardLinks?: boolean;
}

/** `target` as fileIO reads it: the model folder and the JSON file's path. */
export function locate(target: string): {dir: string; json: string} {
  return target.endsWith('.json')
    ? {dir: path.dirname(target), json: target}
    : {dir: target, json: path.join(target, 'model.json')};
}

function joinBuffers(data: io.WeightData): Uint8Array {
  return new Uint8Array(io.CompositeArrayBuffer.join(data));
}

/** The options of {@link fileIO}, checked, with defaults filled in. */
export interface ResolvedFileIOOptions {
  weights: boolean;
  limits: Limits;
  allowedRoot: string | undefined;
  maxJsonBytes: number;
  allowHardLinks: boolean;
}

/** Checks {@link FileIOOptions} as {@link fileIO} does (the CLI reads files with the same options). */
export function resolveFileIOOptions(
  owner: string,
  options: FileIOOptions | undefined,
): ResolvedFileIOOptions {
  const o = ownProperties(
    knownOptions(owner, options, [
      'weights',
      'limits',
      'allowedRoot',
      'maxJsonBytes',
      'allowHardLinks',
    ]),
  ) as FileIOOptions;
  const weights = bool(true)(o.weights, owner, 'weights');
  const allowHardLinks = bool(false)(o.allowHardLinks, owner, 'allowHardLinks');
  if (
    o.allowedRoot !== undefined &&
    (typeof o.allowedRoot !== 'string' ||
      o.allowedRoot.length === 0 ||
      o.allowedRoot.includes('\0'))
  ) {
    fail(
      owner,
      'allowedRoot',
      'the path of an existing folder (a non-empty string)',
      o.allowedRoot,
    );
  }
  const maxJsonBytes = o.maxJsonBytes ?? MAX_MODEL_JSON_BYTES;
  if (!Number.isSafeInteger(maxJsonBytes) || maxJsonBytes < 1)
    fail(owner, 'maxJsonBytes', 'an integer >= 1', maxJsonBytes);
  return {
    weights,
    limits: resolveLimits(owner, o.limits),
    allowedRoot: o.allowedRoot,
    maxJsonBytes,
    allowHardLinks,
  };
}

/**
 * A tfjs IO handler that saves to and loads from the local file system with `@tensorflow/tfjs`
 * alone (no tfjs-node, whose `file://` scheme is not always installed). It writes the standard
 * layout — `model.json` plus one `weights.bin` — that tfjs-node, the converter and
 * `tf.loadLayersModel` in a browser all read.
 *
 * `load` treats the files as untrusted (docs/untrusted-models.md):
 *
 * - every file it reads (`model.json` and each weights file) is opened once and checked on the
 *   opened descriptor before a byte is read: a regular file (folders, FIFOs, sockets and devices
 *   are refused, and opening never blocks), whose real path lies inside the model's folder (or
 *   `allowedRoot`), with no second hard link; weights paths are relative, without `..`, each
 *   named once; `model.json` is at most `maxJsonBytes`;
 * - `model.json` passes `validateModelJSON` (hostile keys and names, non-finite numbers, sizes
 *   within `limits`, a dry build that allocates nothing, and the manifest paired with the model's
 *   weights by name, shape and dtype);
 * - every weights file is opened and the files of each manifest group must hold exactly the bytes
 *   its weights need before any is read; then exactly those bytes are read.
 *
 * Any failure is an {@link InitializerError} naming the file and the reason. `save` is
 * crash-safe: whenever it fails or the process dies (SIGKILL, power loss), the folder holds the
 * old model or the new one, complete — data and folders are `fsync`ed around one committing
 * rename — and the next save cleans up what an interrupted one left (see `saveModelFiles`).
 *
 * @param target a directory (files go to `<dir>/model.json`) or a path ending in `.json`.
 * @example
 * ```ts
 * import {fileIO} from 'tfjs-initializers/node';
 * await model.save(fileIO('./my-model'));
 * const again = await tf.loadLayersModel(fileIO('./my-model/model.json'));
 * // topology only: the saved initializers run again, with their saved options
 * const fresh = await tf.loadLayersModel(fileIO('./my-model', {weights: false}));
 * // a cache whose snapshot folders link to shared blobs
 * const cached = await tf.loadLayersModel(fileIO('cache/snapshots/3f2a/model.json', {allowedRoot: 'cache'}));
 * ```
 */
export function fileIO(target: string, options: FileIOOptions = {}): io.IOHandler {
  if (typeof target !== 'string' || target.length === 0)
    fail('fileIO', 'target', 'a directory or a path ending in .json', target);
  const resolved = resolveFileIOOptions('fileIO', options);
  const {dir, json} = locate(target);
  return {
    async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new InitializerError(
          'fileIO',
          'modelTopology',
          'binary model topologies are not supported; save a LayersModel',
        );
      }
      const modelJSON: io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [],
      };
      if (artifacts.trainingConfig != null) modelJSON.trainingConfig = artifacts.trainingConfig;
      if (artifacts.userDefinedMetadata != null)
        modelJSON.userDefinedMetadata = artifacts.userDefinedMetadata;
      const weights =
        artifacts.weightData === undefined ? new Uint8Array(0) : joinBuffers(artifacts.weightData);
      const specs = artifacts.weightSpecs ?? [];
      // Crash-safe: the old model or the new one, complete, whenever the process dies.
      await saveModelFiles('fileIO', dir, {
        json: path.basename(json),
        weightsFile: WEIGHTS_FILE,
        weights,
        text: (weightsPath) =>
          JSON.stringify({...modelJSON, weightsManifest: [{paths: [weightsPath], weights: specs}]}),
      });
      return {modelArtifactsInfo: io.getModelArtifactsInfoForJSON(artifacts)};
    },

    async load(): Promise<io.ModelArtifacts> {
      const place: FilePlace = {
        owner: 'fileIO',
        parameter: 'modelJSON',
        label: `model file ${json}`,
      };
      const root = await allowedFolder(place, dir, resolved.allowedRoot);
      const modelJSON = await readJsonFile(
        place,
        json,
        root,
        {bytes: resolved.maxJsonBytes, option: 'maxJsonBytes'},
        resolved.allowHardLinks,
      );
      return loadArtifacts(modelJSON, dir, root, resolved);
    },
  };
}

/**
 * The artifacts of a parsed `model.json` (what `fileIO(...).load()` returns after reading it):
 * validates it, then opens, checks and reads its weights files from `dir`, inside `root` (a real
 * path). With `options.weights` false the manifest is dropped unchecked and no file is read.
 */
export async function loadArtifacts(
  modelJSON: unknown,
  dir: string,
  root: string,
  options: ResolvedFileIOOptions,
): Promise<io.ModelArtifacts> {
  if (
    typeof modelJSON === 'object' &&
    modelJSON !== null &&
    !Array.isArray(modelJSON) &&
    !options.weights
  ) {
    // Topology only: the manifest is dropped and never reaches tfjs, so it is not checked.
    const {weightsManifest: _unused, ...topologyOnly} = modelJSON as Record<string, unknown>;
    void _unused;
    await checkModelJSON(topologyOnly, options.limits, {strict: true});
    return io.getModelArtifactsForJSON(topologyOnly as unknown as io.ModelJSON, async () => [
      [],
      new ArrayBuffer(0),
    ]);
  }
  const report = await checkModelJSON(modelJSON, options.limits, {strict: true});
  return io.getModelArtifactsForJSON(modelJSON as io.ModelJSON, async (manifest) => {
    const buffers = await readWeightFiles(dir, root, report.manifestGroups, options.allowHardLinks);
    return [manifest.flatMap((group) => group.weights), buffers];
  });
}

/** Refuses a weights path that is not a plain relative path below the model folder. */
function checkWeightsPath(place: FilePlace, dir: string, name: string): string {
  if (name.includes('\0')) throw refuse(place, 'its name contains a NUL byte');
  if (path.isAbsolute(name) || path.win32.isAbsolute(name))
    throw refuse(place, 'is an absolute path; weights paths are relative to the model folder');
  if (name.split(/[\\/]/).includes('..'))
    throw refuse(place, "contains '..'; weights paths must stay below the model folder");
  return path.join(dir, name);
}

/**
 * Opens every weights file of the manifest and checks it ({@link openChecked}: a regular file
 * inside `root`, one name, never named twice), then checks that the files of each group hold
 * exactly the bytes its weights need — all before reading any — and reads exactly those bytes.
 */
async function readWeightFiles(
  dir: string,
  root: string,
  groups: ReadonlyArray<{paths: string[]; bytes: number; place: string}>,
  hardLinks: boolean,
): Promise<ArrayBuffer[]> {
  const opened: Array<{file: OpenedFile; place: FilePlace}> = [];
  try {
    const seen = new Map<string, string>();
    for (const group of groups) {
      for (const [i, name] of group.paths.entries()) {
        const parameter = `${group.place}.paths[${i}]`;
        const label = `weights file ${describeValue(name)} in ${dir} (${parameter})`;
        const place: FilePlace = {owner: 'fileIO', parameter, label};
        const file = await openChecked(
          place,
          checkWeightsPath(place, dir, name),
          root,
          null,
          hardLinks,
        );
        opened.push({file, place});
        const other = seen.get(file.id);
        if (other !== undefined) throw refuse(place, `is the same file as ${other}`);
        seen.set(file.id, label);
      }
    }
    let k = 0;
    for (const group of groups) {
      const files = opened.slice(k, k + group.paths.length);
      k += group.paths.length;
      const held = files.reduce((n, f) => n + f.file.size, 0);
      if (held !== group.bytes) {
        const sizes = group.paths
          .slice(0, 4)
          .map((name, i) => `${describeValue(name)}: ${files[i].file.size}`)
          .join(', ');
        throw new InitializerError(
          'fileIO',
          group.place,
          `${group.place}: its files in ${dir} hold ${held} bytes ` +
            `(${sizes}${files.length > 4 ? ', ...' : ''}), but its ` +
            `weights need exactly ${group.bytes}`,
        );
      }
    }
    const buffers: ArrayBuffer[] = [];
    for (const {file, place} of opened)
      buffers.push((await readExactly(place, file, file.size)).buffer as ArrayBuffer);
    return buffers;
  } finally {
    await Promise.all(opened.map(({file}) => file.handle.close()));
  }
}
