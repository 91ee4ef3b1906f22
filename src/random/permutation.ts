import {seedToKey, threefry2x32} from './threefry';

const TWO_POW_M53 = 1 / 9007199254740992;

/**
 * Shuffles `array` in place with tfjs's own algorithm (`tf.util.shuffle`, which `model.fit` runs on
 * its index array at the start of every epoch), reading the stream instead of `Math.random`:
 *
 *     counter = n; t = 0
 *     while counter > 0:
 *       u = ((w0 >>> 5)·2²⁶ + (w1 >>> 6))·2⁻⁵³  with (w0, w1) = Threefry-2x32-20(key = seed, (t, stream))
 *       index = ⌊u · counter⌋; counter −= 1; swap(array[counter], array[index]); t += 1
 *
 * That is Durstenfeld's Fisher–Yates shuffle from the back: every permutation equally likely (bias
 * below n / 2⁵³). Step t depends on (seed, stream, t) only.
 *
 * @param array the values to permute (n ≤ 2³²); @param seed integer in [0, 2^53 − 1];
 * @param stream integer in [0, 65535] (default 0).
 * @example
 * ```ts
 * const order = Int32Array.from({length: 10}, (_, i) => i);
 * shuffleLikeTfjs(order, deriveSeed(42, 0));   // a permutation of 0…9
 * ```
 */
export function shuffleLikeTfjs(array: Int32Array | number[], seed: number, stream = 0): void {
  const [k0, k1] = seedToKey(seed);
  const words = new Uint32Array(2);
  for (let counter = array.length, t = 0; counter > 0; t++) {
    threefry2x32(k0, k1, t, stream, words, 0);
    const u = ((words[0] >>> 5) * 67108864 + (words[1] >>> 6)) * TWO_POW_M53;
    const index = Math.floor(u * counter);
    counter--;
    const kept = array[counter];
    array[counter] = array[index];
    array[index] = kept;
  }
}
