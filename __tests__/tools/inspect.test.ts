/**
 * The static rules of `inspectModel`, each on a network where it must fire and one where it must
 * not (docs/model-tools.md states each rule and its reason).
 */
import * as tfl from '@tensorflow/tfjs-layers';
import '../../src';
import * as tf from '@tensorflow/tfjs-core';
import {analyzeInitialization, inspectModel, type Inspection} from '../../src/tools';
import {propagateSignal} from '../../src/tools/signal-flow';
import {modelGraph} from '../../src/tools/graph';

type Sym = tfl.SymbolicTensor;
const L = tfl.layers;
const glorot = (seed: number) => tfl.initializers.glorotUniform({seed});
const he = (seed: number) => tfl.initializers.heNormal({seed});
const inspect = (model: tfl.LayersModel): Promise<Inspection> =>
  inspectModel({modelTopology: model.toJSON(null, false)});
const kinds = (r: Inspection): string[] => r.problems.map((p) => p.kind);

/** `depth` conv layers (3×3, `filters`), each with `kernel(i)`, optionally followed by BN and/or a ReLU layer. */
function convStack(
  depth: number,
  kernel: (i: number) => ReturnType<typeof glorot>,
  opts: {bn?: boolean; activation?: string; fused?: string} = {},
): tfl.LayersModel {
  const input = tfl.input({shape: [8, 8, 16]});
  let x: Sym = input;
  for (let i = 0; i < depth; i++) {
    x = L.conv2d({
      filters: 16,
      kernelSize: 3,
      padding: 'same',
      kernelInitializer: kernel(i),
      activation: (opts.fused ?? 'linear') as never,
      name: `conv_${i}`,
    }).apply(x) as Sym;
    if (opts.bn === true) x = L.batchNormalization({name: `bn_${i}`}).apply(x) as Sym;
    if (opts.activation !== undefined)
      x = L.activation({activation: opts.activation as never, name: `act_${i}`}).apply(x) as Sym;
  }
  return tfl.model({inputs: input, outputs: x});
}

