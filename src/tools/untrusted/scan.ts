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

/** One container being walked: its keys (objects) or length (arrays), and the next child to visit. */
interface Frame {
  value: object;
  /** The object's own enumerable keys; null for an array. */
  keys: string[] | null;
  length: number;
  next: number;
}

/** The path of the child a frame visits last, from the root: built only when a refusal needs it. */
function framePath(frames: readonly Frame[], upTo: number): string {
  let path = '';
  for (let i = 0; i < upTo; i++) {
    const f = frames[i];
    const at = f.next - 1;
    path = childPath(path, f.keys === null ? at : f.keys[at]);
  }
  return path;
}

/**
 * Walks every value of a parsed model file, without recursion (a hostile file may nest deeply), and
 * fails on: nesting deeper than `limits.maxDepth`; a value JSON cannot hold (a function, a class
 * instance, `undefined`, a bigint, a cycle); a number that is not finite (`1e999` parses to
 * Infinity); and a key or string that is a reserved name ({@link RESERVED_NAMES}). Reads own
 * enumerable properties only and never assigns, so it cannot trigger a `__proto__` setter.
 *
 * Memory is proportional to the nesting depth, not to the number of values: the walk keeps one
 * frame per open object or array (its key list and a cursor) and builds the path of a value (for
 * the refusal's `parameter`) only when it refuses it. A flat array of 10⁷ numbers costs a few
 * bytes beyond the array itself. Objects are remembered (identity only) to refuse shared and
 * cyclic references, which JSON cannot hold and whose walk could otherwise grow exponentially.
 */
export function scanJson(root: unknown, limits: Limits): void {
  const frames: Frame[] = [];
  const seen = new Set<object>();
  /** Checks one value (its depth is the number of open frames); opens a frame for an object or array. */
  const visit = (value: unknown): void => {
    if (value === null || typeof value === 'boolean') return;
    if (typeof value === 'number') {
      if (!Number.isFinite(value))
        throw invalid(
          framePath(frames, frames.length),
          `numbers must be finite. Received: ${value}`,
        );
      return;
    }
    if (typeof value === 'string') {
      const name = reserved(value);
      if (name !== null) {
        throw invalid(
          framePath(frames, frames.length),
          `the string ${describeValue(value)} is refused: it names ` +
            `\`Object.prototype.${name}\`, which tfjs would find by a ` +
            `lookup in a plain object`,
        );
      }
      return;
    }
    const at = (): string => framePath(frames, frames.length);
    if (typeof value !== 'object')
      throw invalid(
        at(),
        `only JSON values are allowed. Received: ${describeValue(value)} (${typeof value})`,
      );
    if (frames.length >= limits.maxDepth)
      throw invalid(at(), `nested deeper than ${limits.maxDepth} levels (limit maxDepth)`);
    if (seen.has(value))
      throw invalid(
        at(),
        'the same object appears twice (a shared or cyclic reference), which a JSON file cannot hold',
      );
    seen.add(value);
    if (Array.isArray(value)) {
      frames.push({value, keys: null, length: value.length, next: 0});
      return;
    }
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null)
      throw invalid(at(), 'only plain objects are allowed (JSON objects), not class instances');
    const keys = Object.keys(value);
    frames.push({value, keys, length: keys.length, next: 0});
  };
  visit(root);
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    if (frame.next >= frame.length) {
      frames.pop();
      continue;
    }
    const i = frame.next++;
    if (frame.keys === null) {
      visit((frame.value as unknown[])[i]);
      continue;
    }
    const key = frame.keys[i];
    const name = reserved(key);
    if (name !== null) {
      throw invalid(
        framePath(frames, frames.length),
        `the key ${JSON.stringify(key)} is refused: it names ` +
          `\`Object.prototype.${name}\` and could replace or shadow it ` +
          `where tfjs copies configs`,
      );
    }
    visit((frame.value as Record<string, unknown>)[key]);
  }
}
