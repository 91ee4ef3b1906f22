/**
 * The one WebAssembly loader of the package. Kernels are embedded as base64 (no file to locate, no
 * fetch). Node compiles synchronously; browsers refuse synchronous compilation of modules over 4 KB
 * on the main thread, so there the module compiles asynchronously and callers use their plain
 * JavaScript path until `ready` has run. Where WebAssembly or its SIMD extension is missing,
 * `ready` never runs.
 *
 * @param base64 the module's bytes.
 * @param ready receives the compiled module, synchronously when possible.
 */
export function loadWasmModule(base64: string, ready: (module: WebAssembly.Module) => void): void {
  if (typeof WebAssembly !== 'object' || typeof atob !== 'function') return;
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  if (!WebAssembly.validate(bytes)) return; // no SIMD here: the JavaScript path it is
  let module: WebAssembly.Module;
  try {
    module = new WebAssembly.Module(bytes);
  } catch {
    WebAssembly.compile(bytes).then(ready, () => undefined);
    return;
  }
  ready(module);
}

/** A new instance of `module` (no imports) and its exports. */
export function instantiateWasm<T>(module: WebAssembly.Module): T {
  return new WebAssembly.Instance(module, {}).exports as unknown as T;
}
