import {InitializerError, KaimingNormal, KaimingUniform, kaimingNormal} from '../../src';
import {leakedTensors, moments, take, varianceTolerance} from '../helpers/stats';

describe('KaimingUniform / KaimingNormal (PyTorch semantics)', () => {
  it('default: leakyRelu with a = 0 (ReLU), fanIn: Var = 2 / fanIn', () => {
    const u = take(new KaimingUniform({seed: 1}).apply([500, 1000]));
    const bound = Math.sqrt(3) * Math.sqrt(2 / 500);
    expect(u.reduce((m, v) => Math.max(m, Math.abs(v)), 0)).toBeLessThanOrEqual(Math.fround(bound));
    expect(Math.abs(moments(u).variance - 2 / 500)).toBeLessThan(
      varianceTolerance(2 / 500, u.length, 9 / 5),
    );
    const g = take(new KaimingNormal({seed: 2}).apply([500, 1000]));
    expect(Math.abs(moments(g).variance - 2 / 500)).toBeLessThan(
      varianceTolerance(2 / 500, g.length, 3),
    );
  });

  it('a is the leaky slope, mode fanOut divides by fanOut, other nonlinearities use their gain', () => {
    const leaky = take(new KaimingNormal({a: 0.2, mode: 'fanOut', seed: 3}).apply([3, 3, 32, 64]));
    const target = 2 / (1 + 0.04) / (9 * 64);
    expect(Math.abs(moments(leaky).variance - target)).toBeLessThan(
      varianceTolerance(target, leaky.length, 3),
    );
    const tanh = take(kaimingNormal({nonlinearity: 'tanh', a: 5, seed: 4}).apply([400, 600]));
    const t2 = 25 / 9 / 400;
    expect(Math.abs(moments(tanh).variance - t2)).toBeLessThan(
      varianceTolerance(t2, tanh.length, 3),
    );
  });

  it('rejects bad options and leaks nothing', () => {
    expect(() => new KaimingUniform({mode: 'fanAvg' as never})).toThrow(
      /KaimingUniform: option `mode` must be one of 'fanIn', 'fanOut'/,
    );
    expect(() => new KaimingNormal({nonlinearity: 'swish' as never})).toThrow(InitializerError);
    expect(() => new KaimingNormal({a: NaN})).toThrow(/Received: a=NaN/);
    expect(leakedTensors(() => new KaimingNormal().apply([8, 8]))).toBe(0);
  });
});