describe('inspectModel: shapes and names', () => {
  it('lists only the weights tfjs creates, with the shapes of the dry build, without a weights manifest', async () => {
    const input = tfl.input({shape: [8, 8, 3]});
    let x = L.conv2d({filters: 4, kernelSize: 3, useBias: false, name: 'c'}).apply(input) as Sym;
    x = L.batchNormalization({scale: false, name: 'bn'}).apply(x) as Sym;
    x = L.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, useBias: false, name: 'dw'}).apply(
      x,
    ) as Sym;
    const r = await inspect(tfl.model({inputs: input, outputs: x}));
    expect(r.entries.map((e) => [e.layer, e.weight, e.shape])).toEqual([
      ['c', 'kernel', [3, 3, 3, 4]],
      ['bn', 'beta', [4]],
      ['bn', 'moving_mean', [4]],
      ['bn', 'moving_variance', [4]],
      ['dw', 'depthwise_kernel', [3, 3, 4, 2]],
    ]);
  });

  it(
    'recognises the snake_case built-in names tfjs accepts ' +
      '("glorot_uniform"), and flags really unknown ones',
    async () => {
      const json = {
        modelTopology: {
          class_name: 'Sequential',
          config: {
            name: 's',
            layers: [
              {
                class_name: 'Dense',
                config: {
                  name: 'd',
                  units: 4,
                  batch_input_shape: [null, 3],
                  kernel_initializer: 'glorot_uniform',
                  bias_initializer: 'zeros',
                  activation: 'relu',
                },
              },
              {class_name: 'Dense', config: {name: 'e', units: 2, kernel_initializer: 'he_normal'}},
            ],
          },
        },
      };
      const r = await inspectModel(json);
      expect(r.problems).toEqual([]);
      // tfjs builds both as VarianceScaling presets (its getClassName says so).
      expect(r.entries.map((e) => [e.initializer, e.config.mode, e.config.scale])).toEqual([
        ['VarianceScaling', 'fanAvg', 1],
        ['Zeros', undefined, undefined],
        ['VarianceScaling', 'fanIn', 2],
        ['Zeros', undefined, undefined],
      ]);
      const bad = await inspectModel({
        modelTopology: {
          class_name: 'Sequential',
          config: {
            name: 's',
            layers: [
              {
                class_name: 'Dense',
                config: {
                  name: 'd',
                  units: 4,
                  batch_input_shape: [null, 3],
                  kernel_initializer: 'glorot_unicorn',
                },
              },
            ],
          },
        },
      });
      expect(bad.problems.map((p) => [p.kind, p.severity])).toEqual([['unknownClass', 'error']]);
    },
  );

  it('true fan-in of a depthwise kernel is kh·kw; of a transposed convolution kh·kw·in / stride²', async () => {
    const input = tfl.input({shape: [8, 8, 16]});
    const dw = L.depthwiseConv2d({
      kernelSize: 3,
      padding: 'same',
      depthwiseInitializer: glorot(1),
      name: 'dw',
    }).apply(input) as Sym;
    const up = L.conv2dTranspose({
      filters: 8,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      kernelInitializer: glorot(2),
      name: 'up',
    }).apply(dw) as Sym;
    const r = await inspect(tfl.model({inputs: input, outputs: up}));
    const dwEntry = r.entries.find((e) => e.weight === 'depthwise_kernel');
    // Keras's Glorot for [3, 3, 16, 1]: fans 144 in, 9 out → Var = 2/153; true gain 9·2/153.
    expect(dwEntry?.fanIn).toBe(9);
    expect(dwEntry?.gain).toBeCloseTo((9 * 2) / 153, 10);
    // [4, 4, 8, 16]: each output sums 4·4·16 / 4 products.
    expect(r.entries.find((e) => e.layer === 'up' && e.weight === 'kernel')?.fanIn).toBe(64);
  });

  it('follows nested models, shared layers and wrappers in the graph', async () => {
    const shared = L.dense({
      units: 8,
      activation: 'relu',
      kernelInitializer: he(3),
      name: 'shared',
    });
    const innerIn = tfl.input({shape: [8]});
    const inner = tfl.model({
      inputs: innerIn,
      outputs: L.dense({units: 8, kernelInitializer: he(4), name: 'inner_dense'}).apply(
        innerIn,
      ) as Sym,
      name: 'inner',
    });
    const input = tfl.input({shape: [8]});
    const a = shared.apply(input) as Sym;
    const b = shared.apply(inner.apply(a) as Sym) as Sym;
    const model = tfl.model({inputs: input, outputs: b});
    const graph = modelGraph(model);
    expect(graph.nodes.map((n) => n.path)).toEqual(['shared', 'inner/inner_dense', 'shared#2']);
    expect(graph.nodes[1].inputs).toEqual([{node: 0, output: 0}]);
    expect(graph.nodes[0].consumers).toEqual([1]);
    const r = await inspect(model);
    // The shared layer's weights are listed once.
    expect(r.entries.map((e) => `${e.layer}.${e.weight}`)).toEqual([
      'shared.kernel',
      'shared.bias',
      'inner/inner_dense.kernel',
      'inner/inner_dense.bias',
    ]);
  });
});

