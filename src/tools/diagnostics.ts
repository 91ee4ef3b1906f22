/**
 * The shapes of an initialization analysis (what `analyzeInitialization` measures and finds), kept
 * apart from the code that computes and judges them so that both import them and not each other.
 */
import type {GroupedValue, Histogram} from './stats';

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
  /**
   * For findings measured on random inputs (trends, saturation): the measured quantity in each
   * group of examples of the batch (a trend's factor, a saturated fraction). The finding is only
   * reported when every group crosses the threshold.
   */
  byGroup?: number[];
}

/** When a measurement becomes a finding. */
export interface Thresholds {
  /**
   * A signal level (RMS of the pre-activations along a stretch, or of their gradients) that changes
   * by at least this factor between the stretch's start and a later point is vanishing or exploding.
   * Default 64: standard schemes that do not match the activation (Glorot or LeCun before ReLU, tfjs's
   * short truncated normal) lose at most √2 per layer, which trains; 64× is what such a mismatch
   * compounds to after 12 layers (He et al. 2015 trained 22 but not 30 such layers).
   */
  ratio: number;
  /**
   * ...or by at least this factor per weighted layer (geometric mean) over 3 or more weighted layers:
   * a scheme off by this much in every layer. Default 2, beyond the √2 of any standard mismatch.
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
  /** Weighted layers from the start of the stretch to this layer, this one included. */
  depth: number;
  /** The layers whose outputs it reads (`input i` for model input i), in the order it was wired. */
  inputs: string[];
  /**
   * How the report marks the layer: a normalization, a residual sum (branches that share an
   * ancestor), another join (concatenated branches, joined inputs), or nothing.
   */
  mark: 'normalization' | 'residual' | 'join' | null;
  /**
   * The level the trend rules follow, over the batch and per group of examples: the RMS of the
   * layer's pre-activation (the input of its nonlinearity) when it applies a scale-sensitive one
   * (tanh, sigmoid, ELU, ReLU6, ...), else of its output (ReLU, LeakyReLU, linear, no activation).
   */
  level: GroupedValue;
  /** The RMS of ∂loss/∂(that signal), likewise; null when no gradient reaches it. */
  gradientLevel: GroupedValue | null;
  /**
   * Positions per example and channel of the output (H·W of an image, 1 of a Dense layer). A
   * gradient's RMS changes with the resolution by design (a max pooling's backward pass puts each
   * gradient on one of k positions: RMS ÷ √k), so gradient trends compare layers of one resolution.
   */
  positions: number;
  activationMean: number;
  activationStd: number;
  /**
   * Fraction of outputs within 1% of a saturating activation's bounds (tanh, sigmoid, softsign), or
   * of a softmax's rows that are one-hot (largest probability ≥ 0.99); else null.
   */
  saturated: number | null;
  /** The same fraction in each group of examples, else null. */
  saturatedByGroup: number[] | null;
  /**
   * Fraction of dead units of a ReLU-family layer, else null: units whose pre-activation stays below
   * zero on every row by more than the std of the layer's pre-activations (or that output exactly 0
   * everywhere, where the pre-activation is not at hand) — switched off by their weights, not by
   * the chance of the batch. Null on fewer than 12 rows, and when the layer's input barely varies
   * across rows (a Dense layer after a global average of random noise sees one point).
   */
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
  /**
   * What the weights are: `'fresh'`, drawn by the layers' initializers (what the analysis is for), or
   * `'trained'` (e.g. read from a model's weights files), in which case the findings describe the
   * trained weights and say so.
   */
  weights: 'fresh' | 'trained';
  /** The seed of the random inputs' direction and of dropout. */
  seed: number;
  batchSize: number;
  /** Groups of consecutive examples whose measurements must each cross a threshold for a finding. */
  groups: number;
  /** Whether layers ran as in a training step (batch statistics, dropout on). */
  training: boolean;
  /** The tfjs backend the pass ran on. */
  backend: string;
  /** The loss that was back-propagated, and its value. */
  loss: {name: string; value: number};
  layers: LayerDiagnostics[];
  findings: Finding[];
}
