/**
 * tfjs-initializers: weight initializers for TensorFlow.js, registered with `tf.serialization`.
 *
 * This entry point depends on nothing but tfjs: the initializers, seeding, gains and fans, the
 * PyTorch-style in-place functions and the fixed tfjs built-ins. Model tools live in
 * `tfjs-initializers/tools`, Node file IO in `tfjs-initializers/node`. Importing this module
 * registers every class it exports (a declared side effect). Naming rule: docs/api.md.
 *
 * @packageDocumentation
 */
import './core/tfjs-check';
// tfjs's own Orthogonal (every LSTM/GRU's default): one patch, seeded by setSeed, and it runs with
// tfjs-core + tfjs-layers alone.
import './initializers/builtins/orthogonal-builtin';
// While a seed is set, tfjs's own random initializers draw from the seeded stream (docs/seeding.md).
import './initializers/builtins/seeded-builtins';
// An unknown initializer name in a layer config gets our error, with the nearest names.
import './initializers/unknown-name-hook';
// While a seed is set, the rest of a training run draws from it too: random ops, fit and tf.data shuffles.
import './random/tfjs';

// Errors, and tfjs's Initializer type for your own declarations.
export {InitializerError} from './core/errors';
export type {Initializer} from './core/tfjs';

// Seeding: one call makes a whole script reproducible, tfjs's own initializers included (docs/seeding.md).
export {setSeed, clearSeed, getSeed, withSeed, deriveSeed, getDrawCount} from './random/seed';

// Gains and fans.
export {calculateGain, computeFans, type Fans, type FanAxes, type Nonlinearity} from './fans';
export type {Axes} from './core/options';

// The seed document's three initializers.
export {
  XavierUniformCustom,
  xavierUniformCustom,
  XavierNormal,
  xavierNormal,
  type XavierArgs,
} from './initializers/xavier';
export {SparseInit, sparseInit, type SparseInitArgs} from './initializers/sparse';
export {ZeroBias, zeroBias, type ZeroBiasArgs} from './initializers/zero-bias';

// Variance scaling: the core and its presets.
export {
  VarianceScalingInitializer,
  varianceScalingInitializer,
  type VarianceScalingInitializerArgs,
  type FanArgs,
  type FanMode,
  type ScalingDistribution,
} from './initializers/variance-scaling';
export {
  KaimingUniform,
  KaimingNormal,
  kaimingUniform,
  kaimingNormal,
  type KaimingArgs,
} from './initializers/kaiming';
export {
  LecunUniform,
  LecunNormal,
  lecunUniform,
  lecunNormal,
  type LecunArgs,
} from './initializers/lecun';

// Plain random draws with absolute parameters.
export {
  Uniform,
  Normal,
  TruncNormal,
  uniform,
  normal,
  truncNormal,
  type UniformArgs,
  type NormalArgs,
  type TruncNormalArgs,
} from './initializers/random';

// Orthogonal and structured schemes.
export {
  OrthogonalInitializer,
  orthogonalInitializer,
  type OrthogonalInitializerArgs,
} from './initializers/orthogonal';
export {
  DeltaOrthogonal,
  deltaOrthogonal,
  type DeltaOrthogonalArgs,
} from './initializers/delta-orthogonal';
export {Eye, Dirac, eye, dirac, type EyeArgs, type DiracArgs} from './initializers/identity';
export {type CentreTap} from './initializers/centre-tap';
export {ZerO, zerO, type ZerOArgs} from './initializers/zer-o';

// Signal processing: Keras 3's STFT kernels.
export {STFT, stft, type STFTArgs, type STFTSide, type STFTScaling} from './initializers/stft';
export type {WindowName} from './initializers/windows';

// PyTorch-style in-place functions (torch.nn.init's names).
export {
  uniform_,
  normal_,
  truncNormal_,
  constant_,
  ones_,
  zeros_,
  eye_,
  dirac_,
  xavierUniform_,
  xavierNormal_,
  kaimingUniform_,
  kaimingNormal_,
  orthogonal_,
  sparse_,
  deltaOrthogonal_,
  zerO_,
  type Writable,
  type SeedOption,
} from './initializers/in-place';

// tfjs's own initializers, fixed (opt-in).
export {useFixedBuiltins, restoreBuiltins} from './initializers/builtins/use-fixed';

// Writing your own initializer: the base class, registration, and the seeded samplers.
export {BaseInitializer, type InitializerClass, type ShapeFacts} from './initializers/base';
export {register, registeredNames, type RegisterOptions} from './initializers/registry';
export {fillUniform, fillNormal, fillTruncNormal} from './random/samplers';
export {fillOrthogonal} from './initializers/orthogonal';

// Names changed in 0.2, kept as deprecated aliases for one version (CHANGELOG.md).
export * from './deprecated';
