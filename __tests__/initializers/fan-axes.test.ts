import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {
  InitializerError,
  KaimingNormal,
  KaimingUniform,
  LecunNormal,
  LecunUniform,
  VarianceScalingInitializer,
  XavierNormal,
  XavierUniformCustom,
  computeFans,
  restoreBuiltins,
  useFixedBuiltins,
  type BaseInitializer,
  type FanAxes,
} from '../../src';
import {registeredClass} from '../helpers/initializer-cases';
import {KURTOSIS, leakedTensors, moments, take, varianceTolerance} from '../helpers/stats';

/**
 * Fresh kernels with explicit fan axes: the sample variance must equal scale / n with n from JAX's
 * rule (`_compute_fans`: fanIn = ∏in · r, fanOut = ∏out · r, r = ∏ of the axes in none of in, out,
 * batch) or Keras 3.15's (`compute_fans(shape, input_axes, output_axes)`: the products alone), within
 * 5 standard errors of the sample variance (a 5% error fails: checked per case). The fans are worked
 * out by hand here, not by `computeFans`.
 */
interface Case {
  what: string;
  make: () => BaseInitializer<object>;
  shape: number[];
  /** scale / n by the rule, computed by hand. */
  variance: number;
  kurtosis: number;
  /** What the channels-last default (no axes) would give: the case must tell them apart. */
  defaultVariance: number;
}

const CASES: Case[] = [
  {
    what: 'attention query kernel [dModel 512, heads 8, headDim 64], inAxis 0, outAxis [1, 2]: fanIn 512 (not 8·512)',
    make: () => new VarianceScalingInitializer({inAxis: 0, outAxis: [1, 2], seed: 1}),
    shape: [512, 8, 64],
    variance: 1 / 512,
    kurtosis: KURTOSIS.truncatedNormal,
    defaultVariance: 1 / (8 * 512),
  },
  {
    what: 'the same kernel, Xavier uniform (fanAvg): (512 + 512) / 2',
    make: () => new XavierUniformCustom({inAxis: 0, outAxis: [-2, -1], seed: 2}),
    shape: [512, 8, 64],
    variance: 2 / (512 + 512),
    kurtosis: KURTOSIS.uniform,
    defaultVariance: 2 / (8 * 512 + 8 * 64),
  },
  {
    what: 'attention output kernel [heads 8, headDim 64, dModel 512], inAxis [0, 1], outAxis 2, fanOut mode',
    make: () =>
      new VarianceScalingInitializer({
        scale: 2,
        mode: 'fanOut',
        distribution: 'untruncatedNormal',
        inAxis: [0, 1],
        outAxis: 2,
        seed: 3,
      }),
    shape: [8, 64, 512],
    variance: 2 / 512,
    kurtosis: KURTOSIS.untruncatedNormal,
    defaultVariance: 2 / (8 * 512),
  },
  {
    what: '16 stacked experts [16, 128, 96], batchAxis 0: fanIn 128',
    make: () => new KaimingNormal({batchAxis: 0, seed: 4}),
    shape: [16, 128, 96],
    variance: 2 / 128,
    kurtosis: KURTOSIS.untruncatedNormal,
    defaultVariance: 2 / (16 * 128),
  },
  {
    what: '4 stacked Conv2D kernels [4, 3, 3, 32, 48], batchAxis [0]: fanIn 3·3·32 (receptive field kept)',
    make: () => new LecunUniform({batchAxis: [0], seed: 5}),
    shape: [4, 3, 3, 32, 48],
    variance: 1 / (9 * 32),
    kurtosis: KURTOSIS.uniform,
    defaultVariance: 1 / (4 * 9 * 32),
  },
  {
    what: 'a PyTorch-layout conv kernel [out 64, in 32, 3, 3], inAxis 1, outAxis 0: fanIn 32·9, fanOut 64·9',
    make: () => new KaimingUniform({inAxis: 1, outAxis: 0, mode: 'fanOut', seed: 6}),
    shape: [64, 32, 3, 3],
    variance: 2 / (64 * 9),
    kurtosis: KURTOSIS.uniform,
    defaultVariance: 2 / (3 * 64 * 32), // channels-last: out = 3, receptive 64·32
  },
  {
    what: 'a transposed Dense kernel [out 1000, in 200], inAxis -1, outAxis -2',
    make: () => new XavierNormal({inAxis: -1, outAxis: -2, gain: 1, seed: 7}),
    shape: [1000, 200],
    variance: 2 / 1200,
    kurtosis: KURTOSIS.untruncatedNormal,
    defaultVariance: 2 / 1200,
  },
  {
    what: 'the same, fanIn mode: 1/200 by the axes, 1/1000 by the default',
    make: () =>
      new VarianceScalingInitializer({inAxis: -1, outAxis: -2, distribution: 'uniform', seed: 8}),
    shape: [1000, 200],
    variance: 1 / 200,
    kurtosis: KURTOSIS.uniform,
    defaultVariance: 1 / 1000,
  },
  {
    what: "JAX's rule on [300, 4, 100], inAxis 0, outAxis 2: axis 1 is the receptive field, fanIn 300·4",
    make: () => new LecunNormal({inAxis: 0, outAxis: 2, seed: 9}),
    shape: [300, 4, 100],
    variance: 1 / 1200,
    kurtosis: KURTOSIS.truncatedNormal,
    defaultVariance: 1 / 1200,
  },
  {
    what: "Keras 3's rule on the same kernel, inputAxes [0], outputAxes [2]: axis 1 is ignored, fanIn 300",
    make: () => new LecunNormal({inputAxes: [0], outputAxes: [2], seed: 9}),
    shape: [300, 4, 100],
    variance: 1 / 300,
    kurtosis: KURTOSIS.truncatedNormal,
    defaultVariance: 1 / 1200,
  },
];

