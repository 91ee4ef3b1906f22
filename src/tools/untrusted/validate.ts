import {engine, tidy} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {describeValue, fail} from '../../core/errors';
import {ownProperties} from '../../core/own';
import {backendFreeBytes, formatBytes} from '../../core/capacity';
import {checkManifest, type ManifestEntry, type ManifestGroup} from './manifest';
import {checkOptimizerWeights, disposeOptimizer} from './optimizer-weights';
import {matchManifest} from './manifest-match';
import {dryBuild, type PlannedWeight} from './dry-build';
import {resolveLimits, type ModelJSONLimits} from './limits';
import {invalid, scanJson} from './scan';
import {checkTopology, locateTopology} from './topology';

export type {PlannedWeight};

/** Options of {@link validateModelJSON}: the limits, and whether to dry-build. */
export interface ValidateModelJSONOptions extends ModelJSONLimits {
  /**
   * Build the model with tfjs, allocating nothing, to learn every weight's exact shape (default
   * true). With false only the file itself is checked (no tfjs code runs): enough for tools that
   * read a file without loading it, such as `inspectModel`.
   */
  build?: boolean;
}

/** What {@link validateModelJSON} found in a file it accepted. */
export interface ModelJSONReport {
  /** `Sequential`, `Model` or `Functional`. */
  modelClass: string;
  /** Layers, nested models and wrapped layers included. */
  layers: number;
  /** Every weight tfjs will create, in creation order (empty with `build: false`). */
  weights: PlannedWeight[];
  /** Their elements, summed. */
  weightElements: number;
  /** Upper bound on the elements of stateful RNN states tfjs allocates at build time (0 if none). */
  stateElements: number;
  /** Bytes the manifest's weights files must hold, exactly; null without a manifest. */
  manifestBytes: number | null;
  /** Per manifest group: its files and the bytes they must hold together, exactly (empty without a manifest). */
  manifestGroups: ManifestGroup[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compiles the dry-built model from the file's `trainingConfig` as tfjs's loader does
 * (`loadTrainingConfig`: optimizer, loss and metrics by name), so that a config tfjs cannot
 * compile is refused now rather than after tfjs has created every weight, and checks the file's
 * optimizer weights against the optimizer it creates ({@link checkOptimizerWeights}). Whatever the
 * compile creates (the optimizer and its few scalars) is disposed, also when it fails.
 */
function dryCompile(
  model: LayersModel,
  trainingConfig: unknown,
  optimizerEntries: readonly ManifestEntry[],
): void {
  if (!isObject(trainingConfig))
    throw invalid(
      'trainingConfig',
      `must be an object (loss, metrics, optimizer_config). Received: ${describeValue(trainingConfig)}`,
    );
  const variables = engine().state.registeredVariables;
  const before = new Set(Object.keys(variables));
  try {
    try {
      tidy(() => {
        model.loadTrainingConfig(JSON.parse(JSON.stringify(trainingConfig)) as never);
      });
    } catch (e) {
      throw invalid(
        'trainingConfig',
        `tfjs could not compile the model from it: ${(e as Error).message.split('\n')[0]}`,
      );
    }
    checkOptimizerWeights(optimizerEntries, model.optimizer as never);
  } finally {
    // compile takes the optimizer before it checks the loss, so it is there even when compile failed.
    disposeOptimizer(model.optimizer);
    for (const name of Object.keys(variables)) if (!before.has(name)) variables[name].dispose();
  }
}

/** Bytes per element of each dtype a weight may have. */
const DTYPE_BYTES: Readonly<Record<string, number>> = {bool: 1, complex64: 8};

/**
 * On a backend with a fixed heap (wasm: 4 GiB at most, for every tensor together), refuses a model
 * whose load cannot fit in what is left of it: its weights and states, twice over when the file
 * has weights (tfjs creates every variable, then decodes the file's values beside them before it
 * assigns them). tfjs would otherwise fail seconds and gigabytes later with a raw RangeError, or
 * leave the backend broken half-way through the model.
 */
function checkHeap(report: ModelJSONReport, hasWeights: boolean, path: string): void {
  const free = backendFreeBytes();
  if (!Number.isFinite(free)) return;
  const bytes =
    report.weights.reduce((n, w) => n + w.elements * (DTYPE_BYTES[w.dtype] ?? 4), 0) +
    4 * report.stateElements;
  const need = hasWeights ? 2 * bytes : bytes;
  if (need > free)
    throw invalid(
      path,
      `loading the model on the wasm backend needs about ${formatBytes(need)} of its heap ` +
        `(${formatBytes(bytes)} of weights and states${hasWeights ? ', twice while the file is read' : ''}), ` +
        `more than the ${formatBytes(free)} left of the 4 GiB it can have`,
    );
}

/** How the weights manifest must pair with the model's weights: tfjs's `strict` (default true). */
export interface MatchOptions {
  strict: boolean;
}

/**
 * {@link validateModelJSON} with the pairing rule of the loader that will use the file:
 * `strict: false` (as `tf.loadLayersModel(..., {strict: false})`) lets weights be missing from the
 * manifest and entries name no weight; every entry that does name one must still fit it.
 */
export async function checkModelJSON(
  json: unknown,
  options: ValidateModelJSONOptions,
  match: MatchOptions,
): Promise<ModelJSONReport> {
  const {build = true, ...rest} = ownProperties(options ?? {}) as ValidateModelJSONOptions;
  if (typeof build !== 'boolean') fail('validateModelJSON', 'build', 'true or false', build);
  const limits = resolveLimits('validateModelJSON', rest);
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalid(
      '',
      `must be a JSON object (a tfjs model.json or a model topology). Received: ${describeValue(json)}`,
    );
  }
  scanJson(json, limits);
  const root = json as Record<string, unknown>;
  const summary = checkTopology(root, limits);
  const manifest = checkManifest(root.weightsManifest, limits);
  // tfjs's loader hands these to the model it has just built; what it would refuse is refused now.
  if (
    root.userDefinedMetadata !== undefined &&
    root.userDefinedMetadata !== null &&
    !isObject(root.userDefinedMetadata)
  ) {
    throw invalid(
      'userDefinedMetadata',
      `must be a JSON object. Received: ${describeValue(root.userDefinedMetadata)}`,
    );
  }
  const report: ModelJSONReport = {
    modelClass: summary.modelClass,
    layers: summary.layers,
    weights: [],
    weightElements: 0,
    stateElements: 0,
    manifestBytes: manifest.bytes,
    manifestGroups: manifest.groups,
  };
  if (!build) return report;
  const {topology, path} = locateTopology(root);
  const {weights, stateElements, model} = await dryBuild(topology, path, limits, 0);
  report.weights = weights;
  report.weightElements = weights.reduce((n, w) => n + w.elements, 0);
  report.stateElements = stateElements;
  checkHeap(report, manifest.bytes !== null, path);
  const hasTrainingConfig = root.trainingConfig !== undefined && root.trainingConfig !== null;
  if (manifest.bytes !== null)
    matchManifest(model, manifest.entries, {strict: match.strict, hasTrainingConfig});
  if (hasTrainingConfig)
    dryCompile(
      model,
      root.trainingConfig,
      manifest.entries.filter((e) => e.group === 'optimizer'),
    );
  return report;
}

/**
 * Checks a `model.json` (or a bare topology) from an untrusted source **before** tfjs loads it, so
 * that a hostile or corrupted file fails with a clear `InitializerError` instead of polluting
 * prototypes, reaching `Object.prototype` members through tfjs's name lookups, or allocating
 * gigabytes. In order:
 *
 * 1. the whole file: only JSON values, finite numbers, nesting ≤ `maxDepth`, and no key or string
 *    that names an `Object.prototype` member (`__proto__`, `constructor`, `prototype`, `toString`,
 *    ..., also as tfjs's camel-casing of a snake_case name);
 * 2. the topology: a Sequential or functional model whose layers have class names and config
 *    objects; counts (`units`, `filters`, `input_dim`, ...), kernel sizes, strides and input
 *    shapes are integers ≥ 1 (no strings, null, fractions or negatives), at most `maxLayers` layers;
 * 3. the weights manifest, if any: shapes of integers ≥ 0, dtypes and quantizations tfjs decodes
 *    (so each weight's byte size is known), sizes within the limits, at most `maxWeightFiles`
 *    files, none named twice;
 * 4. unless `build: false`, a dry build: tfjs builds the model with weight creation replaced by a
 *    size check, so every weight's exact shape is known and checked against `maxWeightElements`
 *    and `maxTotalElements` before a single weight exists (stateful RNN states are bounded too);
 * 5. then the manifest against the weights the dry build planned, paired by name as tfjs's loader
 *    pairs them: each weight listed exactly once with its exact shape and dtype, no entry left
 *    over, no name twice; and a `trainingConfig` compiled on the dry-built model, as tfjs will.
 *
 * `report.manifestBytes` and `report.manifestGroups` then say exactly how many bytes the weights
 * files must hold; the loaders refuse any other size.
 *
 * Never modifies its argument. Resolves to a report of what the model will allocate; rejects with
 * an InitializerError whose `parameter` is the place in the file (`modelTopology.config.layers[0].config.units`).
 * What it cannot promise is in docs/untrusted-models.md (custom layers that allocate outside
 * `addWeight`, memory used when the model runs, Sequential models saved without an input shape).
 *
 * @example
 * ```ts
 * const json = JSON.parse(await fs.readFile('model.json', 'utf8'));
 * const report = await validateModelJSON(json, {maxTotalElements: 50e6});
 * console.log(report.weightElements);       // parameters the model will allocate
 * ```
 * @see `loadLayersModelSafely`, which runs it on whatever an IO handler loads; `fileIO` runs it too.
 */
export async function validateModelJSON(
  json: unknown,
  options: ValidateModelJSONOptions = {},
): Promise<ModelJSONReport> {
  return checkModelJSON(json, options, {strict: true});
}
