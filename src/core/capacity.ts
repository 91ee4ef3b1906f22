import {engine} from '@tensorflow/tfjs-core';

/**
 * Largest heap the WASM backend can have: its module is 32-bit, with a maximum of 65535 pages of
 * 64 KiB (4 GiB − 64 KiB, `getHeapMax` in tfjs-backend-wasm 4.x). Every tensor on wasm lives in it.
 */
export const WASM_HEAP_BYTES = 65535 * 65536;

/**
 * Bytes the active backend can still give one new tensor, or Infinity where no fixed heap bounds
 * it (cpu, webgl, tensorflow: the machine's memory does, and the element limits apply). On wasm:
 * the heap's maximum less every live tensor's bytes (`tf.memory().numBytes`), so a request that
 * cannot fit is refused before anything is allocated, instead of failing seconds and gigabytes
 * later with a raw `RangeError` — or, worse, half-way through a model.
 */
export function backendFreeBytes(): number {
  const e = engine() as unknown as {backendName?: string | null};
  if (e.backendName !== 'wasm') return Infinity;
  return Math.max(0, WASM_HEAP_BYTES - engine().memory().numBytes);
}

/** Formats a byte count for a message: `6.0 GiB`, `512 MiB` (at least `1 MiB`). */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30
    ? `${(bytes / 2 ** 30).toFixed(1)} GiB`
    : `${Math.max(1, Math.round(bytes / 2 ** 20))} MiB`;
}