describe("variance with fan axes, by JAX's and Keras 3's rules", () => {
  it.each(CASES.map((c) => [c.what, c] as const))('%s', (_what, c) => {
    const values = take(c.make().apply(c.shape));
    const {variance} = moments(values);
    const tol = varianceTolerance(c.variance, values.length, c.kurtosis);
    expect(Math.abs(variance - c.variance)).toBeLessThan(tol);
    // The test has the power to see a 5% error, and (where they differ) the default fans.
    expect(Math.abs(variance - 1.05 * c.variance)).toBeGreaterThan(tol);
    expect(Math.abs(variance - 0.95 * c.variance)).toBeGreaterThan(tol);
    if (c.defaultVariance !== c.variance)
      expect(Math.abs(variance - c.defaultVariance)).toBeGreaterThan(tol);
  });

  it("unset, the fans are exactly today's: same values as before for every preset and shape", () => {
    for (const [Cls, shape] of [
      [VarianceScalingInitializer, [3, 3, 8, 16]],
      [KaimingUniform, [40, 30]],
      [LecunNormal, [5, 7, 9]],
    ] as const) {
      const plain = take(
        new (Cls as typeof LecunNormal)({seed: 11}).apply(shape as unknown as number[]),
      );
      const jaxDefaults = take(
        new (Cls as typeof LecunNormal)({seed: 11, inAxis: -2, outAxis: -1, batchAxis: []}).apply(
          shape as unknown as number[],
        ),
      );
      expect(jaxDefaults).toEqual(plain);
    }
  });

  it("fixed built-ins read Keras 3's input_axes / output_axes (VarianceScaling and the presets)", () => {
    useFixedBuiltins();
    try {
      const VS = registeredClass('VarianceScaling');
      const einsum = take(
        new VS({
          scale: 1,
          mode: 'fanIn',
          distribution: 'truncatedNormal',
          inputAxes: [0],
          outputAxes: [1, 2],
          seed: 12,
        }).apply([512, 8, 64]),
      );
      const t = 1 / 512;
      expect(Math.abs(moments(einsum).variance - t)).toBeLessThan(
        varianceTolerance(t, einsum.length, KURTOSIS.truncatedNormal),
      );
      const Glorot = registeredClass('GlorotUniform');
      const conv = take(
        new Glorot({inputAxes: [2], outputAxes: [3], seed: 13}).apply([5, 5, 64, 96]),
      );
      const g = 2 / (64 + 96); // Keras 3: the receptive field 5·5 is not counted
      expect(Math.abs(moments(conv).variance - g)).toBeLessThan(
        varianceTolerance(g, conv.length, KURTOSIS.uniform),
      );
      expect(new Glorot({inputAxes: [2], outputAxes: [3]}).getConfig()).toMatchObject({
        scale: 1,
        mode: 'fanAvg',
        distribution: 'uniform',
        inputAxes: [2],
        outputAxes: [3],
      });
    } finally {
      restoreBuiltins();
    }
  });
});

