import {io} from '@tensorflow/tfjs-core';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {InitializerError, describeValue, fail} from '../../core/errors';
import {ownProperties} from '../../core/own';
import type {ModelJSONLimits} from './limits';
import {checkModelJSON} from './validate';
import {loadCheckedArtifacts} from './load-artifacts';

/** Options of {@link loadLayersModelSafely}: the limits of {@link validateModelJSON}, and tfjs's `strict`. */
export interface LoadSafelyOptions extends ModelJSONLimits {
  /** As in `tf.loadLayersModel`: require every weight in the file to be used. Default true. */
  strict?: boolean;
}

function handlerFor(source: unknown): io.IOHandler {
  if (typeof source === 'string' && /^file:\/\//i.test(source)) {
    // tfjs-node's file handler follows links and reads special files; fileIO checks them.
    throw new InitializerError(
      'loadLayersModelSafely',
      'source',
      `${describeValue(source)} is a local file: pass fileIO(path) ` +
        `from tfjs-initializers/node, which checks the files before ` +
        `reading them`,
    );
  }
  if (typeof source === 'string') {
    const handlers = io.getLoadHandlers(source);
    if (handlers.length !== 1) {
      throw new InitializerError(
        'loadLayersModelSafely',
        'source',
        `no single tfjs IO handler loads ${describeValue(source)} ` +
          `(found ${handlers.length}); pass a handler, e.g. ` +
          `fileIO(path) or tf.io.http(url)`,
      );
    }
    return handlers[0];
  }
  if (
    typeof source !== 'object' ||
    source === null ||
    typeof (source as io.IOHandler).load !== 'function'
  ) {
    fail(
      'loadLayersModelSafely',
      'source',
      'a URL string or a tfjs IOHandler with a load() method (fileIO(path), tf.io.http(url), ...)',
      source,
    );
  }
  return source as io.IOHandler;
}

/**
 * `tf.loadLayersModel` for files you did not write: loads the artifacts with the handler, runs
 * {@link validateModelJSON} on everything tfjs's loader will use (topology, weight specs, training
 * config, metadata: a dry build that allocates nothing, then the specs paired with the planned
 * weights by name, shape and dtype), checks the weight data has exactly the bytes the specs need,
 * and only then lets tfjs build the model. A hostile or corrupted file is rejected with an
 * {@link InitializerError} before any weight is allocated; with `strict: false` weights may be
 * missing from the specs (their initializers run) and specs may name no weight, as in tfjs.
 *
 * The handler's own `load()` runs first and may read the weight files (tf.io.http downloads them):
 * that memory is the files' size. `fileIO` checks the model JSON, the files themselves (regular
 * files inside the model folder) and their sizes before it reads a byte of weights. A `file://`
 * URL is refused: pass `fileIO(path)` instead.
 *
 * @param source a tfjs IOHandler (`fileIO(path)`, `tf.io.http(url)`, `tf.io.browserFiles(...)`) or
 * a URL string tfjs has a handler for (`https://...`, `indexeddb://...`, `localstorage://...`).
 * @example
 * ```ts
 * const model = await loadLayersModelSafely(tf.io.http('https://example.com/model.json'), {maxTotalElements: 20e6});
 * ```
 * @see docs/untrusted-models.md.
 */
export async function loadLayersModelSafely(
  source: io.IOHandler | string,
  options: LoadSafelyOptions = {},
): Promise<LayersModel> {
  const handler = handlerFor(source);
  if (typeof options !== 'object' || options === null)
    fail('loadLayersModelSafely', 'options', 'an object', options);
  const {strict = true, ...limits} = ownProperties(options);
  if (typeof strict !== 'boolean') fail('loadLayersModelSafely', 'strict', 'true or false', strict);
  const artifacts = await (handler.load as () => Promise<io.ModelArtifacts>)();
  if (
    typeof artifacts !== 'object' ||
    artifacts === null ||
    typeof artifacts.modelTopology !== 'object' ||
    artifacts.modelTopology instanceof ArrayBuffer
  ) {
    throw new InitializerError(
      'loadLayersModelSafely',
      'modelTopology',
      'the handler returned no LayersModel topology (a JSON object)',
    );
  }
  // Everything tfjs's loader will use: the topology, the weight specs, the training config and the metadata.
  const json: Record<string, unknown> = {modelTopology: artifacts.modelTopology};
  const hasData = artifacts.weightData !== undefined && artifacts.weightData !== null;
  if (hasData || (artifacts.weightSpecs !== undefined && artifacts.weightSpecs !== null))
    json.weightsManifest = [{paths: [], weights: artifacts.weightSpecs ?? []}];
  if (artifacts.trainingConfig !== undefined) json.trainingConfig = artifacts.trainingConfig;
  if (artifacts.userDefinedMetadata !== undefined)
    json.userDefinedMetadata = artifacts.userDefinedMetadata;
  const report = await checkModelJSON(json, limits, {strict});
  if (hasData) {
    const data = artifacts.weightData as io.WeightData;
    const bytes = Array.isArray(data)
      ? data.reduce((n, b) => n + b.byteLength, 0)
      : data.byteLength;
    if (bytes !== report.manifestBytes) {
      throw new InitializerError(
        'loadLayersModelSafely',
        'weightData',
        `the weight data has ${bytes} bytes, but its weight specs need exactly ${report.manifestBytes}`,
      );
    }
  }
  return loadCheckedArtifacts(artifacts, strict);
}
