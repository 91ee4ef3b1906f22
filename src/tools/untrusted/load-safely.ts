import {io} from '@tensorflow/tfjs-core';
import {loadLayersModel, type LayersModel} from '@tensorflow/tfjs-layers';
import {InitializerError, describeValue, fail} from '../../core/errors';
import type {ModelJSONLimits} from './limits';
import {validateModelJSON} from './validate';

/** Options of {@link loadLayersModelSafely}: the limits of {@link validateModelJSON}, and tfjs's `strict`. */
export interface LoadSafelyOptions extends ModelJSONLimits {
  /** As in `tf.loadLayersModel`: require every weight in the file to be used. Default true. */
  strict?: boolean;
}

function handlerFor(source: unknown): io.IOHandler {
  if (typeof source === 'string') {
    const handlers = io.getLoadHandlers(source);
    if (handlers.length !== 1) {
      throw new InitializerError('loadLayersModelSafely', 'source', `no single tfjs IO handler loads ${describeValue(source)} (found ${handlers.length}); pass a handler, e.g. fileIO(path) or tf.io.http(url)`);
    }
    return handlers[0];
  }
  if (typeof source !== 'object' || source === null || typeof (source as io.IOHandler).load !== 'function') {
    fail('loadLayersModelSafely', 'source', 'a URL string or a tfjs IOHandler with a load() method (fileIO(path), tf.io.http(url), ...)', source);
  }
  return source as io.IOHandler;
}

/**
 * `tf.loadLayersModel` for files you did not write: loads the artifacts with the handler, runs
 * {@link validateModelJSON} on the topology and weight specs (a dry build that allocates
 * nothing), checks the weight data is no larger than the specs declare, and only then lets tfjs
 * build the model. A hostile or corrupted file is rejected with an {@link InitializerError} before
 * any weight is allocated.
 *
 * The handler's own `load()` runs first and may read the weight files (tf.io.http downloads them):
 * that memory is the files' size. `fileIO` checks the model JSON and the files' sizes before it
 * reads a byte of weights.
 *
 * @param source a tfjs IOHandler (`fileIO(path)`, `tf.io.http(url)`, `tf.io.browserFiles(...)`) or
 * a URL string tfjs has a handler for (`https://...`, `indexeddb://...`, `localstorage://...`).
 * @example
 * ```ts
 * const model = await loadLayersModelSafely(tf.io.http('https://example.com/model.json'), {maxTotalElements: 20e6});
 * ```
 * @see docs/untrusted-models.md.
 */
export async function loadLayersModelSafely(source: io.IOHandler | string, options: LoadSafelyOptions = {}): Promise<LayersModel> {
  const handler = handlerFor(source);
  if (typeof options !== 'object' || options === null) fail('loadLayersModelSafely', 'options', 'an object', options);
  const {strict = true, ...limits} = options;
  if (typeof strict !== 'boolean') fail('loadLayersModelSafely', 'strict', 'true or false', strict);
  const artifacts = await (handler.load as () => Promise<io.ModelArtifacts>)();
  if (typeof artifacts !== 'object' || artifacts === null || typeof artifacts.modelTopology !== 'object' || artifacts.modelTopology instanceof ArrayBuffer) {
    throw new InitializerError('loadLayersModelSafely', 'modelTopology', 'the handler returned no LayersModel topology (a JSON object)');
  }
  const json: Record<string, unknown> = {modelTopology: artifacts.modelTopology};
  if (artifacts.weightSpecs !== undefined) json.weightsManifest = [{paths: [], weights: artifacts.weightSpecs}];
  const report = await validateModelJSON(json, limits);
  const data = artifacts.weightData;
  const bytes = data === undefined ? 0 : Array.isArray(data) ? data.reduce((n, b) => n + b.byteLength, 0) : data.byteLength;
  if (report.manifestBytes !== null && bytes > report.manifestBytes) {
    throw new InitializerError('loadLayersModelSafely', 'weightData', `the weight data has ${bytes} bytes, more than the ${report.manifestBytes} its weight specs declare`);
  }
  return loadLayersModel({load: async () => artifacts}, {strict});
}
