import {
  Variable,
  fill as fillTensor,
  ones,
  tidy,
  zeros,
  type DataType,
  type Tensor,
} from '@tensorflow/tfjs-core';
import type {LayerVariable} from '@tensorflow/tfjs-layers';
import {InitializerError, describeValue, fail} from '../core/errors';
import {checkArgument, finiteNumber, knownOptions} from '../core/options';
import {isDisposedWeight} from '../core/disposed';
import type {BaseInitializer} from './base';
import {DeltaOrthogonal, type DeltaOrthogonalArgs} from './delta-orthogonal';
import {Dirac, Eye, type DiracArgs} from './identity';
import {KaimingNormal, KaimingUniform, type KaimingArgs, type KaimingNonlinearity} from './kaiming';
import {OrthogonalInitializer, type OrthogonalInitializerArgs} from './orthogonal';
import {Normal, UnsavedTruncNormal, Uniform} from './random';
import {SparseInit} from './sparse';
import {XavierNormal, XavierUniformCustom} from './xavier';
import {ZerO} from './zer-o';
import {writeInitializer, writeValues} from './write-values';

/**
 * A weight that can be overwritten in place: a `tf.Variable`, or a layer weight (tfjs-layers'
 * `LayerVariable`, e.g. `layer.weights[0]` or `model.getLayer('dense').weights[0]`).
 * Plain tensors are immutable in tfjs and cannot be targets.
 *
 * In place means in place: on the cpu and wasm backends a float32 weight whose data nothing else
 * shares is written in its own memory, as PyTorch's `torch.nn.init.*_` write theirs — no tensor is
 * created and no new memory touched. A clone or any other tensor sharing its data keeps the old
 * values (the write then assigns a new tensor, as on webgl, webgpu and tfjs-node, and for other
 * dtypes). Same bits either way (`writeValues` in `write-values.ts`). On the cpu backend an array
 * from an earlier `dataSync()`, a contiguous `slice` of the weight and the typed array a weight was
 * made from (`tf.variable(tf.tensor(array))`: tfjs keeps the array) are views of its memory and see
 * the new values, as views of a PyTorch tensor do.
 */
export type Writable = Variable | LayerVariable;

/** The seed a random in-place function may take last, as PyTorch's `generator=`. */
export interface SeedOption {
  /** Integer in [0, 2^53 − 1]; absent: the process-wide stream (`setSeed`). */
  seed?: number | null;
}

function isLayerVariable(x: unknown): x is LayerVariable {
  if (typeof x !== 'object' || x === null) return false;
  const v = x as {write?: unknown; read?: unknown; shape?: unknown};
  return typeof v.write === 'function' && typeof v.read === 'function' && Array.isArray(v.shape);
}

/** The tf.Variable behind a target, or an InitializerError naming the function (also for a disposed weight). */
function variableOf(owner: string, target: unknown): Variable {
  if (!(target instanceof Variable || isLayerVariable(target))) {
    return fail(
      owner,
      'tensor',
      'a tf.Variable or a layer weight (LayerVariable); tfjs tensors are immutable',
      target,
    );
  }
  if (isDisposedWeight(target))
    fail(
      owner,
      'tensor',
      'a tf.Variable or a layer weight (LayerVariable) that is not disposed',
      target,
    );
  return target instanceof Variable ? target : (target.read() as Variable);
}

/**
 * After a layer weight was written: applies its constraint, if it has one, as `LayerVariable.write`
 * does (without keeping the constraint's result alive, which `write` does).
 */
function constrain<W extends Writable>(target: W, variable: Variable): W {
  const constraint = target instanceof Variable ? null : target.constraint;
  if (constraint != null) {
    const value = tidy(() => constraint.apply(variable));
    if (value !== variable) {
      variable.assign(value);
      value.dispose();
    }
  }
  return target;
}

/**
 * Overwrites `target` with the constant `value` (in its own memory where it can: `writeValues`);
 * `make` builds the same values as a tensor for the allocating path.
 */
function overwrite<W extends Writable>(
  owner: string,
  target: W,
  value: number,
  make: (shape: number[], dtype: DataType) => Tensor,
): W {
  const variable = variableOf(owner, target);
  const shape = variable.shape.slice();
  writeValues(
    variable,
    (memory) => memory.fill(value),
    () => make(shape, variable.dtype),
  );
  return constrain(target, variable);
}

