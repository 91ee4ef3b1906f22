/**
 * Unknown initializer names in tfjs's own layer configs get this package's error
 * ({@link unknownInitializerText}: the nearest accepted names, ours and tfjs's) instead of tfjs's
 * "Unknown initializer: X ... not registered properly with tf.serialization.registerClass()".
 *
 * How: tfjs-layers resolves every initializer that is not one of its six Glorot/He/LeCun helpers
 * with `deserializeKerasObject(config, SerializationMap.getMap().classNameMap, {}, 'initializer')`,
 * which asks `className in classNameMap` and throws when the answer is false. Importing the package
 * replaces `classNameMap` with a Proxy over the same object whose only trap is `has`: for a name
 * that is in the registry it answers exactly as before (every get, set and key enumeration reaches
 * the object itself, so valid names and registrations behave as without the package); for a missing
 * name it throws our error when the lookup comes from tfjs's `deserializeInitializer`, seen on the
 * call stack, and answers false otherwise (layers, constraints, regularizers keep tfjs's errors).
 *
 * Limit: the call stack names tfjs's functions only in unminified builds (Node's, the ES modules a
 * bundler reads in development). In a minified bundle the frames carry other names, the hook stays
 * silent and tfjs's own error is thrown, unchanged.
 */
import {serialization} from '@tensorflow/tfjs-core';
import {InitializerError} from '../core/errors';
import {unknownInitializerText} from './initializer-names';

/** Proxies already installed, shared by every copy of this package in the process. */
const KEY = Symbol.for('tfjs-initializers.unknownInitializerHook');
const installed: WeakSet<object> = ((globalThis as Record<symbol, unknown>)[KEY] ??=
  new WeakSet<object>()) as WeakSet<object>;

/** Whether the current `in` test on the registry is tfjs-layers' lookup of an initializer. */
function fromInitializerLookup(): boolean {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 12;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  // tfjs's frames, innermost first: deserializeKerasObject called by deserializeInitializer.
  const frames = stack.split('\n');
  const at = frames.findIndex((f) => /\bdeserializeKerasObject\b/.test(f));
  return at >= 0 && /\bdeserializeInitializer\b/.test(frames[at + 1] ?? '');
}

/**
 * Installs the hook on the registry of the tfjs-core this package uses; idempotent.
 *
 * @example
 * ```ts
 * tf.layers.dense({units: 4, kernelInitializer: 'XavierUniformCustm'});
 * // InitializerError: tfjs-initializers: unknown initializer 'XavierUniformCustm'. Did you mean
 * // 'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)? ...
 * ```
 */
export function hookUnknownInitializerNames(): void {
  const map = serialization.SerializationMap.getMap();
  if (installed.has(map.classNameMap)) return;
  const proxy = new Proxy(map.classNameMap, {
    has(target, key) {
      if (Reflect.has(target, key) || typeof key !== 'string') return Reflect.has(target, key);
      if (fromInitializerLookup())
        throw new InitializerError('tfjs-initializers', 'className', unknownInitializerText(key));
      return false;
    },
  });
  installed.add(proxy);
  map.classNameMap = proxy;
}

hookUnknownInitializerNames();
