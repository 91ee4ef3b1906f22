/**
 * `tfjs-initializers/tools`: model-level tools around initialization — re-initializing a model,
 * initializing it by rule, LSUV, signal/gradient diagnostics and their reports, static inspection
 * of `model.json` files,
 * and validation of untrusted model files. Charts in the HTML report need the optional peers
 * `vega` and `vega-lite`; everything else needs only tfjs. Importing it registers every
 * initializer, like the main entry.
 *
 * @packageDocumentation
 */
import '../index';

// Re-initializing.
export {reinitialize, type ReinitializeOptions, type ReinitializedWeight} from './reinitialize';
export {lsuv, type LsuvOptions, type LsuvLayerReport, type LsuvProgress} from './lsuv';

// Initializing a model by rule (PyTorch's `net.apply(weights_init)`).
export {
  applyInitializers,
  type ApplyInitializersOptions,
  type AppliedInitializer,
  type InitializerChooser,
} from './apply-initializers';
export type {InitializerRule} from './initializer-rules';
export type {InitializerSpec, SerializedInitializer} from './initializer-spec';
export {WEIGHT_ROLES, type WeightRole} from './weight-roles';

// Diagnostics: measure a forward and backward pass, judge it, report it.
export {
  analyzeInitialization,
  type AnalyzeOptions,
  type AnalysisLoss,
  type AnalysisProgress,
} from './analyze';
export type {GroupedValue} from './stats';
export {planAnalysis, type AnalysisPlan, type PlanAnalysisOptions} from './plan-analysis';
export {DEFAULT_THRESHOLDS} from './findings';
export type {
  InitializationReport,
  LayerDiagnostics,
  Finding,
  FindingKind,
  Thresholds,
} from './diagnostics';
export {renderTextReport} from './report-text';
export {renderHtmlReport, type HtmlReportOptions} from './report-html';

// Static inspection of a model.json.
export {
  inspectModel,
  type Inspection,
  type InitializerEntry,
  type Problem,
  type ProblemKind,
} from './inspect';

// Untrusted model files.
export {
  validateModelJSON,
  type ValidateModelJSONOptions,
  type ModelJSONReport,
  type PlannedWeight,
} from './untrusted/validate';
export {loadLayersModelSafely, type LoadSafelyOptions} from './untrusted/load-safely';
export {DEFAULT_MODEL_JSON_LIMITS, type ModelJSONLimits} from './untrusted/limits';
