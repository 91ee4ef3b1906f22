/**
 * `tfjs-initializers/node`: Node-only helpers — a file handler for `model.save` and
 * `tf.loadLayersModel` that needs only `@tensorflow/tfjs`, and backend selection (tfjs-node when
 * installed, else WASM, else CPU). Importing it registers every initializer, like the main entry.
 *
 * @packageDocumentation
 */
import '../index';

export {fileIO, type FileIOOptions} from './file-io';
export {
  selectBackend,
  type BackendChoice,
  type BackendName,
  type SelectBackendOptions,
} from './backend';
