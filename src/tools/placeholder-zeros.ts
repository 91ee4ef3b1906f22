import {tensor, zeros, type DataType, type Tensor} from '@tensorflow/tfjs-core';
import {TfInitializer, type Initializer} from '../core/tfjs';

/**
 * Zeros for weights that exist only to be looked at and disposed — the layer copies `replayBuild`
 * makes to learn which initializer each weight uses — without allocating and clearing memory for
 * every one. A float32 weight's values are a view of one zero array shared by all of them and never
 * written: on the cpu backend a tensor keeps the array it is given, so making such a weight costs
 * no memory (the array's pages stay unmapped zero pages until something writes them, and nothing
 * does); the wasm backend copies the zeros into its heap, which reuses memory it already has.
 * Allocating a new zero array per weight cost `reinitialize` about as much as drawing the new
 * values (fresh memory: see docs/benchmarks.md, "In place, side by side with PyTorch").
 *
 * Never give it to a weight that lives on: the shared array must stay zero.
 */
class PlaceholderZeros extends TfInitializer {
  private static shared = new Float32Array(0);

  apply(shape: number[], dtype?: DataType): Tensor {
    const size = shape.reduce((n, d) => n * d, 1);
    if ((dtype ?? 'float32') !== 'float32') return zeros(shape, dtype);
    if (PlaceholderZeros.shared.length < size) PlaceholderZeros.shared = new Float32Array(size);
    return tensor(PlaceholderZeros.shared.subarray(0, size), shape, 'float32');
  }

  override getClassName(): string {
    return 'PlaceholderZeros';
  }
}

/** The initializer for throwaway weights (see {@link PlaceholderZeros}). */
export const placeholderZeros: Initializer = new PlaceholderZeros();