describe('inspectModel: the rules', () => {
  it(
    'constantKernel: fires for a Zeros kernel before a ReLU; not ' +
      'for a zero kernel ending a residual branch (Fixup), nor for ' +
      'zero biases',
    async () => {
      const fires = await inspect(
        convStack(3, (i) => (i === 1 ? tfl.initializers.zeros() : he(i)) as never, {fused: 'relu'}),
      );
      expect(kinds(fires)).toEqual(['constantKernel']);
      expect(fires.problems[0].layer).toBe('conv_1');
      const input = tfl.input({shape: [8, 8, 16]});
      const branch = L.conv2d({
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: he(1),
      }).apply(input) as Sym;
      const last = L.conv2d({
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        kernelInitializer: 'zeros',
        name: 'branch_end',
      }).apply(branch) as Sym;
      const residual = L.add().apply([input, last]) as Sym;
      expect(
        (await inspect(tfl.model({inputs: input, outputs: L.reLU().apply(residual) as Sym})))
          .problems,
      ).toEqual([]);
    },
  );

  it(
    'seedReuse: fires for one seeded initializer on two layers; ' +
      'not for distinct seeds, nor the two directions of a ' +
      'Bidirectional',
    async () => {
      expect(kinds(await inspect(convStack(2, () => he(7), {fused: 'relu'})))).toEqual([
        'seedReuse',
      ]);
      expect((await inspect(convStack(2, (i) => he(i), {fused: 'relu'}))).problems).toEqual([]);
      const model = tfl.sequential({
        layers: [
          L.bidirectional({
            layer: L.simpleRNN({
              units: 4,
              kernelInitializer: glorot(1),
              recurrentInitializer: glorot(2),
            }) as never,
            inputShape: [5, 3],
          }),
        ],
      });
      expect((await inspect(model)).problems).toEqual([]);
    },
  );

  it('constantKernel: a recurrent layer whose recurrent kernel differs is said to break symmetry', async () => {
    const lstm = (recurrentInitializer: unknown) =>
      tfl.sequential({
        layers: [
          L.lstm({
            units: 4,
            inputShape: [5, 3],
            kernelInitializer: 'zeros',
            recurrentInitializer: recurrentInitializer as never,
            name: 'lstm',
          }),
        ],
      });
    const apart = (await inspect(lstm(tfl.initializers.orthogonal({gain: 1, seed: 1})))).problems;
    expect(apart.map((p) => [p.kind, p.message])).toEqual([
      [
        'constantKernel',
        'lstm: lstm/kernel starts constant (Zeros): every unit gets the same input weights, and ' +
          'only lstm/recurrent_kernel (Orthogonal) tells the units apart',
      ],
    ]);
    const alike = (await inspect(lstm('zeros'))).problems.map((p) => p.message);
    expect(alike).toContain(
      'lstm: lstm/kernel starts constant (Zeros): every unit computes the same thing and ' +
        'symmetry never breaks',
    );
  });

  it(
    'vanishingSignal: fires for 12 Glorot ReLU convolutions ' +
      'without BN; not with a BN after each, nor with He uniform',
    async () => {
      const fires = await inspect(convStack(12, (i) => glorot(i), {fused: 'relu'}));
      expect(kinds(fires)).toEqual(['vanishingSignal']);
      // Glorot on [3, 3, 16, 16]: Var(W)·fanIn = 1, and ReLU halves E[x²]: 2^-12 in E[x²] after 12 layers, 64× in std.
      expect(fires.problems[0].message).toMatch(
        /^signal RMS falls about 64× from the input to conv_11 across 12 weighted layer\(s\) without normalization \(1\.4× per layer; 12× VarianceScaling = Glorot uniform \(Var\(W\)·fanIn 1\.0\) before relu\): vanishing signal$/,
      );
      expect(
        (await inspect(convStack(12, (i) => glorot(i), {bn: true, activation: 'relu'}))).problems,
      ).toEqual([]);
      expect(
        (
          await inspect(
            convStack(12, (i) => tfl.initializers.heUniform({seed: i}), {fused: 'relu'}),
          )
        ).problems,
      ).toEqual([]);
      // tfjs's He normal has 0.774 of its variance: 0.774^12 = 0.046 in E[x²], 4.7× in std — a real
      // loss, far within what healthy networks drift (a fault is 64×): a note that says why, not a
      // problem.
      const short = await inspect(convStack(12, (i) => he(i), {fused: 'relu'}));
      expect(short.problems).toEqual([]);
      expect(short.notes).toEqual([
        expect.stringMatching(
          /^signal RMS falls about 4\.7× .*He normal .*: useFixedBuiltins\(\) corrects it\)$/,
        ),
      ]);
    },
  );

  it('a layer normalized before any nonlinearity is never judged by its scale, however wrong', async () => {
    const huge = (i: number) => tfl.initializers.varianceScaling({scale: 1e4, seed: i});
    expect((await inspect(convStack(12, huge, {bn: true, activation: 'relu'}))).problems).toEqual(
      [],
    );
    expect(kinds(await inspect(convStack(12, huge, {activation: 'relu'})))).toEqual([
      'explodingSignal',
    ]);
  });

  it("an int32 layer's random embeddings start (nearly) all zero; float32 ones do not", async () => {
    // As a Keras file says it (tfjs's own API leaves an Embedding's dtype out of its config).
    const embedding = (dtype: string, maxval: number): Promise<Inspection> => {
      const model = tfl.sequential({
        layers: [
          L.embedding({
            inputDim: 50,
            outputDim: 8,
            inputLength: 4,
            embeddingsInitializer: tfl.initializers.randomUniform({minval: -maxval, maxval}),
            name: 'emb',
          }),
          L.flatten({}),
          L.dense({units: 2, name: 'out'}),
        ],
      });
      const topology = model.toJSON(null, false) as {config: {layers: Array<{config: object}>}};
      Object.assign(topology.config.layers[0].config, {dtype});
      return inspectModel({modelTopology: topology});
    };
    const int = await embedding('int32', 0.05);
    expect(kinds(int)).toEqual(['constantKernel']);
    expect(int.problems[0].message).toMatch(
      /^emb: embeddings is int32 \(the layer's dtype\), so the values RandomUniform .* at a std of 0\.029 — become 0/,
    );
    expect((await embedding('float32', 0.05)).problems).toEqual([]);
    // Values of std 0.5 and more are integers, not (nearly) constant: no such problem.
    expect(kinds(await embedding('int32', 3))).toEqual([]);
  });

  it('saturation: fires for tanh layers with a large gain; not for Glorot tanh', async () => {
    const big = (i: number) => tfl.initializers.varianceScaling({scale: 30, seed: i});
    const fires = await inspect(convStack(2, big, {fused: 'tanh'}));
    expect(kinds(fires)).toEqual(['saturation', 'saturation']);
    expect(fires.problems[0].message).toMatch(
      /^conv_0: about \d\d% of its tanh outputs start saturated/,
    );
    expect((await inspect(convStack(2, (i) => glorot(i), {fused: 'tanh'}))).problems).toEqual([]);
  });
});