/** Overwrites `target` with `init.apply(shape, dtype)`, in its own memory where it can (`writeInitializer`). */
function initialize<W extends Writable>(
  owner: string,
  target: W,
  init: BaseInitializer<object>,
): W {
  const variable = variableOf(owner, target);
  writeInitializer(variable, init);
  return constrain(target, variable);
}

/**
 * Merges PyTorch-style positional arguments with an options object: `first` may itself be the
 * options object (`kaimingNormal_(w, {mode: 'fanOut'})`), in which case no positional argument may
 * follow.
 */
function options<O extends object>(
  owner: string,
  first: unknown,
  positional: O,
  rest: unknown[],
): O | object {
  if (typeof first === 'object' && first !== null) {
    if (rest.some((r) => r !== undefined)) {
      throw new InitializerError(
        owner,
        'args',
        `give either an options object or positional arguments, not both. Received: ${describeValue(rest)}`,
      );
    }
    return first;
  }
  return positional;
}

/** The `seed` of a {@link SeedOption} argument, after checking it is an object with no other key. */
function seedOf(owner: string, opts: unknown): number | null | undefined {
  return knownOptions(owner, opts, ['seed']).seed as number | null | undefined;
}

/**
 * Fills a weight in place with U[a, b), PyTorch's `uniform_(tensor, a=0, b=1)`.
 *
 * @example
 * ```ts
 * uniform_(layer.weights[0], -0.1, 0.1);
 * ```
 * @see `torch.nn.init.uniform_`; {@link Uniform}.
 */
export function uniform_<W extends Writable>(tensor: W, a = 0, b = 1, opts: SeedOption = {}): W {
  return initialize(
    'uniform_',
    tensor,
    new Uniform({low: a, high: b, seed: seedOf('uniform_', opts)}),
  );
}

/**
 * Fills a weight in place with N(mean, std²), PyTorch's `normal_(tensor, mean=0, std=1)`.
 *
 * @example
 * ```ts
 * normal_(model.getLayer('embed').weights[0], 0, 0.02);
 * ```
 * @see `torch.nn.init.normal_`; {@link Normal}.
 */
export function normal_<W extends Writable>(
  tensor: W,
  mean = 0,
  std = 1,
  opts: SeedOption = {},
): W {
  return initialize('normal_', tensor, new Normal({mean, std, seed: seedOf('normal_', opts)}));
}

/**
 * Fills a weight in place with N(mean, std²) truncated to the absolute interval [a, b], PyTorch's
 * `trunc_normal_(tensor, mean=0, std=1, a=-2, b=2)`. Like PyTorch and `fillTruncNormal`, a bound
 * may be infinite (`a = -Infinity`: truncated above only); the `TruncNormal` class, whose options
 * are saved in JSON, takes finite bounds only.
 *
 * @example
 * ```ts
 * truncNormal_(layer.weights[0], 0, 0.02, -0.04, 0.04);
 * truncNormal_(layer.weights[0], 0, 1, 0, Infinity);   // half-normal
 * ```
 * @see `torch.nn.init.trunc_normal_`; {@link TruncNormal}.
 */
export function truncNormal_<W extends Writable>(
  tensor: W,
  mean = 0,
  std = 1,
  a = -2,
  b = 2,
  opts: SeedOption = {},
): W {
  return initialize(
    'truncNormal_',
    tensor,
    new UnsavedTruncNormal({mean, std, a, b, seed: seedOf('truncNormal_', opts)}),
  );
}

/**
 * Fills a weight in place with a constant, PyTorch's `constant_(tensor, val)`. Any dtype. `val`
 * must be a finite number of magnitude at most 1e36, like every real-valued option of this package
 * (PyTorch also takes ±inf and NaN; an initial weight that is not finite only poisons training).
 *
 * @example
 * ```ts
 * constant_(layer.weights[1], 0.1);   // a bias of 0.1
 * ```
 * @see `torch.nn.init.constant_`.
 */
export function constant_<W extends Writable>(tensor: W, val: number): W {
  if (val === undefined || val === null)
    fail('constant_', 'val', 'a finite number', val, 'argument');
  const value = checkArgument('constant_', 'val', val, finiteNumber(0));
  return overwrite('constant_', tensor, value, (shape, dtype) => fillTensor(shape, value, dtype));
}

