import {CHUNK, GROUP} from './wasm-layout';

/**
 * How a fill is cut into SIMD kernel calls. A kernel writes whole groups of {@link GROUP} elements
 * starting at an even element 2·b0, so a chunk may start one element early (`skip`) and run past
 * the elements wanted; only `take` elements from position `skip` are copied out.
 */
export interface Chunk {
  /** First Threefry block of the chunk (its position 0 is element 2·b0). */
  b0: number;
  /** Chunk positions before the first wanted element (0 or 1). */
  skip: number;
  /** Elements copied out of this chunk. */
  take: number;
  /** Kernel groups to compute. */
  groups: number;
}

const MAX_TAKE = CHUNK - 2 * GROUP;

/** Fills `chunk` for the part of a fill that starts at out[j], element `offset + j`. */
export function chunkAt(n: number, offset: number, j: number, chunk: Chunk): void {
  const e = offset + j;
  chunk.b0 = Math.floor(e / 2);
  chunk.skip = e - 2 * chunk.b0;
  chunk.take = Math.min(n - j, MAX_TAKE);
  chunk.groups = Math.ceil((chunk.skip + chunk.take) / GROUP);
}

/** Float32 elements per 4 KiB page. */
const PAGE_ELEMENTS = 1024;

/**
 * Copies the kernel's chunk `from[skip … skip + take)` into `out` at `j`, first writing one element
 * per 4 KiB page of the destination. A freshly allocated typed array (every tensor `apply`
 * returns) is untouched memory whose pages the operating system maps on first write; measured on
 * Linux (bench/torch.ts), a bulk copy into such pages takes about 5 ms longer per 10⁷ elements than
 * the same copy after one plain store per page. On memory already mapped the stores cost nothing
 * worth measuring (16 per 64 KiB chunk).
 */
export function copyOut(
  out: Float32Array,
  j: number,
  from: Float32Array,
  skip: number,
  take: number,
): void {
  for (let q = j; q < j + take; q += PAGE_ELEMENTS) out[q] = 0;
  out.set(from.subarray(skip, skip + take), j);
}
