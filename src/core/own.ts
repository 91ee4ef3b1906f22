/**
 * `record[key]` when `key` is the record's own property, else `undefined`. Plain objects inherit
 * `constructor`, `toString`, `__proto__`, ... from `Object.prototype`, so a lookup by a name read
 * from a file (`"class_name": "constructor"`) must not use `record[key]` or `key in record`.
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Sets `record[key] = value` as an own data property, even for `__proto__` (a plain assignment to
 * `__proto__` would replace the record's prototype instead).
 */
export function setOwn(record: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(record, key, {value, enumerable: true, writable: true, configurable: true});
}

/**
 * The own enumerable properties of an options object, on a null prototype: reading an absent
 * option then gives `undefined`, never a value inherited from `Object.prototype` (where a polluted
 * `Object.prototype.build = false` would otherwise turn a check off). Not an object: returned as
 * it is, for the caller's own type check.
 */
export function ownProperties<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(value)) setOwn(out, key, (value as Record<string, unknown>)[key]);
  return out as T;
}