describe('propagateSignal', () => {
  it('predicts E[x²] layer by layer as measured (ReLU He stack: ≈ 1 after each layer)', () => {
    const model = convStack(3, (i) => he(i), {fused: 'relu'});
    const graph = modelGraph(model);
    const shape = (w: number[]) => ({
      variance: (2 / (9 * 16)) * 0.7737413,
      meanSquare: null,
      shape: w,
    });
    const weights = new Map(
      graph.nodes.map((n) => [n.index, new Map([['kernel', shape([3, 3, 16, 16])]])]),
    );
    const q = propagateSignal(graph, weights).map((s) => s.q as number);
    // tfjs's heNormal is an uncorrected truncated normal (0.774 of 2/fanIn): E[x²] falls 0.774× per ReLU layer.
    q.forEach((v, i) => expect(v).toBeCloseTo(0.7737413 ** (i + 1), 6));
    model.dispose();
  });
});

describe('propagateSignal: means and poolings', () => {
  /** A stem and `blocks` ResNet-v1 blocks without normalization: relu(x + conv(relu(conv(x)))), Glorot. */
  function residualStack(blocks: number, size = 8): tfl.LayersModel {
    const input = tfl.input({shape: [size, size, 16]});
    const conv = (name: string, seed: number, activation: string) =>
      L.conv2d({
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        activation: activation as never,
        kernelInitializer: glorot(seed),
        name,
      });
    let x = conv('stem', 1, 'relu').apply(input) as Sym;
    for (let i = 0; i < blocks; i++) {
      const y = conv(`b${i}_b`, 11 + 2 * i, 'linear').apply(
        conv(`b${i}_a`, 10 + 2 * i, 'relu').apply(x),
      ) as Sym;
      const sum = L.add({name: `b${i}_add`}).apply([x, y]) as Sym;
      x = L.activation({activation: 'relu', name: `b${i}_relu`}).apply(sum) as Sym;
    }
    return tfl.model({inputs: input, outputs: x});
  }

  const glorotMoments = (graph: ReturnType<typeof modelGraph>) =>
    new Map(
      graph.nodes
        .filter((n) => n.className === 'Conv2D')
        .map((n) => [
          n.index,
          new Map([
            ['kernel', {variance: 2 / (9 * 16 + 9 * 16), meanSquare: null, shape: [3, 3, 16, 16]}],
          ]),
        ]),
    );

  it('a ReLU after a residual Add keeps the non-negative stream: predicted as measured', () => {
    // A zero-mean model halves E[x²] at every block's ReLU: 0.126 predicted against 4.3 measured
    // over 12 blocks. The stream x is a ReLU output (mean > 0), and relu(x + branch) keeps most of it.
    const model = residualStack(12);
    const graph = modelGraph(model);
    const signal = propagateSignal(graph, glorotMoments(graph));
    const predicted = Math.sqrt(signal[signal.length - 1].q as number);
    const x = tf.randomNormal([64, 8, 8, 16], 0, 1, 'float32', 3);
    const y = model.predict(x) as tf.Tensor;
    const measured = Math.sqrt(tf.mean(tf.square(y)).dataSync()[0]);
    // 65,536 outputs: sampling error well under 1%; the Gaussian approximation of x + branch is
    // what the 20% allows (measured: 4.56 predicted, 4.28 measured).
    expect(predicted / measured).toBeGreaterThan(1 / 1.2);
    expect(predicted / measured).toBeLessThan(1.2);
    tf.dispose([x, y]);
    model.dispose();
  });

  it('a deep residual stack without normalization is not a vanishing signal (inspect agrees with doctor)', async () => {
    const model = residualStack(24, 4);
    expect(kinds(await inspect(model))).toEqual([]);
    const x = tf.randomNormal([8, 4, 4, 16], 0, 1, 'float32', 5);
    const report = analyzeInitialization(model, x);
    expect(report.findings.map((f) => f.kind)).toEqual([]);
    x.dispose();
    model.dispose();
  });

  it('a pooling that averages starts a stretch, but hands on the scale it was given', () => {
    // Restarting at E[x²] = 1 there mixed scales in a Concatenate of a pooled branch and a deep one
    // (InceptionV3 without normalization: no prediction, where 999× was measured).
    const stack = convStack(1, glorot, {fused: 'relu'});
    const pooled = L.averagePooling2d({poolSize: 3, strides: 1, padding: 'same', name: 'p'}).apply(
      stack.outputs[0],
    ) as Sym;
    const model = tfl.model({inputs: stack.inputs, outputs: pooled});
    const graph = modelGraph(model);
    const [c, p] = propagateSignal(graph, glorotMoments(graph));
    expect(c.q).toBeCloseTo(0.5, 6);
    expect(p.q).toBeCloseTo(0.5, 6);
    expect(p.mean).toBeCloseTo(c.mean, 12);
    expect(p.origin).toBe(1);
    expect(p.base).toBeCloseTo(0.5, 6);
    model.dispose();
  });
});
