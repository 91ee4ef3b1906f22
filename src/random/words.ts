import {threefry2x32 as threefry2x32Import} from './threefry';

// Per-element code reads module-local bindings: an imported binding can compile to an export
// getter call (CommonJS output of esbuild/tsx), which costs more than the draw itself.
const threefry2x32 = threefry2x32Import;

/**
 * Extra random words for one element, for the rare draws that need more than the first word
 * (ziggurat wedges and tail, truncated-normal retries).
 *
 * Element e of a fill for (seed, stream) reads, in order, the words of the Threefry blocks at
 * counters (e, stream + t·2^16) for t = 1, 2, …: word 0 then word 1 of each block. These counters
 * never meet the first-draw counters (c1 = stream < 2^16) nor `deriveSeed`'s (c1 ≥ 0xffe00000), so
 * every element's extra words are its own, and any element can be recomputed alone.
 *
 * Call `reader.start` for an element, then `reader.word()` / `reader.uniform()` as often as needed.
 */

/** Stride of the attempt number t in the second counter word. */
export const ATTEMPT_STRIDE = 65536;
/** Streams are integers in [0, 2^16): the attempt number lives above them. */
export const MAX_STREAM = ATTEMPT_STRIDE - 1;
/** Blocks an element may read before we give up (never reached by a valid fill: p < 1e-1000). */
export const MAX_ATTEMPTS = 32767;

const TWO_POW_M32 = 1 / 4294967296;

/** Reads one element's extra words; one shared instance per sampler module (no allocation per draw). */
export class WordReader {
  private k0 = 0;
  private k1 = 0;
  private element = 0;
  private stream = 0;
  private attempt = 0;
  private used = 2;
  private readonly block = new Uint32Array(2);

  /**
   * Points the reader at element `e` of (key, stream); the next word is word 0 of block t =
   * `firstBlock` (1 unless the caller already has block 1's words).
   */
  start(k0: number, k1: number, e: number, stream: number, firstBlock = 1): void {
    this.k0 = k0;
    this.k1 = k1;
    this.element = e;
    this.stream = stream;
    this.attempt = firstBlock - 1;
    this.used = 2;
  }

  /** The element's next 32-bit word (unsigned). */
  word(): number {
    if (this.used === 2) {
      if (++this.attempt > MAX_ATTEMPTS) this.exhausted();
      threefry2x32(
        this.k0,
        this.k1,
        this.element,
        this.stream + this.attempt * ATTEMPT_STRIDE,
        this.block,
        0,
      );
      this.used = 0;
    }
    return this.block[this.used++];
  }

  /** The element's next uniform in (0, 1): (w + ½)·2⁻³². */
  uniform(): number {
    return (this.word() + 0.5) * TWO_POW_M32;
  }

  private exhausted(): never {
    throw new Error(
      `random sampler: element ${this.element} used ${MAX_ATTEMPTS} blocks without accepting a draw`,
    );
  }
}

/** The reader every sampler shares (they run one at a time). */
export const reader = new WordReader();
