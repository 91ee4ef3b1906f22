/** Runs one row of the error table and reports what it threw, how, and what it left behind. */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as api from '../../src';
import * as node from '../../src/node';
import {runCli} from '../../src/cli/main';
import {disposeMade, materialize} from '../../scripts/errors/literal';
import {ASYNC, publicExport, type ErrorRow} from '../../scripts/errors/table';

/** What a row did: the error (or CLI result), whether it failed synchronously, and the tensors it leaked. */
export interface RowOutcome {
  error: unknown;
  cli: {code: number; stderr: string[]} | null;
  /** True when the call threw before returning (for calls that are not async). */
  synchronous: boolean;
  /** tf.memory().numTensors after the call minus before it (the call's own arguments excluded). */
  leaked: number;
}

type Fn = (...args: unknown[]) => unknown;
const exported = publicExport;

function start(row: ErrorRow, made: unknown[]): () => unknown {
  const call = row.call;
  if ('new' in call) {
    const args = materialize(call.args, made) as unknown[];
    return () => new (exported(call.new) as new (...a: unknown[]) => unknown)(...args);
  }
  if ('call' in call) {
    const [target, member] = call.call.split('.');
    const args = materialize(call.args, made) as unknown[];
    const owner = exported(target) as Record<string, Fn>;
    return member === undefined
      ? () => (owner as unknown as Fn)(...args)
      : () => owner[member](...args);
  }
  if ('apply' in call) {
    const [options, shape, dtype] = materialize([call.options, call.shape, call.dtype], made) as [
      unknown,
      unknown,
      unknown,
    ];
    const Cls = exported(call.apply) as new (o?: unknown) => {
      apply: (s: unknown, d?: unknown) => tf.Tensor;
    };
    return () => {
      const t = (options === undefined ? new Cls() : new Cls(options)).apply(shape, dtype);
      made.push(t);
      return t;
    };
  }
  if ('builtin' in call) {
    const config = materialize(call.config, made);
    return () => {
      api.useFixedBuiltins();
      try {
        return tfl.layers.dense({
          units: 1,
          kernelInitializer: {className: call.builtin, config} as never,
        });
      } finally {
        api.restoreBuiltins();
      }
    };
  }
  if ('layer' in call) {
    const config = materialize(call.layer, made) as Record<string, unknown>;
    return () => tfl.layers.dense({units: 1, ...config} as never);
  }
  if ('load' in call) {
    const options = materialize(call.options, made);
    return () => (node.fileIO(call.load, options as never).load as () => Promise<unknown>)();
  }
  return () => call.cli;
}

/** Runs `row`: materializes its arguments, calls it, awaits it if it returns a promise. */
export async function runRow(row: ErrorRow): Promise<RowOutcome> {
  const made: unknown[] = [];
  try {
    if ('cli' in row.call) {
      const stderr: string[] = [];
      const argv =
        row.call.cli[0] === '--backend' ? row.call.cli : ['--backend', 'cpu', ...row.call.cli];
      const before = tf.memory().numTensors;
      const code = await runCli(argv, {
        out: () => undefined,
        err: (t) => stderr.push(...t.split('\n')),
      });
      return {
        error: null,
        cli: {code, stderr},
        synchronous: false,
        leaked: tf.memory().numTensors - before,
      };
    }
    const call = start(row, made);
    const before = tf.memory().numTensors;
    let result: unknown;
    try {
      result = call();
    } catch (error) {
      return {error, cli: null, synchronous: true, leaked: tf.memory().numTensors - before};
    }
    try {
      await result;
    } catch (error) {
      return {error, cli: null, synchronous: false, leaked: tf.memory().numTensors - before};
    }
    return {error: null, cli: null, synchronous: false, leaked: tf.memory().numTensors - before};
  } finally {
    disposeMade(made);
  }
}

/** Whether the row's call returns a promise by design (its error is a rejection, not a throw). */
export function isAsync(row: ErrorRow): boolean {
  const call = row.call;
  return 'load' in call || 'cli' in call || ('call' in call && ASYNC.has(call.call));
}
