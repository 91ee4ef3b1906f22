/**
 * A count with its noun in the right number, for messages and reports: `plural(1, 'layer')` is
 * `'1 layer'`, `plural(3, 'layer')` is `'3 layers'`, `plural(2, 'array', 'nested arrays')` is
 * `'2 nested arrays'` and `plural(1, 'array', 'nested arrays')` is `'1 array'`.
 *
 * @param many the plural form, when it is not the noun with an `s` (`'kernels'` is the default for
 * `'kernel'`; `'matrices'` for `'matrix'`).
 */
export function plural(count: number, noun: string, many = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : many}`;
}