/**
 * Fills a weight in place with ones, PyTorch's `ones_(tensor)`. Any dtype.
 *
 * @example
 * ```ts
 * ones_(batchNorm.weights[0]);   // gamma = 1
 * ```
 * @see `torch.nn.init.ones_`.
 */
export function ones_<W extends Writable>(tensor: W): W {
  return overwrite('ones_', tensor, 1, (shape, dtype) => ones(shape, dtype));
}

/**
 * Fills a weight in place with zeros, PyTorch's `zeros_(tensor)`. Any dtype.
 *
 * @example
 * ```ts
 * zeros_(layer.weights[1]);   // zero bias
 * ```
 * @see `torch.nn.init.zeros_`; {@link ZeroBias}.
 */
export function zeros_<W extends Writable>(tensor: W): W {
  return overwrite('zeros_', tensor, 0, (shape, dtype) => zeros(shape, dtype));
}

/**
 * Fills a 2-D weight in place with the (partial) identity, PyTorch's `eye_(tensor)`.
 *
 * @example
 * ```ts
 * eye_(rnn.weights[1]);   // IRNN recurrent kernel
 * ```
 * @see `torch.nn.init.eye_`; {@link Eye}.
 */
export function eye_<W extends Writable>(tensor: W): W {
  return initialize('eye_', tensor, new Eye());
}

/**
 * Fills a conv kernel `[...k, in, out]` in place with the Dirac delta, PyTorch's
 * `dirac_(tensor, groups=1)` (centre tap ⌊(k − 1)/2⌋ unless `{tap: 'upper'}`).
 *
 * @example
 * ```ts
 * dirac_(conv.weights[0]);
 * dirac_(conv.weights[0], {groups: 2, tap: 'upper'});
 * ```
 * @see `torch.nn.init.dirac_`; {@link Dirac}.
 */
export function dirac_<W extends Writable>(tensor: W, groups: number | DiracArgs = 1): W {
  return initialize('dirac_', tensor, new Dirac(typeof groups === 'object' ? groups : {groups}));
}

/**
 * Fills a weight in place with Xavier (Glorot) uniform values, PyTorch's
 * `xavier_uniform_(tensor, gain=1)`: U[−a, a], a = gain·√(6 / (fanIn + fanOut)).
 *
 * @example
 * ```ts
 * xavierUniform_(layer.weights[0], calculateGain('tanh'));
 * ```
 * @see `torch.nn.init.xavier_uniform_`; {@link XavierUniformCustom}.
 */
export function xavierUniform_<W extends Writable>(tensor: W, gain = 1, opts: SeedOption = {}): W {
  return initialize(
    'xavierUniform_',
    tensor,
    new XavierUniformCustom({gain, seed: seedOf('xavierUniform_', opts)}),
  );
}

/**
 * Fills a weight in place with Xavier (Glorot) normal values, PyTorch's
 * `xavier_normal_(tensor, gain=1)`: N(0, gain²·2 / (fanIn + fanOut)).
 *
 * @example
 * ```ts
 * xavierNormal_(layer.weights[0]);
 * ```
 * @see `torch.nn.init.xavier_normal_`; {@link XavierNormal}.
 */
export function xavierNormal_<W extends Writable>(tensor: W, gain = 1, opts: SeedOption = {}): W {
  return initialize(
    'xavierNormal_',
    tensor,
    new XavierNormal({gain, seed: seedOf('xavierNormal_', opts)}),
  );
}

/**
 * Fills a weight in place with Kaiming (He) uniform values, PyTorch's
 * `kaiming_uniform_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')`:
 * U[−b, b], b = gain·√(3 / fan). Positional like PyTorch, or one options object.
 *
 * @example
 * ```ts
 * kaimingUniform_(layer.weights[0], Math.sqrt(5));            // nn.Linear's default
 * kaimingUniform_(layer.weights[0], {mode: 'fanOut', nonlinearity: 'relu', seed: 1});
 * ```
 * @see `torch.nn.init.kaiming_uniform_`; {@link KaimingUniform}.
 */
