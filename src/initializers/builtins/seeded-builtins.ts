import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {initializers} from '@tensorflow/tfjs-layers';
import {fillNormal, fillTruncNormal, fillUniform} from '../../random/samplers';
import {onSeeding, resolveSeed} from '../../random/seed';
import {fillOrthogonal} from '../orthogonal';
import {FixedVarianceScaling, tfjsFans} from './fixed-variance-scaling';
import {fixedBuiltinsInUse} from './use-fixed';

/**
 * `setSeed` for tfjs's own initializers (docs/seeding.md, "tfjs's own initializers").
 *
 * tfjs-layers builds `'glorotUniform'`, `'heNormal'`, … from its own classes without the registry,
 * and its random ops draw from `Math.random` unless an instance carries a seed. So while the
 * stream is seeded (`setSeed` until `clearSeed`, and inside `withSeed`), the `apply` of tfjs's five
 * random initializer classes — `RandomUniform`, `RandomNormal`, `TruncatedNormal`,
 * `VarianceScaling` (and through it `GlorotUniform`, `GlorotNormal`, `HeUniform`, `HeNormal`,
 * `LeCunUniform`, `LeCunNormal`) and `Orthogonal` — is replaced on their prototypes by one that
 * takes the next seed of the stream and draws **tfjs's own distribution** for that instance with
 * this package's samplers:
 *
 *     RandomUniform    U[minval, maxval)
 *     RandomNormal     N(mean, stddev²)
 *     TruncatedNormal  N(mean, stddev²) cut at mean ± 2·stddev
 *     VarianceScaling  σ² = scale / max(1, fan) with tfjs's fans; 'normal': N(0, σ²) cut at ±2σ
 *                      (tfjs's draw, without the 0.8796 correction); otherwise U[−√3·σ, √3·σ]
 *                      (tfjs draws 'truncatedNormal' as a uniform too)
 *     Orthogonal       gain · Q, Q Haar (tfjs: QR of a Gaussian), rows or columns orthonormal
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

/** The public fields tfjs-layers 4.x sets on its initializer instances. */
interface TfjsFields {
  seed?: number | null;
  minval?: number;
  maxval?: number;
  mean?: number;
  stddev?: number;
  scale?: number;
  mode?: string;
  distribution?: string;
  gain?: number;
}

type Apply = (this: TfjsFields, shape: readonly number[], dtype?: DataType) => Tensor;

interface Patch {
  /** tfjs's class name. */
  name: string;
  /** The prototype whose `apply` is replaced. */
  proto: {apply: Apply};
  /** Whether tfjs's draw for this instance uses its normal sampler (where seed 0 means unseeded). */
  normal: (self: TfjsFields) => boolean;
  /** Whether this package's samplers take the instance's parameters (else tfjs draws, as before). */
  accepts: (self: TfjsFields, shape: number[]) => boolean;
  /** The values for `shape`, drawn from `seed`. */
  draw: (self: TfjsFields, shape: number[], size: number, seed: number) => Float32Array | Tensor;
}

const finite = (...xs: unknown[]): boolean =>
  xs.every((x) => typeof x === 'number' && Number.isFinite(x) && Math.abs(x) <= 1e36);

/** tfjs-layers' VarianceScaling.apply, variance part: scale / max(1, fan), fans as tfjs computes them. */
function tfjsVariance(self: TfjsFields, shape: number[]): number {
  const {fanIn, fanOut} = tfjsFans(shape);
  const scale = self.scale as number;
  if (self.mode === 'fanIn') return scale / Math.max(1, fanIn);
  if (self.mode === 'fanOut') return scale / Math.max(1, fanOut);
  return scale / Math.max(1, (fanIn + fanOut) / 2);
}

const prototypeOf = (instance: object): {apply: Apply} =>
  Object.getPrototypeOf(instance) as {apply: Apply};

