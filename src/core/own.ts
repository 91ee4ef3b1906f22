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