export function kaimingUniform_<W extends Writable>(
  tensor: W,
  a?: number | KaimingArgs,
  mode?: 'fanIn' | 'fanOut',
  nonlinearity?: KaimingNonlinearity,
  opts: SeedOption = {},
): W {
  const seed = seedOf('kaimingUniform_', opts);
  const args = options('kaimingUniform_', a, {a, mode, nonlinearity, seed}, [
    mode,
    nonlinearity,
    seed,
  ]);
  return initialize('kaimingUniform_', tensor, new KaimingUniform(args as KaimingArgs));
}

/**
 * Fills a weight in place with Kaiming (He) normal values, PyTorch's
 * `kaiming_normal_(tensor, a=0, mode='fan_in', nonlinearity='leaky_relu')`: N(0, gain² / fan).
 *
 * @example
 * ```ts
 * kaimingNormal_(conv.weights[0], 0, 'fanOut', 'relu');       // torchvision ResNet
 * kaimingNormal_(conv.weights[0], {mode: 'fanOut', nonlinearity: 'relu'});
 * ```
 * @see `torch.nn.init.kaiming_normal_`; {@link KaimingNormal}.
 */
export function kaimingNormal_<W extends Writable>(
  tensor: W,
  a?: number | KaimingArgs,
  mode?: 'fanIn' | 'fanOut',
  nonlinearity?: KaimingNonlinearity,
  opts: SeedOption = {},
): W {
  const seed = seedOf('kaimingNormal_', opts);
  const args = options('kaimingNormal_', a, {a, mode, nonlinearity, seed}, [
    mode,
    nonlinearity,
    seed,
  ]);
  return initialize('kaimingNormal_', tensor, new KaimingNormal(args as KaimingArgs));
}

/**
 * Fills a weight in place with a Haar-random (semi-)orthogonal matrix times gain, PyTorch's
 * `orthogonal_(tensor, gain=1)`; `{gates}` orthogonalizes each gate block of a recurrent kernel.
 *
 * @example
 * ```ts
 * orthogonal_(lstm.weights[1], 1, {gates: 4});
 * ```
 * @see `torch.nn.init.orthogonal_`; {@link OrthogonalInitializer}.
 */
export function orthogonal_<W extends Writable>(
  tensor: W,
  gain = 1,
  opts: Omit<OrthogonalInitializerArgs, 'gain'> = {},
): W {
  return initialize(
    'orthogonal_',
    tensor,
    new OrthogonalInitializer({
      ...knownOptions('orthogonal_', opts, ['seed', 'gates', 'columnAxis']),
      gain,
    }),
  );
}

/**
 * Makes a weight sparse in place, PyTorch's `sparse_(tensor, sparsity, std=0.01)`: N(0, std²) with
 * ⌈sparsity·out⌉ zeros in every input row.
 *
 * @example
 * ```ts
 * sparse_(layer.weights[0], 0.9);
 * ```
 * @see `torch.nn.init.sparse_`; {@link SparseInit}.
 */
export function sparse_<W extends Writable>(
  tensor: W,
  sparsity: number,
  std = 0.01,
  opts: SeedOption = {},
): W {
  return initialize(
    'sparse_',
    tensor,
    new SparseInit({sparsity, std, seed: seedOf('sparse_', opts)}),
  );
}

/**
 * Fills a conv kernel `[...k, in, out]` in place with a delta-orthogonal kernel (Xiao et al. 2018,
 * JAX's `delta_orthogonal`): gain·H at the centre tap, zeros elsewhere.
 *
 * @example
 * ```ts
 * deltaOrthogonal_(conv.weights[0], 1, {seed: 7});
 * ```
 * @see {@link DeltaOrthogonal}.
 */
export function deltaOrthogonal_<W extends Writable>(
  tensor: W,
  gain = 1,
  opts: Omit<DeltaOrthogonalArgs, 'gain'> = {},
): W {
  return initialize(
    'deltaOrthogonal_',
    tensor,
    new DeltaOrthogonal({...knownOptions('deltaOrthogonal_', opts, ['seed', 'tap']), gain}),
  );
}

/**
 * Fills a Dense or conv kernel in place with the ZerO initialization (Zhao et al. 2021).
 *
 * @example
 * ```ts
 * zerO_(layer.weights[0]);
 * ```
 * @see {@link ZerO}.
 */
export function zerO_<W extends Writable>(tensor: W): W {
  return initialize('zerO_', tensor, new ZerO());
}