const PATCHES: readonly Patch[] = [
  {
    name: 'RandomUniform',
    proto: prototypeOf(initializers.randomUniform({})),
    normal: () => false,
    accepts: (self) => finite(self.minval, self.maxval),
    draw: (self, _shape, size, seed) => {
      const [a, b] = [self.minval as number, self.maxval as number];
      const values = new Float32Array(size);
      fillUniform(values, seed, 0, Math.min(a, b), Math.max(a, b));
      return values;
    },
  },
  {
    name: 'RandomNormal',
    proto: prototypeOf(initializers.randomNormal({})),
    normal: () => true,
    accepts: (self) => finite(self.mean, self.stddev),
    draw: (self, _shape, size, seed) => {
      const values = new Float32Array(size);
      fillNormal(values, seed, 0, self.mean as number, Math.abs(self.stddev as number));
      return values;
    },
  },
  {
    name: 'TruncatedNormal',
    proto: prototypeOf(initializers.truncatedNormal({})),
    normal: () => true,
    accepts: (self) =>
      finite(
        self.mean,
        self.stddev,
        (self.mean as number) + 2 * Math.abs(self.stddev as number),
        (self.mean as number) - 2 * Math.abs(self.stddev as number),
      ),
    draw: (self, _shape, size, seed) => {
      const mean = self.mean as number;
      const std = Math.abs(self.stddev as number);
      const values = new Float32Array(size);
      if (std === 0) values.fill(mean);
      else fillTruncNormal(values, seed, 0, mean, std, mean - 2 * std, mean + 2 * std);
      return values;
    },
  },
  {
    name: 'VarianceScaling',
    proto: prototypeOf(initializers.varianceScaling({})),
    normal: (self) => self.distribution === 'normal',
    accepts: (self) => finite(self.scale) && (self.scale as number) >= 0,
    draw: (self, shape, size, seed) => {
      if (fixedBuiltinsInUse()) {
        const {scale, mode, distribution} = self;
        return new FixedVarianceScaling({scale, mode, distribution, seed} as never).apply(shape);
      }
      const sigma = Math.sqrt(tfjsVariance(self, shape));
      const values = new Float32Array(size);
      if (self.distribution !== 'normal')
        fillUniform(values, seed, 0, -Math.sqrt(3) * sigma, Math.sqrt(3) * sigma);
      else if (sigma > 0) fillTruncNormal(values, seed, 0, 0, sigma, -2 * sigma, 2 * sigma);
      return values;
    },
  },
  {
    name: 'Orthogonal',
    proto: prototypeOf(initializers.orthogonal({})),
    normal: () => true,
    accepts: (self, shape) => shape.length >= 2 && !shape.includes(0) && finite(self.gain),
    draw: (self, shape, size, seed) => {
      const cols = shape[shape.length - 1];
      const values = new Float32Array(size);
      fillOrthogonal(values, size / cols, cols, self.gain as number, seed);
      return values;
    },
  },
];

/** `shape` as plain non-negative integers, or null (then tfjs's own apply reports the problem). */
function plainShape(shape: unknown): number[] | null {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) return null;
  return shape as number[];
}

function seededApply(patch: Patch, original: Apply): Apply {
  return function apply(this: TfjsFields, shape: readonly number[], dtype?: DataType): Tensor {
    const dims = plainShape(shape);
    const ownSeed = patch.normal(this) ? Boolean(this.seed) : this.seed != null;
    if (
      dims === null ||
      ownSeed ||
      (dtype !== undefined && dtype !== 'float32' && dtype !== 'int32') ||
      !patch.accepts(this, dims)
    ) {
      return original.call(this, shape, dtype);
    }
    const drawn = patch.draw(
      this,
      dims,
      dims.reduce((p, d) => p * d, 1),
      resolveSeed(null),
    );
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

/** The tfjs class names whose `apply` the seeding patch replaces while the stream is seeded. */
export const SEEDED_BUILTINS: readonly string[] = PATCHES.map((p) => p.name);

/** Whether tfjs's built-ins currently draw from the stream. Internal (tests). */
export function builtinsSeeded(): boolean {
  return PATCHES.every((p) => Object.prototype.hasOwnProperty.call(p.proto, ORIGINAL));
}

onSeeding((on) => (on ? install() : uninstall()));
