import {tensor, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {resolveFans, type Fans} from '../fans';
import {fillNormal, fillUniform} from '../random/samplers';
import {resolveSeed} from '../random/seed';
import {sizeOf} from '../tensor-args';
import {BaseInitializer} from './base';

/** Which fan the variance is divided by. `fanGeoAvg` is √(fanIn·fanOut). */
export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg' | 'fanGeoAvg';

/** Distribution of a variance-scaling draw. */
export type ScalingDistribution = 'uniform' | 'untruncatedNormal';

/** The three numbers that define every variance-scaling scheme (JAX's `variance_scaling`). */
export interface Scaling {
  scale: number;
  mode: FanMode;
  distribution: ScalingDistribution;
}

/** Options every variance-scaling initializer shares. */
export interface ScaledOptions {
  seed: number | null;
  fanIn: number | null;
  fanOut: number | null;
}

/**
 * Target variance σ² = scale / n, with n = fanIn, fanOut, (fanIn + fanOut)/2 or √(fanIn·fanOut).
 */
export function scaledVariance(scale: number, mode: FanMode, fans: Fans): number {
  switch (mode) {
    case 'fanIn':
      return scale / fans.fanIn;
    case 'fanOut':
      return scale / fans.fanOut;
    case 'fanAvg':
      return scale / ((fans.fanIn + fans.fanOut) / 2);
    case 'fanGeoAvg':
      return scale / Math.sqrt(fans.fanIn * fans.fanOut);
  }
}

/**
 * The one variance-scaling core (as in JAX and Keras 3): draws a float32 tensor whose elements have
 * variance scale / n — uniform on [−√(3σ²), √(3σ²)] or N(0, σ²). Named schemes (Xavier, Kaiming,
 * LeCun, ...) are thin presets that only say which {@link Scaling} they mean.
 */
export abstract class ScaledInitializer<O extends ScaledOptions> extends BaseInitializer<O> {
  /** The scheme: scale, fan mode and distribution. */
  protected abstract scaling(): Scaling;

  protected generate(shape: number[], dtype: DataType): Tensor {
    const owner = this.getClassName();
    const {scale, mode, distribution} = this.scaling();
    const fans = resolveFans(shape, this.options.fanIn, this.options.fanOut, owner);
    const variance = scaledVariance(scale, mode, fans);
    const values = new Float32Array(sizeOf(shape));
    const seed = resolveSeed(this.options.seed);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      fillUniform(values, seed, 0, -limit, limit);
    } else {
      fillNormal(values, seed, 0, 0, Math.sqrt(variance));
    }
    return tensor(values, shape, dtype);
  }
}
