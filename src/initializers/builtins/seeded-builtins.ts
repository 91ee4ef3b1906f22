import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';
import {sizeOf} from '../../core/tensor-args';
import {onSeeding, resolveSeed} from '../../random/seed';
import {FixedVarianceScaling} from './fixed-variance-scaling';
import {
  fillTfjsDraw,
  ownSeedFixesDraw,
  samplerCanDraw,
  tfjsDraw,
  type TfjsDraw,
  type TfjsFields,
} from './tfjs-builtins';
import {fixedBuiltinsInUse} from './use-fixed';

/**
 * `setSeed` for tfjs's own initializers (docs/seeding.md, "tfjs's own initializers").
 *
 * tfjs-layers builds `'glorotUniform'`, `'heNormal'`, … from its own classes without the registry,
 * and its random ops draw from `Math.random` unless an instance carries a seed. So while the
 * stream is seeded (`setSeed` until `clearSeed`, and inside `withSeed`), the `apply` of tfjs's four
 * random initializer classes — `RandomUniform`, `RandomNormal`, `TruncatedNormal` and
 * `VarianceScaling` (and through it `GlorotUniform`, `GlorotNormal`, `HeUniform`, `HeNormal`,
 * `LeCunUniform`, `LeCunNormal`) — is replaced on their prototypes by one that takes the next seed
 * of the stream and draws **tfjs's own distribution** for that instance with this package's
 * samplers, as tfjs-builtins.ts describes it (`tfjsDraw`): U[minval, maxval); N(mean, stddev²);
 * N(mean, stddev²) cut at mean ± 2·stddev; and for VarianceScaling σ² = scale / max(1, fan) with
 * tfjs's fans, 'normal' cut at ±2σ without the 0.8796 correction, anything else uniform.
 * `Orthogonal` has one patch of its own, which reads the same stream (orthogonal-builtin.ts).
 *
 * Under `useFixedBuiltins()` a `VarianceScaling` (or helper) instance draws the fixed class's
 * distribution instead (the corrected truncated normal). An instance whose own seed makes tfjs's
 * draw reproducible already (`seed` set, and not 0 for the normal-based draws, which tfjs treats
 * as unseeded) keeps tfjs's draw, as do dtypes other than float32 and int32 (int32 values are
 * rounded, as tfjs does) and parameters this package's samplers refuse (non-finite, or beyond
 * 1e36). Every replaced `apply` that draws takes exactly one seed of the stream, like any unseeded
 * initializer of this package. When the stream is unseeded again the prototypes get their
 * original `apply` back.
 */

type Apply = (this: TfjsFields, shape: readonly number[], dtype?: DataType) => Tensor;

interface Patch {
  /** tfjs's class name. */
  name: string;
  /** The prototype whose `apply` is replaced. */
  proto: {apply: Apply};
}

const prototypeOf = (instance: object): {apply: Apply} =>
  Object.getPrototypeOf(instance) as {apply: Apply};

/**
 * tfjs's random classes but `Orthogonal`, which has its own single patch (orthogonal-builtin.ts);
 * the helpers (GlorotUniform, ...) inherit `VarianceScaling`'s `apply`. What each draws is
 * tfjs-builtins.ts's to say.
 */
const PATCHES: readonly Patch[] = [
  {name: 'RandomUniform', proto: prototypeOf(initializers.randomUniform({}))},
  {name: 'RandomNormal', proto: prototypeOf(initializers.randomNormal({}))},
  {name: 'TruncatedNormal', proto: prototypeOf(initializers.truncatedNormal({}))},
  {name: 'VarianceScaling', proto: prototypeOf(initializers.varianceScaling({}))},
];

/** The values `self` draws for `shape` from `seed`: tfjs's distribution, or the fixed one under useFixedBuiltins. */
function drawFor(
  patch: Patch,
  self: TfjsFields,
  shape: number[],
  draw: TfjsDraw,
  seed: number,
): Float32Array | Tensor {
  if (patch.name === 'VarianceScaling' && fixedBuiltinsInUse()) {
    const {scale, mode, distribution} = self;
    return new FixedVarianceScaling({scale, mode, distribution, seed} as never).apply(shape);
  }
  const values = new Float32Array(sizeOf(shape));
  fillTfjsDraw(values, draw, seed);
  return values;
}

/** `shape` as plain non-negative integers, or null (then tfjs's own apply reports the problem). */
function plainShape(shape: unknown): number[] | null {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return null;
  return shape as number[];
}

function seededApply(patch: Patch, original: Apply): Apply {
  return function apply(this: TfjsFields, shape: readonly number[], dtype?: DataType): Tensor {
    const dims = plainShape(shape);
    const draw = dims === null ? null : tfjsDraw(patch.name, this, dims);
    if (
      dims === null ||
      draw === null ||
      ownSeedFixesDraw(patch.name, this) ||
      (dtype !== undefined && dtype !== 'float32' && dtype !== 'int32') ||
      !samplerCanDraw(draw)
    ) {
      return original.call(this, shape, dtype);
    }
    const drawn = drawFor(patch, this, dims, draw, resolveSeed(null));
    if (dtype !== 'int32')
      return drawn instanceof Float32Array ? tensor(drawn, dims, 'float32') : drawn;
    // tfjs rounds its float draws for int32.
    const floats = drawn instanceof Float32Array ? drawn : (drawn.dataSync() as Float32Array);
    if (!(drawn instanceof Float32Array)) drawn.dispose();
    return tensor(Int32Array.from(floats, Math.round), dims, 'int32');
  };
}

/** Where a prototype keeps its original `apply` while patched (shared by every copy of this package). */
const ORIGINAL = Symbol.for('tfjs-initializers.originalApply');

type Patchable = {apply: Apply} & {[ORIGINAL]?: Apply};

function install(): void {
  for (const patch of PATCHES) {
    const proto = patch.proto as Patchable;
    const original = Object.prototype.hasOwnProperty.call(proto, ORIGINAL)
      ? (proto[ORIGINAL] as Apply)
      : proto.apply;
    proto[ORIGINAL] = original;
    proto.apply = seededApply(patch, original);
  }
}

function uninstall(): void {
  for (const patch of PATCHES) {
    const proto = patch.proto as Patchable;
    if (!Object.prototype.hasOwnProperty.call(proto, ORIGINAL)) continue;
    proto.apply = proto[ORIGINAL] as Apply;
    delete proto[ORIGINAL];
  }
}

/** Whether tfjs's built-ins currently draw from the stream. Internal (tests). */
export function builtinsSeeded(): boolean {
  return PATCHES.every((p) => Object.prototype.hasOwnProperty.call(p.proto, ORIGINAL));
}

onSeeding((on) => (on ? install() : uninstall()));
