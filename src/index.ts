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
// The catalogue (issue 4): the variance-scaling core and its presets, random, orthogonal,
// identity-like and ZerO initializers, PyTorch-style in-place functions, fixed tfjs built-ins.
export {
  VarianceScalingInit, varianceScalingInit, FAN_MODES, SCALING_DISTRIBUTIONS, TRUNCATED_STD_RATIO, type VarianceScalingInitArgs,
} from './initializers/variance-scaling';
export {XavierNormal, xavierNormal, type XavierNormalArgs} from './initializers/xavier';
export {LecunNormal, LecunUniform, lecunNormal, lecunUniform, type LecunArgs} from './initializers/lecun';
export {Uniform, Normal, TruncNormal, uniform, normal, truncNormal, type UniformArgs, type NormalArgs, type TruncNormalArgs} from './initializers/random';
export {DeltaOrthogonal, deltaOrthogonal, type DeltaOrthogonalArgs} from './initializers/delta-orthogonal';
export {Eye, IdentityInitializer, Dirac, eye, identityInitializer, dirac, type EyeArgs, type DiracArgs} from './initializers/identity';
export {centreIndex, type CentreTap} from './initializers/centre-tap';
export {ZerO, zerO, type ZerOArgs} from './initializers/zer-o';
export {
  uniform_, normal_, truncNormal_, constant_, ones_, zeros_, eye_, dirac_, xavierUniform_, xavierNormal_, kaimingUniform_,
  kaimingNormal_, orthogonal_, sparse_, deltaOrthogonal_, zerO_, type Writable, type SeedOption,
} from './in-place';
export {useFixedBuiltins, restoreBuiltins} from './builtins/use-fixed';
export {useLinalgSimd} from './linalg/workspace';
// Reliability (issue 6): untrusted model files, option magnitudes, scoped seeds.
export {MAX_MAGNITUDE} from './options';
export {validateModelJSON, type ValidateModelJSONOptions, type ModelJSONReport, type PlannedWeight} from './untrusted/validate';
export {loadLayersModelSafely, type LoadSafelyOptions} from './untrusted/load-safely';
export {DEFAULT_MODEL_JSON_LIMITS, type ModelJSONLimits} from './untrusted/limits';
export {RESERVED_NAMES} from './untrusted/scan';
export {withSeed} from './random/seed';
