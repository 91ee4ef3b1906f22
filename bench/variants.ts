/** The two initialization schemes the backend benchmark compares. */
import type * as tfl from '@tensorflow/tfjs-layers';
import type * as Lib from '../src';
import type {Variant} from './model-build';

/** Ours (XavierUniformCustom + ZeroBias) and tfjs's built-ins (glorotUniform + zeros): the same distributions. */
export function ourVariants(lib: typeof Lib, initializers: typeof tfl.initializers): Variant[] {
  return [
    {
      label: 'ours: XavierUniformCustom + ZeroBias',
      kernel: () => new lib.XavierUniformCustom(),
      bias: () => new lib.ZeroBias(),
    },
    {
      label: 'tfjs: glorotUniform + zeros',
      kernel: () => initializers.glorotUniform({}),
      bias: () => initializers.zeros(),
    },
  ];
}
