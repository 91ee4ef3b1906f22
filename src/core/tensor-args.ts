import type {DataType} from '@tensorflow/tfjs-core';
import {InitializerError, describeValue} from './errors';
import {backendFreeBytes, formatBytes} from './capacity';

/**
 * Largest number of elements an initializer will allocate (2^31 − 1, 8 GiB of float32): larger
 * requests are almost always a corrupted or hostile shape, and fail before any allocation.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/**
 * Checks a shape passed to `apply`: an array of integers ≥ 1 whose product is at most
 * {@link MAX_ELEMENTS}, and of rank ≥ `minRank`; on the wasm backend, whose heap is at most 4 GiB
 * for all tensors together, its float32 bytes must also fit in what the heap has left
 * (`backendFreeBytes`). Returns a plain copy.
 */
export function checkShape(owner: string, shape: unknown, minRank = 0): number[] {
  const dims = checkDims(owner, shape);
  const size = sizeOf(dims);
  if (size > MAX_ELEMENTS) {
    throw new InitializerError(
      owner,
      'shape',
      `shape has ${size} elements, more than the ${MAX_ELEMENTS} ` +
        `an initializer allocates. Received: ` +
        `shape=${describeValue(shape)}`,
    );
  }
  checkRank(owner, dims, minRank);
  const free = backendFreeBytes();
  if (size * 4 > free) {
    throw new InitializerError(
      owner,
      'shape',
      `shape has ${size} elements (${formatBytes(size * 4)} of float32), more than the ` +
        `${formatBytes(free)} the wasm backend's heap (4 GiB at most, shared by every tensor) ` +
        `has left. Received: shape=${describeValue(shape)}`,
    );
  }
  return dims;
}

/** Checks that `shape` is an array of integers ≥ 1 (any size); returns a plain copy. */
export function checkDims(owner: string, shape: unknown): number[] {
  if (!Array.isArray(shape)) {
    throw new InitializerError(
      owner,
      'shape',
      `shape must be an array of integers >= 1. Received: shape=${describeValue(shape)}`,
    );
  }
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || (d as number) < 1) {
      throw new InitializerError(
        owner,
        'shape',
        `every dimension of shape must be an integer >= 1. Received: shape=${describeValue(shape)}`,
      );
    }
  }
  return (shape as number[]).slice();
}

/** Fails when `shape` has rank < `minRank`. */
export function checkRank(owner: string, shape: readonly number[], minRank: number): void {
  if (shape.length < minRank) {
    throw new InitializerError(
      owner,
      'shape',
      `shape must have rank >= ${minRank}. Received: shape=${describeValue(shape)} (rank ${shape.length})`,
    );
  }
}

/** Checks a dtype against the ones an initializer supports; `undefined` means `'float32'`. */
export function checkDtype(owner: string, dtype: unknown, allowed: readonly DataType[]): DataType {
  const d = dtype ?? 'float32';
  if (typeof d !== 'string' || !(allowed as readonly string[]).includes(d)) {
    throw new InitializerError(
      owner,
      'dtype',
      `dtype must be one of ${allowed.map((a) => `'${a}'`).join(', ')}. Received: dtype=${describeValue(dtype)}`,
    );
  }
  return d as DataType;
}

/** Product of the dimensions. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
