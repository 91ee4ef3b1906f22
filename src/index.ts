/**
 * tfjs-initializers: weight initializers for TensorFlow.js, registered with `tf.serialization`.
 * Importing this module registers every class it exports (a declared side effect).
 *
 * @packageDocumentation
 */
export {InitializerError} from './errors';
export {MAX_SEED} from './options';
export {MAX_ELEMENTS} from './tensor-args';
export {calculateGain, computeFans, NONLINEARITIES, type Fans, type Nonlinearity} from './fans';
export {setSeed, getSeed, deriveSeed, getDrawCount} from './random/seed';
export {fillUniform, fillNormal, fillTruncatedNormal} from './random/samplers';
export {useSimd} from './random/wasm';
export {register, registeredNames, TFJS_BUILTIN_NAMES} from './registry';
export {BaseInitializer} from './initializers/base';
/** tfjs-layers' `Initializer` base type, which tfjs does not export publicly: type your own fields with it. */
export type {Initializer} from '@tensorflow/tfjs-layers/dist/initializers';
export {scaledVariance, type FanMode, type Scaling, type ScalingDistribution} from './initializers/variance-scaling';
export {XavierUniformCustom, xavierUniformCustom, type XavierUniformCustomArgs} from './initializers/xavier';
export {SparseInit, sparseInit, zerosPerRow, type SparseInitArgs} from './initializers/sparse';
export {ZeroBias, zeroBias, type ZeroBiasArgs} from './initializers/zero-bias';
