import {InitializerError, describeValue} from '../../core/errors';
import {toCamelCase} from '../../core/camel-case';
import type {Limits} from './limits';

/**
 * Names that resolve to a member of `Object.prototype` when looked up in a plain object: tfjs looks
 * up class names, activations and layer names with `name in map` or `map[name]`, so any of these,
 * as a key or as a string anywhere in a model file, is refused — also in the snake_case spelling
 * tfjs camel-cases on load (`to_string` becomes `toString`).
 */
export const RESERVED_NAMES: readonly string[] = [
  ...new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', '__proto__']),
];

function reserved(s: string): string | null {
  if (RESERVED_NAMES.includes(s)) return s;
  const camel = toCamelCase(s);
  return RESERVED_NAMES.includes(camel) ? camel : null;
}

/** `path` extended by an object key or array index, as written in JavaScript. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const name = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  return path === '' ? name : name.startsWith('"') ? `${path}[${name}]` : `${path}.${name}`;
}

/** A path of at most about 120 characters: its head and tail, cut between segments, joined by `…`. */
function shorten(path: string): string {
  if (path.length <= 120) return path;
  const head = path.slice(0, 60);
  const tail = path.slice(-40);
  const headEnd = Math.max(head.lastIndexOf('['), head.lastIndexOf('.'));
  const tailStart = tail.search(/[[.]/);
  return `${head.slice(0, headEnd > 0 ? headEnd : 60)}…${tail.slice(tailStart >= 0 ? tailStart : 0)}`;
}

/** The InitializerError of {@link validateModelJSON}: parameter = where in the file, message says what and why. */
export function invalid(path: string, message: string): InitializerError {
  const where = path === '' ? 'model.json' : shorten(path);
  return new InitializerError('validateModelJSON', where, `${where}: ${message}`);
}

/**
 * Walks every value of a parsed model file, without recursion (a hostile file may nest deeply), and
 * fails on: nesting deeper than `limits.maxDepth`; a value JSON cannot hold (a function, a class
 * instance, `undefined`, a bigint, a cycle); a number that is not finite (`1e999` parses to
 * Infinity); and a key or string that is a reserved name ({@link RESERVED_NAMES}). Reads own
 * enumerable properties only and never assigns, so it cannot trigger a `__proto__` setter.
 */
export function scanJson(root: unknown, limits: Limits): void {
  const stack: Array<{value: unknown; path: string; depth: number}> = [
    {value: root, path: '', depth: 0},
  ];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const {value, path, depth} = stack.pop() as {value: unknown; path: string; depth: number};
    if (value === null || typeof value === 'boolean') continue;
    if (typeof value === 'number') {
      if (!Number.isFinite(value))
        throw invalid(path, `numbers must be finite. Received: ${value}`);
      continue;
    }
    if (typeof value === 'string') {
      const name = reserved(value);
      if (name !== null) {
        throw invalid(
          path,
          `the string ${describeValue(value)} is refused: it names ` +
            `\`Object.prototype.${name}\`, which tfjs would find by a ` +
            `lookup in a plain object`,
        );
      }
      continue;
    }
    if (typeof value !== 'object')
      throw invalid(
        path,
        `only JSON values are allowed. Received: ${describeValue(value)} (${typeof value})`,
      );
    if (depth >= limits.maxDepth)
      throw invalid(path, `nested deeper than ${limits.maxDepth} levels (limit maxDepth)`);
    if (seen.has(value))
      throw invalid(
        path,
        'the same object appears twice (a shared or cyclic reference), which a JSON file cannot hold',
      );
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--)
        stack.push({value: value[i], path: childPath(path, i), depth: depth + 1});
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw invalid(path, 'only plain objects are allowed (JSON objects), not class instances');
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const name = reserved(key);
      if (name !== null) {
        throw invalid(
          childPath(path, key),
          `the key ${JSON.stringify(key)} is refused: it names ` +
            `\`Object.prototype.${name}\` and could replace or shadow it ` +
            `where tfjs copies configs`,
        );
      }
      stack.push({
        value: (value as Record<string, unknown>)[key],
        path: childPath(path, key),
        depth: depth + 1,
      });
    }
  }
}
