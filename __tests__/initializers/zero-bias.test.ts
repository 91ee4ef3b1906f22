import * as tf from '@tensorflow/tfjs-core';
import {InitializerError, ZeroBias, zeroBias} from '../../src';
import {leakedTensors} from '../helpers/stats';

describe('ZeroBias', () => {
  it.each(['float32', 'int32', 'bool'] as const)('fills zeros of dtype %s', (dtype) => {
    const t = new ZeroBias().apply([3, 4], dtype);
    expect(t.dtype).toBe(dtype);
    expect(t.shape).toEqual([3, 4]);
    expect(Array.from(t.dataSync()).every((v) => v === 0)).toBe(true);
    tf.dispose(t);
  });

  // The cpu project takes the first branch, the wasm project (no complex kernels) the second.
  it('fills complex64 zeros where the backend has complex numbers, and says which backend lacks them', () => {
    if (tf.getKernel('Complex', tf.getBackend()) !== undefined) {
      const t = new ZeroBias().apply([3, 4], 'complex64');
      expect(t.dtype).toBe('complex64');
      expect(Array.from(tf.real(t).dataSync()).every((v) => v === 0)).toBe(true);
      tf.dispose(t);
    } else {
      const before = tf.memory().numTensors;
      expect(() => new ZeroBias().apply([3, 4], 'complex64')).toThrow(
        new RegExp(
          `^ZeroBias: dtype 'complex64' needs complex numbers, which the '${tf.getBackend()}' backend does not have`,
        ),
      );
      expect(tf.memory().numTensors).toBe(before);
    }
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
    expect(() => new ZeroBias({value: 1} as never)).toThrow(
      /ZeroBias: unknown option `value`. Allowed options: none/,
    );
    expect(() => new ZeroBias().apply([2], 'string')).toThrow(InitializerError);
    expect(new ZeroBias().getConfig()).toEqual({});
  });

  it('leaks no tensors', () => {
    expect(leakedTensors(() => new ZeroBias().apply([100]))).toBe(0);
  });
});
