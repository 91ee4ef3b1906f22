import wabtInit from 'wabt';
import {buildWat} from './wat';

/** Assembles the kernels' WebAssembly text into a binary module (SIMD enabled). */
export async function assembleKernels(): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat('random-kernels.wat', buildWat(), {simd: true});
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
