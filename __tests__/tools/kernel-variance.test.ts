import {restoreBuiltins, useFixedBuiltins} from '../../src';
import {TRUNCATED_VARIANCE, kernelVariance} from '../../src/tools/kernel-variance';

describe('kernelVariance', () => {
  afterEach(() => restoreBuiltins());

  it("models tfjs's own VarianceScaling: 'normal' is the uncorrected truncated normal, others draw uniform", () => {
    const shape = [100, 50];
    expect(
      kernelVariance('VarianceScaling', {scale: 1, mode: 'fan_in', distribution: 'normal'}, shape),
    ).toBeCloseTo(TRUNCATED_VARIANCE / 100, 12);
    expect(
      kernelVariance(
        'VarianceScaling',
        {scale: 1, mode: 'fan_in', distribution: 'truncated_normal'},
        shape,
      ),
    ).toBeCloseTo(1 / 100, 12);
    expect(
      kernelVariance(
        'VarianceScaling',
        {scale: 2, mode: 'fan_avg', distribution: 'uniform'},
        shape,
      ),
    ).toBeCloseTo(2 / 75, 12);
  });

  it("uses tfjs's fans for every rank: √size for rank 1 and rank 6 and up (tfjs-builtins.ts)", () => {
    const uniform = {scale: 1, mode: 'fan_in', distribution: 'uniform'};
    // Rank 6: tfjs takes fanIn = √38400, not 48·20 = 960 as a [...k, in, out] reading would.
    expect(kernelVariance('VarianceScaling', uniform, [2, 2, 3, 4, 20, 40])).toBeCloseTo(
      1 / Math.sqrt(38400),
      12,
    );
    expect(kernelVariance('HeUniform', {}, [400])).toBeCloseTo(2 / 20, 12);
    // tfjs reads `minval || -0.05`: 0 becomes -0.05.
    expect(kernelVariance('RandomUniform', {minval: 0, maxval: 1}, [4, 4])).toBeCloseTo(
      1.05 ** 2 / 12,
      12,
    );
  });

  it('measures the corrected classes once useFixedBuiltins() has replaced them', () => {
    useFixedBuiltins();
    // Unseeded: averaged over ceil(1e5 / 5000) = 20 draws of 5000 normal values; SE of the
    // sample variance is σ²·√(2/1e5), and 5 SE separate 1/100 from the buggy 0.774/100.
    const v = kernelVariance(
      'VarianceScaling',
      {scale: 1, mode: 'fan_in', distribution: 'normal', seed: null},
      [100, 50],
    ) as number;
    expect(Math.abs(v - 1 / 100)).toBeLessThan(5 * (1 / 100) * Math.sqrt(2 / 1e5));
  });

  it('finds nothing for names that are not registered, including Object.prototype keys', () => {
    for (const name of ['NoSuchInit', 'constructor', '__proto__', 'toString'])
      expect(kernelVariance(name, {}, [4, 4])).toBeNull();
  });
});
