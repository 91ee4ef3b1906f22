import {InitializerError, calculateGain, computeFans} from '../src';
import {NONLINEARITIES} from '../src/fans';

describe('computeFans', () => {
  it.each([
    [[784, 128], 784, 128],
    [[3, 16, 32], 48, 96], // Conv1D [k, in, out]
    [[3, 3, 16, 32], 144, 288], // Conv2D [kh, kw, in, out]
    [[2, 3, 3, 4, 5], 72, 90], // Conv3D
  ])('shape %j -> fanIn %i, fanOut %i', (shape, fanIn, fanOut) => {
    expect(computeFans(shape)).toEqual({fanIn, fanOut});
  });

  it.each([[[]], [[10]]])('rejects rank < 2: %j', (shape) => {
    expect(() => computeFans(shape)).toThrow(InitializerError);
    expect(() => computeFans(shape)).toThrow(/rank >= 2/);
  });
});

describe('calculateGain (PyTorch table)', () => {
  it.each([
    ['linear', 1],
    ['conv1d', 1],
    ['conv2d', 1],
    ['conv3d', 1],
    ['convTranspose1d', 1],
    ['convTranspose2d', 1],
    ['convTranspose3d', 1],
    ['sigmoid', 1],
    ['tanh', 5 / 3],
    ['relu', Math.sqrt(2)],
    ['selu', 0.75],
  ] as const)('%s -> %d', (name, gain) => {
    expect(calculateGain(name)).toBeCloseTo(gain, 15);
  });

  it('leakyRelu uses sqrt(2 / (1 + a^2)) with default slope 0.01, under both spellings', () => {
    expect(calculateGain('leakyRelu')).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(calculateGain('leaky_relu', 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(calculateGain('leakyRelu', 0.2)).toBe(calculateGain('leaky_relu', 0.2));
  });

  it('rejects unknown names and bad slopes with InitializerError', () => {
    expect(() => calculateGain('swish' as never)).toThrow(
      /calculateGain: option `nonlinearity` must be one of linear/,
    );
    expect(() => calculateGain('leakyRelu', NaN)).toThrow(InitializerError);
    expect(() => calculateGain('__proto__' as never)).toThrow(InitializerError);
  });

  it('lists every accepted name', () => {
    for (const name of NONLINEARITIES)
      expect(Number.isFinite(calculateGain(name as never))).toBe(true);
  });
});