describe('fan axes: saving, computeFans, errors', () => {
  it('configs with axes round-trip through model.toJSON and load again (snake_case keys, integer arrays)', async () => {
    const init = new VarianceScalingInitializer({
      mode: 'fanAvg',
      inAxis: 0,
      outAxis: [1, 2],
      batchAxis: [],
      seed: 3,
    });
    const model = tfl.sequential({
      layers: [
        tfl.layers.dense({
          units: 6,
          inputShape: [4],
          kernelInitializer: new KaimingUniform({inAxis: -2, outAxis: [-1], seed: 1}),
        }),
      ],
    });
    const json = JSON.parse(JSON.stringify(model.toJSON(null, false)));
    expect(json.config.layers[0].config.kernel_initializer.config).toEqual({
      in_axis: -2,
      out_axis: [-1],
      seed: 1,
    });
    const loaded = await tfl.models.modelFromJSON({modelTopology: json} as never);
    const initOf = (m: tfl.LayersModel): KaimingUniform =>
      (m.layers[0] as unknown as {kernelInitializer: KaimingUniform}).kernelInitializer;
    expect(initOf(loaded)).toBeInstanceOf(KaimingUniform);
    expect(initOf(loaded).getConfig()).toEqual(initOf(model).getConfig());
    expect(loaded.getWeights()[0].dataSync()).toEqual(model.getWeights()[0].dataSync());
    const again = new VarianceScalingInitializer(JSON.parse(JSON.stringify(init.getConfig())));
    expect(again.getConfig()).toEqual(init.getConfig());
    expect(take(again.apply([32, 4, 8]))).toEqual(take(init.apply([32, 4, 8])));
    tf.dispose([model, loaded] as never);
  });

  it("computeFans: JAX's and Keras's rules, the old call form, and the examples of the docs", () => {
    const cases: Array<[number[], FanAxes | undefined, [number, number]]> = [
      [[784, 128], undefined, [784, 128]],
      [[3, 3, 16, 32], undefined, [144, 288]],
      [[512, 8, 64], {inAxis: 0, outAxis: [1, 2]}, [512, 512]],
      [[4, 3, 3, 16, 32], {batchAxis: 0}, [144, 288]],
      [[3, 3, 16, 32], {inputAxes: [2], outputAxes: [3]}, [16, 32]],
      [[3, 3, 16, 32], {inAxis: 2, outAxis: 3}, [144, 288]],
      [[2, 3, 5, 7], {inAxis: [0, 2], outAxis: -1, batchAxis: 1}, [10, 7]],
      [[6], {inAxis: 0, outAxis: []}, [6, 1]],
      [[6], {inputAxes: [], outputAxes: [0]}, [1, 6]],
    ];
    for (const [shape, axes, [fanIn, fanOut]] of cases)
      expect(computeFans(shape, axes)).toEqual({fanIn, fanOut});
    expect(computeFans([3, 3, 16, 32], 'MyInit')).toEqual({fanIn: 144, fanOut: 288});
    expect(() => computeFans([5], 'MyInit')).toThrow(
      /^MyInit: fan-in and fan-out need a kernel of rank >= 2/,
    );
  });

  it(
    'bad axes throw InitializerError at construction where the ' +
      'shape is not needed, else at apply before allocating',
    () => {
      const atConstruction: Array<[object, RegExp]> = [
        [{inAxis: 1.5}, /option `inAxis` must be an integer or an array of distinct integers/],
        [
          {outAxis: [0, 0]},
          /option `outAxis` must be an integer or an array of distinct integers.*Received: outAxis=\[0, 0\]/,
        ],
        [{inAxis: 0, outAxis: 0}, /options `inAxis` and `outAxis` both name axis 0/],
        [
          {batchAxis: -2},
          /options `inAxis` and `batchAxis` both name axis -2: .* Received: inAxis=-2 \(default\), batchAxis=-2/,
        ],
        [{inputAxes: [0]}, /option `outputAxes` must be given with `inputAxes`/],
        [{inAxis: 0, outputAxes: [1], inputAxes: [0]}, /cannot be combined/],
        [{fanOut: 4, outAxis: 0}, /explicit fans and fan axes cannot be combined/],
      ];
      for (const [options, message] of atConstruction) {
        for (const Cls of [
          VarianceScalingInitializer,
          XavierUniformCustom,
          KaimingNormal,
          LecunUniform,
        ]) {
          expect(() => new (Cls as typeof LecunUniform)(options as never)).toThrow(
            InitializerError,
          );
          expect(() => new (Cls as typeof LecunUniform)(options as never)).toThrow(message);
        }
      }
      const atApply: Array<[object, number[], RegExp]> = [
        [
          {inAxis: 3},
          [4, 6, 8],
          /option `inAxis` must name axes of shape=\[4, 6, 8\]: integers in \[-3, 2\]. Received: inAxis=3/,
        ],
        [
          {inAxis: 0, outAxis: -3},
          [4, 6, 8],
          /options `inAxis` and `outAxis` both name axis 0 of shape=\[4, 6, 8\]/,
        ],
        [
          {batchAxis: 0},
          [6],
          /option `inAxis` must name axes of shape=\[6\]: integers in \[-1, 0\]. Received: inAxis=-2 \(the default\)/,
        ],
        [
          {inputAxes: [0], outputAxes: [3]},
          [4, 6],
          /option `outputAxes` must name axes of shape=\[4, 6\]/,
        ],
      ];
      for (const [options, shape, message] of atApply) {
        const init = new VarianceScalingInitializer(options as never);
        const before = tf.memory().numTensors;
        expect(() => init.apply(shape)).toThrow(message);
        expect(() => init.validate(shape)).toThrow(InitializerError);
        expect(tf.memory().numTensors).toBe(before);
      }
      expect(
        leakedTensors(() => new XavierNormal({inAxis: 0, outAxis: [1, 2]}).apply([16, 4, 4])),
      ).toBe(0);
    },
  );
});
