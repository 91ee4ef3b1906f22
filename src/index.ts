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
export {KaimingUniform, KaimingNormal, kaimingUniform, kaimingNormal, type KaimingArgs, type KaimingNonlinearity} from './initializers/kaiming';
export {OrthogonalInitializer, orthogonalInitializer, fillOrthogonal, type OrthogonalArgs} from './initializers/orthogonal';
// Model-level tools: reinitialize, LSUV, diagnostics and their reports, model.json inspection.
export {reinitialize, type ReinitializeOptions, type ReinitializedWeight} from './model/reinitialize';
export {lsuv, LSUV_LAYER_CLASSES, type LsuvOptions, type LsuvLayerReport, type LsuvProgress} from './model/lsuv';
export {analyzeInitialization, type AnalyzeOptions, type AnalysisLoss, type LayerDiagnostics, type InitializationReport} from './model/analyze';
export {findProblems, DEFAULT_THRESHOLDS, type Finding, type FindingKind, type Thresholds} from './model/findings';
export {formatReport} from './model/report-text';
export {renderHtmlReport, type HtmlReportOptions} from './model/report-html';
export {histogramChart, layerChart, renderSvg, type HistogramSeries, type LayerValue} from './model/charts';
export {inspectModel, type Inspection, type InitializerEntry, type Problem, type ProblemKind} from './model/inspect';
export {kernelVariance} from './model/kernel-variance';
