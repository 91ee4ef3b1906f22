import wabtInit from 'wabt';

/** Assembles WebAssembly text into a validated binary module, SIMD enabled (wabt's wat2wasm). */
export async function assembleWat(fileName: string, wat: string): Promise<Uint8Array> {
  const wabt = await wabtInit();
  const module = wabt.parseWat(fileName, wat, {simd: true});
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}
