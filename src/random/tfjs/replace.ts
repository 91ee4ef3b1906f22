/**
 * Replacing a method of a tfjs object while the stream is seeded, and putting it back exactly.
 *
 * `replace(target, key, make)` installs `make(original)` as an own property of `target` (as
 * enumerable as the one it replaces; non-enumerable where the method was inherited);
 * `restore(target, key)` gives `target` back the very property it had — the same own descriptor,
 * or none at all when the method was inherited — so that afterwards `target[key]` is identical to
 * the original and `Object.getOwnPropertyDescriptor(target, key)` is what it was. What was replaced is kept on the
 * target under a `Symbol.for` key, shared by every copy of this package in the process: a second
 * copy wraps the original, never another copy's wrapper, and restoring twice is harmless.
 */

/** Where a patched object keeps the descriptors its patches replaced (null: it had no own property). */
const SAVED = Symbol.for('tfjs-initializers.replaced');

type Saved = Map<PropertyKey, PropertyDescriptor | null>;
type Holder = {[SAVED]?: Saved};

function savedOf(target: object): Saved | undefined {
  return Object.prototype.hasOwnProperty.call(target, SAVED)
    ? (target as Holder)[SAVED]
    : undefined;
}

/**
 * Replaces `target[key]` by `make(original)`, where `original` is the method the target had before
 * any copy of this package replaced it.
 *
 * @example
 * ```ts
 * const proto = LayersModel.prototype;
 * replace(proto, 'fitLoop', (original) => function (this: LayersModel, ...args) {
 *   return original.apply(this, args);
 * });
 * restore(proto, 'fitLoop'); // proto.fitLoop is tfjs's own again, with its own descriptor
 * ```
 */
export function replace<T extends object, K extends keyof T & string>(
  target: T,
  key: K,
  make: (original: T[K]) => T[K],
): void {
  let saved = savedOf(target);
  if (saved === undefined) {
    saved = new Map();
    Object.defineProperty(target, SAVED, {value: saved, configurable: true});
  }
  if (!saved.has(key)) saved.set(key, Object.getOwnPropertyDescriptor(target, key) ?? null);
  const before = saved.get(key);
  // The original: the saved own value, else what the prototype chain gives without the own property.
  const original = (
    before != null
      ? before.value
      : Reflect.get(Object.getPrototypeOf(target) as object, key, target)
  ) as T[K];
  Object.defineProperty(target, key, {
    value: make(original),
    writable: true,
    configurable: true,
    enumerable: before?.enumerable ?? false,
  });
}

/** Gives `target` back the property `key` it had before {@link replace}; a no-op if not replaced. */
export function restore(target: object, key: string): void {
  const saved = savedOf(target);
  if (saved === undefined || !saved.has(key)) return;
  const before = saved.get(key) as PropertyDescriptor | null;
  if (before === null) delete (target as Record<string, unknown>)[key];
  else Object.defineProperty(target, key, before);
  saved.delete(key);
  if (saved.size === 0) delete (target as Holder)[SAVED];
}

/** Whether `target[key]` is currently replaced. */
export function isReplaced(target: object, key: string): boolean {
  return savedOf(target)?.has(key) ?? false;
}
