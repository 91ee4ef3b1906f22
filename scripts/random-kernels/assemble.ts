import {assembleWat} from '../wasm/assemble-wat';
import {buildWat} from './wat';

/** Assembles the kernels' WebAssembly text into a binary module (SIMD enabled). */
export function assembleKernels(): Promise<Uint8Array> {
  return assembleWat('random-kernels.wat', buildWat());
}
