/**
 * tfjs-layers' `toCamelCase`, which it applies to every key and every string value of a saved
 * config when a model loads (`kernel_initializer` → `kernelInitializer`, `hard_sigmoid` →
 * `hardSigmoid`, `glorot_uniform` → `glorotUniform`). The one camel-casing rule of this package.
 */
export function toCamelCase(identifier: string): string {
  if (identifier.length <= 1 || !identifier.includes('_')) return identifier;
  return identifier.replace(/_+(\w|$)/g, (_m, c: string) => c.toUpperCase());
}

/** `XavierNormal` → `xavierNormal`: a class name as a factory name and camelCase string identifier. */
export function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}
