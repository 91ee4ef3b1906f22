/**
 * Node-only helpers: `import {fileIO, selectBackend} from 'tfjs-initializers/node'`.
 * Also registers every initializer, like the main entry.
 *
 * @packageDocumentation
 */
export * from './index';
export {fileIO, type FileIOOptions} from './node/file-io';
export {selectBackend, type BackendChoice, type BackendName} from './node/backend';
