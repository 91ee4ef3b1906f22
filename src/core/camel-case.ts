/**
 * tfjs-layers' `toCamelCase`, which it applies to every key and every string value of a saved
 * config when a model loads (`kernel_initializer` → `kernelInitializer`, `hard_sigmoid` →
 * `hardSigmoid`, `glorot_uniform` → `glorotUniform`). The one camel-casing rule of this package.
 */
export function toCamelCase(identifier: string): string {
  if (identifier.length <= 1 || !identifier.includes('_')) return identifier;
  return identifier.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

/**
 * A class name as a factory name and camelCase string identifier: the leading word in lower case —
 * `XavierNormal` → `xavierNormal`, `ZerO` → `zerO`, and a leading acronym whole: `STFT` → `stft`,
 * `STFTInitializer` → `stftInitializer`.
 */
export function lowerFirst(name: string): string {
  const run = /^[A-Z]+/.exec(name)?.[0] ?? '';
  if (run.length <= 1) return name.charAt(0).toLowerCase() + name.slice(1);
  if (run.length === name.length) return name.toLowerCase();
  // The run's last capital starts the next word (STFTInitializer: STFT + Initializer).
  return run.slice(0, -1).toLowerCase() + name.slice(run.length - 1);
}
