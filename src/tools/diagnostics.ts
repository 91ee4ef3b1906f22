/**
 * The shapes of an initialization analysis (what `analyzeInitialization` measures and finds), kept
 * apart from the code that computes and judges them so that both import them and not each other.
 */
import type {Histogram} from './stats';

/** Kinds of problem the analysis reports. */
export type FindingKind =
  | 'vanishingSignal'
  | 'explodingSignal'
  | 'vanishingGradient'
  | 'explodingGradient'
  | 'symmetricUnits'
  | 'deadUnits'
  | 'saturation'
  | 'noGradient'
  | 'nonFinite';

/** One problem, in plain language. */
export interface Finding {
  kind: FindingKind;
  /** The layer concerned, or the first and last layer of a trend. */
  layers: string[];
  message: string;
}

/** When a measurement becomes a finding. */
export interface Thresholds {
  /** A std that changes by more than this factor across the weighted layers is a trend. Default 4. */
  ratio: number;
  /**
   * ...or by more than this factor per layer on average (a steady drift), when it changes by 2×
   * overall. Default 1.25.
   */
  perLayer: number;
  /** Fraction of dead units in a layer that is reported. Default 0.25. */
  dead: number;
  /** Fraction of saturated outputs in a layer that is reported. Default 0.2. */
  saturated: number;
}

/** What one layer does to the signal on the batch. */
export interface LayerDiagnostics {
  /** Layer path (`'encoder/dense_1'` inside a nested model). */
  name: string;
  className: string;
  /** Activation the layer applies (`'relu'`, `'tanh'`, `'linear'`), null if it applies none. */
  activation: string | null;
  /** Size of the output's last axis (units, filters, features). */
  units: number;
  /** Whether the layer has a kernel that maps inputs to its units. */
  weighted: boolean;
  /**
   * Whether the layer's output is a point of the signal whose level the trend rules follow: the
   * output of a nonlinearity, or of a linear layer that is not normalized before one (see
   * `signalPlaces`). Convolutions followed by batch normalization are not.
   */
  signal: boolean;
  /**
   * The layer (or `input i`) that starts the stretch without normalization this layer is in; trends
   * are judged per stretch.
   */
  stretch: string;
  activationMean: number;
  activationStd: number;
  /** Fraction of outputs within 1% of a saturating activation's bounds (tanh, sigmoid, softsign), else null. */
  saturated: number | null;
  /** Fraction of units that output exactly 0 on every example (ReLU family), else null. */
  dead: number | null;
  /** Std of the back-propagated gradient ∂loss/∂output; null when no gradient reaches the output. */
  gradientStd: number | null;
  /** Name of the weight whose gradient is reported, null for layers without trainable weights. */
  weight: string | null;
  /** Std of ∂loss/∂weight for that weight (its kernel). */
  weightGradientStd: number | null;
  /** Std of that weight's values. */
  weightStd: number | null;
  /** Groups of ≥ 2 units with identical incoming weights and bias (Dense and Conv layers). */
  symmetricGroups: number[][];
  /** True when every such group also receives identical weight gradients: the units can never become different. */
  symmetryStuck: boolean;
  /**
   * Units whose incoming weights are all exactly 0 while others' are not (dead filters, e.g. pruned
   * by training): they output a constant. A layer whose every unit is zero is reported as one
   * symmetric group instead (the zero-initialization failure).
   */
  zeroUnits: number[];
  /** True when those units also receive an all-zero weight gradient: they stay dead. */
  zeroUnitsStuck: boolean;
  activationHistogram: Histogram;
  gradientHistogram: Histogram | null;
}

/** Everything {@link analyzeInitialization} found. */
export interface InitializationReport {
  model: string;
  batchSize: number;
  /** Whether layers ran as in a training step (batch statistics, dropout on). */
  training: boolean;
  /** The tfjs backend the pass ran on. */
  backend: string;
  /** The loss that was back-propagated, and its value. */
  loss: {name: string; value: number};
  layers: LayerDiagnostics[];
  findings: Finding[];
}
