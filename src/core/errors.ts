/**
 * The one error type this package throws for bad input.
 *
 * Every message names the class (or function), the parameter, the value received and what is
 * allowed, in the style of Keras 3:
 * `XavierUniformCustom: option \`gain\` must be a finite number > 0. Received: gain=-1`.
 *
 * @example
 * ```ts
 * try { new XavierUniformCustom({gain: -1}); }
 * catch (e) { if (e instanceof InitializerError) console.log(e.owner, e.parameter); }
 * ```
 */
export class InitializerError extends Error {
  /** Class or function that rejected the input, e.g. `'SparseInit'`. */
  readonly owner: string;
  /** Name of the offending parameter, e.g. `'sparsity'`, `'shape'`, `'dtype'`. */
  readonly parameter: string;

  constructor(owner: string, parameter: string, message: string) {
    super(`${owner}: ${message}`);
    this.name = 'InitializerError';
    this.owner = owner;
    this.parameter = parameter;
  }
}

/**
 * Tensors, variables, layer weights and models, recognised by their shape (tfjs is not imported
 * here): `a float32 tensor of shape [3, 4]`, `a Sequential named 'sequential_1'`.
 */
function describeObject(value: object): string {
  try {
    const v = value as {shape?: unknown; dtype?: unknown; name?: unknown; getClassName?: unknown};
    if (Array.isArray(v.shape) && typeof v.dtype === 'string') {
      return (
        `a ${v.dtype} tensor of shape ` +
        `[${v.shape.slice(0, 8).map(String).join(', ')}${v.shape.length > 8 ? ', ...' : ''}]`
      );
    }
    if (typeof v.getClassName === 'function' && typeof v.name === 'string') {
      return `a ${String((v.getClassName as () => unknown).call(value))} named ${JSON.stringify(v.name.slice(0, 60))}`;
    }
  } catch {
    // a getter that throws: fall through to the plain description
  }
  return 'an object';
}

/** Renders a received value for an error message without ever throwing or printing megabytes. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n (a bigint, not a number)`;
  if (typeof value === 'symbol') return 'a symbol';
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describeValue).join(', ');
    return `[${shown}${value.length > 8 ? ', ...' : ''}]`;
  }
  if (typeof value === 'function') return 'a function';
  return describeObject(value as object);
}

/** Whether a checked value came as a key of an options object or as a positional argument. */
export type ParameterKind = 'option' | 'argument';

/**
 * Throws an {@link InitializerError} in the standard wording:
 * `` <owner>: option `p` must be <allowed>. Received: p=<value> `` (or `argument` for a positional one).
 */
export function fail(
  owner: string,
  parameter: string,
  allowed: string,
  value: unknown,
  kind: ParameterKind = 'option',
): never {
  throw new InitializerError(
    owner,
    parameter,
    `${kind} \`${parameter}\` must be ${allowed}. Received: ${parameter}=${describeValue(value)}`,
  );
}
