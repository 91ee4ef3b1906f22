import * as tf from '@tensorflow/tfjs-core';
import {InitializerError, ZeroBias, zeroBias} from '../../src';
import {leakedTensors} from '../helpers/stats';

describe('ZeroBias', () => {
  it.each(['float32', 'int32', 'bool', 'complex64'] as const)('fills zeros of dtype %s', (dtype) => {
    const t = new ZeroBias().apply([3, 4], dtype);
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual([3, 4]);
    const values = dtype === 'complex64' ? tf.real(t).dataSync() : t.dataSync();
    expect(Array.from(values).every((v) => v === 0)).toBe(true);
    tf.dispose(t);
  });

  it('defaults to float32, handles rank 0 and 1, and the factory agrees', () => {
    const a = zeroBias().apply([7]);
    expect(a.dtype).toBe('float32');
    expect(Array.from(a.dataSync())).toEqual(new Array(7).fill(0));
    const s = new ZeroBias().apply([]);
    expect(s.shape).toEqual([]);
    tf.dispose([a, s]);
  });

  it('returns a fresh tensor each call (tfjs disposes it after copying)', () => {
    const init = new ZeroBias();
    const a = init.apply([2]);
    const b = init.apply([2]);
    expect(a).not.toBe(b);
    a.dispose();
    expect(b.isDisposed).toBe(false);
    b.dispose();
  });

  it('takes no options and refuses string dtype', () => {
    expect(() => new ZeroBias({value: 1} as never)).toThrow(/ZeroBias: unknown option `value`. Allowed options: none/);
    expect(() => new ZeroBias().apply([2], 'string')).toThrow(InitializerError);
    expect(new ZeroBias().getConfig()).toEqual({});
  });

  it('leaks no tensors', () => {
    expect(leakedTensors(() => new ZeroBias().apply([100]))).toBe(0);
  });
});
