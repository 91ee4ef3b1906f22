/**
 * A corpus of real architectures, built in tfjs at realistic depth (small widths and inputs, so
 * that a forward and backward pass takes seconds on a CPU), initialized as Keras would initialize
 * them — `glorotUniform` kernels, zero biases, BN γ = 1 / β = 0, `randomUniform(±0.05)` embeddings,
 * orthogonal recurrent kernels — but seeded, so every run draws the same weights. And the same
 * networks, or classic small ones, with planted initialization faults.
 *
 * Used by `__tests__/tools/corpus*.test.ts` (each clean network gives no warning and no finding,
 * each fault is found) and by `scripts/model-corpus-table.ts`, which renders the table of
 * docs/model-tools.md.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type {Tensor} from '@tensorflow/tfjs-core';
import {tensor} from '@tensorflow/tfjs-core';
import {fillNormal, randomIndex} from '../src/random/samplers';
import {OrthogonalInitializer} from '../src/initializers/orthogonal';

type Sym = tfl.SymbolicTensor;
type Init = ReturnType<typeof tfl.initializers.glorotUniform>;

/** Seeds every initializer of one network in turn, so the network is reproducible. */
class Seeds {
  private k = 0;
  constructor(private readonly base: number) {}
  next(): number {
    return this.base * 10_000 + this.k++;
  }
  glorot(): Init {
    return tfl.initializers.glorotUniform({seed: this.next()});
  }
}

const L = tfl.layers;

/** Keras defaults for a Conv2D: glorotUniform kernel, zero bias (none before BN, as Keras applications do). */
function conv(
  s: Seeds,
  x: Sym,
  filters: number,
  kernelSize: number,
  opts: {
    strides?: number;
    activation?: string;
    useBias?: boolean;
    name?: string;
    kernel?: Init;
  } = {},
): Sym {
  return L.conv2d({
    filters,
    kernelSize,
    strides: opts.strides ?? 1,
    padding: 'same',
    useBias: opts.useBias ?? false,
    activation: (opts.activation ?? 'linear') as never,
    kernelInitializer: opts.kernel ?? s.glorot(),
    name: opts.name,
  }).apply(x) as Sym;
}
const bn = (x: Sym, opts: {scale?: boolean; name?: string} = {}): Sym =>
  L.batchNormalization({scale: opts.scale ?? true, name: opts.name}).apply(x) as Sym;
const relu = (x: Sym, name?: string): Sym => L.reLU({name}).apply(x) as Sym;
const relu6 = (x: Sym, name?: string): Sym => L.reLU({maxValue: 6, name}).apply(x) as Sym;
const add = (xs: Sym[], name?: string): Sym => L.add({name}).apply(xs) as Sym;

/** A classifier head: global average pooling, Dense softmax (Keras defaults). */
function head(s: Seeds, x: Sym, classes = 10): Sym {
  const pooled = L.globalAveragePooling2d({}).apply(x) as Sym;
  return L.dense({
    units: classes,
    activation: 'softmax',
    kernelInitializer: s.glorot(),
    name: 'predictions',
  }).apply(pooled) as Sym;
}

/**
 * ResNet-50-style: a 3×3 stem, then 16 bottleneck blocks in stages of 3, 4, 6, 3 (1×1 → 3×3 → 1×1
 * convolutions, each followed by BN, ReLU after the first two and after the residual Add; a
 * projection shortcut with BN where the shape changes) — 53 convolutions. Widths 8·2^stage, ×4 at
 * the block outputs; input 16×16×3.
 */
export function resnet(seed = 1, options: {duplicate?: boolean} = {}): tfl.LayersModel {
  const s = new Seeds(seed);
  const input = tfl.input({shape: [16, 16, 3], name: 'image'});
  let x = relu(bn(conv(s, input, 16, 3, {name: 'stem_conv'}), {name: 'stem_bn'}), 'stem_relu');
  [3, 4, 6, 3].forEach((blocks, stage) => {
    const width = 8 * 2 ** stage;
    for (let b = 0; b < blocks; b++) {
      const name = `stage${stage + 1}_block${b + 1}`;
      const strides = b === 0 && stage > 0 ? 2 : 1;
      let y = relu(
        bn(conv(s, x, width, 1, {strides, name: `${name}_1_conv`}), {name: `${name}_1_bn`}),
      );
      y = relu(bn(conv(s, y, width, 3, {name: `${name}_2_conv`}), {name: `${name}_2_bn`}));
      y = bn(conv(s, y, 4 * width, 1, {name: `${name}_3_conv`}), {name: `${name}_3_bn`});
      const shortcut =
        b === 0
          ? bn(conv(s, x, 4 * width, 1, {strides, name: `${name}_0_conv`}), {name: `${name}_0_bn`})
          : x;
      x = relu(add([shortcut, y], `${name}_add`), `${name}_out`);
    }
  });
  const model = tfl.model({inputs: input, outputs: head(s, x), name: 'resnet_style'});
  if (options.duplicate === true)
    duplicateUnits(model.getLayer('stage3_block2_2_conv'), [
      [0, 5],
      [0, 9],
      [3, 7],
    ]);
  return model;
}

/** Copies kernel column `from` over column `to` for each pair: units that compute the same thing. */
export function duplicateUnits(layer: tfl.layers.Layer, pairs: Array<[number, number]>): void {
  const weights = layer.getWeights();
  const kernel = weights[0];
  const shape = kernel.shape;
  const units = shape[shape.length - 1];
  const values = kernel.dataSync().slice();
  for (let r = 0; r < values.length / units; r++)
    for (const [from, to] of pairs) values[r * units + to] = values[r * units + from];
  const replaced = tensor(values, shape);
  layer.setWeights([replaced, ...weights.slice(1)]);
  replaced.dispose();
}

/**
 * MobileNetV2-style: a 3×3 stem, then the 17 inverted-residual blocks of MobileNetV2 (expansion 6:
 * 1×1 expand → BN → ReLU6 → 3×3 depthwise → BN → ReLU6 → 1×1 linear projection → BN, a residual Add
 * where shapes allow), a 1×1 conv to the head — 52 convolutions, 35 of them 1×1. Width multiplier
 * `alpha` 0.25 and input 32×32×3 by default (`alpha: 1, size: 224` is Keras's MobileNetV2, 3.5 M
 * weights). With `bn: false` every BN is left out (the fault: depthwise kernels with Keras fans and
 * nothing to renormalize them).
 */
export function mobilenetV2(
  seed = 2,
  options: {bn?: boolean; alpha?: number; size?: number} = {},
): tfl.LayersModel {
  const s = new Seeds(seed);
  const norm = options.bn ?? true;
  const alpha = options.alpha ?? 0.25;
  const width = (c: number): number => Math.max(4, Math.round((c * alpha) / 4) * 4);
  const maybeBn = (x: Sym, name: string): Sym => (norm ? bn(x, {name}) : x);
  const size = options.size ?? 32;
  const input = tfl.input({shape: [size, size, 3], name: 'image'});
  let x = relu6(
    maybeBn(conv(s, input, width(32), 3, {strides: 2, name: 'Conv1'}), 'bn_Conv1'),
    'Conv1_relu',
  );
  let channels = width(32);
  // (expansion, output channels, repeats, first stride): MobileNetV2 Table 2.
  const table: Array<[number, number, number, number]> = [
    [1, 16, 1, 1],
    [6, 24, 2, 2],
    [6, 32, 3, 2],
    [6, 64, 4, 2],
    [6, 96, 3, 1],
    [6, 160, 3, 2],
    [6, 320, 1, 1],
  ];
  let block = 0;
  for (const [t, c, n, first] of table) {
    for (let i = 0; i < n; i++) {
      const name = `block_${block++}`;
      const strides = i === 0 ? first : 1;
      let y = x;
      if (t !== 1)
        y = relu6(
          maybeBn(conv(s, y, channels * t, 1, {name: `${name}_expand`}), `${name}_expand_BN`),
          `${name}_expand_relu`,
        );
      y = L.depthwiseConv2d({
        kernelSize: 3,
        strides,
        padding: 'same',
        useBias: false,
        depthwiseInitializer: s.glorot(),
        name: `${name}_depthwise`,
      }).apply(y) as Sym;
      y = relu6(maybeBn(y, `${name}_depthwise_BN`), `${name}_depthwise_relu`);
      y = maybeBn(conv(s, y, width(c), 1, {name: `${name}_project`}), `${name}_project_BN`);
      x = strides === 1 && channels === width(c) ? add([x, y], `${name}_add`) : y;
      channels = width(c);
    }
  }
  const headWidth = alpha >= 1 ? width(1280) : Math.round(1280 * alpha);
  x = relu6(maybeBn(conv(s, x, headWidth, 1, {name: 'Conv_1'}), 'Conv_1_bn'), 'out_relu');
  return tfl.model({
    inputs: input,
    outputs: head(s, x),
    name: norm ? 'mobilenet_v2_style' : 'mobilenet_v2_style_no_bn',
  });
}

/**
 * Inception-style: a stem of three 3×3 convolutions and a max-pool, then 6 Inception blocks of four
 * branches (1×1; 1×1 → 3×3; 1×1 → 3×3 → 3×3; 3×3 average pool → 1×1) concatenated, a strided
 * reduction block between each pair — every convolution followed by BN without scale (as Keras's
 * InceptionV3) and ReLU; 57 convolutions. Input 16×16×3.
 */
export function inception(seed = 3): tfl.LayersModel {
  const s = new Seeds(seed);
  const unit = (x: Sym, filters: number, k: number, name: string, strides = 1): Sym =>
    relu(
      bn(conv(s, x, filters, k, {strides, name}), {scale: false, name: `${name}_bn`}),
      `${name}_relu`,
    );
  const input = tfl.input({shape: [16, 16, 3], name: 'image'});
  let x = unit(input, 16, 3, 'stem_1');
  x = unit(x, 16, 3, 'stem_2');
  x = unit(x, 32, 3, 'stem_3');
  x = L.maxPooling2d({poolSize: 2}).apply(x) as Sym;
  for (let b = 0; b < 6; b++) {
    const w = 8 * (1 + Math.floor(b / 2));
    const name = `mixed${b}`;
    const b1 = unit(x, w, 1, `${name}_b1`);
    const b2 = unit(unit(x, w, 1, `${name}_b2a`), w, 3, `${name}_b2b`);
    const b3 = unit(unit(unit(x, w, 1, `${name}_b3a`), w, 3, `${name}_b3b`), w, 3, `${name}_b3c`);
    const pool = L.averagePooling2d({poolSize: 3, strides: 1, padding: 'same'}).apply(x) as Sym;
    const b4 = unit(pool, w, 1, `${name}_b4`);
    x = L.concatenate({name}).apply([b1, b2, b3, b4]) as Sym;
    if (b % 2 === 1 && b < 5) {
      const r1 = unit(x, 2 * w, 3, `${name}_reduce_a`, 2);
      const r2 = unit(unit(x, w, 1, `${name}_reduce_b1`), w, 3, `${name}_reduce_b2`, 2);
      const r3 = L.maxPooling2d({poolSize: 3, strides: 2, padding: 'same'}).apply(x) as Sym;
      x = L.concatenate({name: `${name}_reduce`}).apply([r1, r2, r3]) as Sym;
    }
  }
  return tfl.model({inputs: input, outputs: head(s, x), name: 'inception_style'});
}

/** Vocabulary and sequence length of the text models. */
export const TEXT = {vocabulary: 1000, length: 20};

/**
 * A text classifier: Embedding(1000, 32) → Bidirectional(LSTM(32), sequences) → GRU(32) →
 * Dense(16, ReLU) → Dense(4, softmax). Recurrent kernels orthogonal (Keras's default; this
 * package's orthogonal, since tfjs's needs the full bundle), LSTM forget-gate bias 1.
 */
export function textClassifier(seed = 4): tfl.LayersModel {
  const s = new Seeds(seed);
  const input = tfl.input({shape: [TEXT.length], name: 'tokens'});
  let x = L.embedding({
    inputDim: TEXT.vocabulary,
    outputDim: 32,
    embeddingsInitializer: tfl.initializers.randomUniform({
      minval: -0.05,
      maxval: 0.05,
      seed: s.next(),
    }),
    name: 'embedding',
  }).apply(input) as Sym;
  const orthogonal = (): Init => new OrthogonalInitializer({seed: s.next()}) as unknown as Init;
  x = L.bidirectional({
    layer: L.lstm({
      units: 32,
      returnSequences: true,
      kernelInitializer: s.glorot(),
      recurrentInitializer: orthogonal(),
      name: 'lstm',
    }) as never,
    name: 'bidirectional_lstm',
  }).apply(x) as Sym;
  x = L.gru({
    units: 32,
    kernelInitializer: s.glorot(),
    recurrentInitializer: orthogonal(),
    name: 'gru',
  }).apply(x) as Sym;
  x = L.dense({units: 16, activation: 'relu', kernelInitializer: s.glorot(), name: 'hidden'}).apply(
    x,
  ) as Sym;
  const out = L.dense({
    units: 4,
    activation: 'softmax',
    kernelInitializer: s.glorot(),
    name: 'predictions',
  }).apply(x) as Sym;
  return tfl.model({inputs: input, outputs: out, name: 'text_classifier'});
}

/**
 * A Transformer-style encoder: Embedding(1000, 32) and 4 post-LN encoder blocks — Dense Q, K, V
 * projections, scores by a Dot, Softmax, a Dot with V, a Dense output projection, residual Add,
 * LayerNormalization, a ReLU feed-forward Dense(64) → Dense(32), residual Add, LayerNormalization
 * — then global average pooling and Dense(4, softmax). With `zeroFfn`, the first block's
 * feed-forward kernel is Zeros (the fault).
 */
export function transformer(seed = 5, options: {zeroFfn?: boolean} = {}): tfl.LayersModel {
  const s = new Seeds(seed);
  const d = 32;
  const input = tfl.input({shape: [16], name: 'tokens'});
  let x = L.embedding({
    inputDim: TEXT.vocabulary,
    outputDim: d,
    embeddingsInitializer: tfl.initializers.randomUniform({
      minval: -0.05,
      maxval: 0.05,
      seed: s.next(),
    }),
    name: 'embedding',
  }).apply(input) as Sym;
  for (let b = 0; b < 4; b++) {
    const name = `encoder${b}`;
    const dense = (
      y: Sym,
      units: number,
      part: string,
      activation = 'linear',
      kernel?: Init,
    ): Sym =>
      L.dense({
        units,
        activation: activation as never,
        kernelInitializer: kernel ?? s.glorot(),
        name: `${name}_${part}`,
      }).apply(y) as Sym;
    const q = dense(x, d, 'query');
    const k = dense(x, d, 'key');
    const v = dense(x, d, 'value');
    const scores = L.dot({axes: [2, 2], name: `${name}_scores`}).apply([q, k]) as Sym;
    const weights = L.softmax({axis: -1, name: `${name}_attention`}).apply(scores) as Sym;
    const attended = L.dot({axes: [2, 1], name: `${name}_attended`}).apply([weights, v]) as Sym;
    x = L.layerNormalization({name: `${name}_ln1`}).apply(
      add([x, dense(attended, d, 'output')], `${name}_add1`),
    ) as Sym;
    const zero =
      options.zeroFfn === true && b === 0 ? (tfl.initializers.zeros() as Init) : undefined;
    const ffn = dense(dense(x, 2 * d, 'ffn1', 'relu', zero), d, 'ffn2');
    x = L.layerNormalization({name: `${name}_ln2`}).apply(add([x, ffn], `${name}_add2`)) as Sym;
  }
  const pooled = L.globalAveragePooling1d({}).apply(x) as Sym;
  const out = L.dense({
    units: 4,
    activation: 'softmax',
    kernelInitializer: s.glorot(),
    name: 'predictions',
  }).apply(pooled) as Sym;
  return tfl.model({
    inputs: input,
    outputs: out,
    name: options.zeroFfn === true ? 'transformer_zero_ffn' : 'transformer_style',
  });
}

/** A plain MLP without normalization: `depth` Dense layers of `width` units, then Dense(4, softmax). */
export function mlp(
  name: string,
  depth: number,
  activation: 'relu' | 'tanh',
  kernel: (s: Seeds, i: number) => Init,
  width = 64,
): tfl.LayersModel {
  const s = new Seeds(100 + depth);
  const model = tfl.sequential({name});
  for (let i = 0; i < depth; i++) {
    model.add(
      L.dense({
        units: width,
        activation,
        kernelInitializer: kernel(s, i),
        name: `dense_${i + 1}`,
        ...(i === 0 ? {inputShape: [32]} : {}),
      }),
    );
  }
  model.add(
    L.dense({units: 4, activation: 'softmax', kernelInitializer: s.glorot(), name: 'predictions'}),
  );
  return model;
}

/**
 * A stack of `depth` DepthwiseConv2D(3×3, ReLU) on 32 channels with Keras's glorotUniform (fans
 * kh·kw·C in, kh·kw out) and no BN.
 */
export function depthwiseStack(depth = 8): tfl.LayersModel {
  const s = new Seeds(200);
  const input = tfl.input({shape: [16, 16, 32], name: 'features'});
  let x = input;
  for (let i = 0; i < depth; i++) {
    x = L.depthwiseConv2d({
      kernelSize: 3,
      padding: 'same',
      activation: 'relu',
      depthwiseInitializer: s.glorot(),
      name: `depthwise_${i + 1}`,
    }).apply(x) as Sym;
  }
  return tfl.model({inputs: input, outputs: head(s, x, 4), name: 'depthwise_stack'});
}

/** A VGG-style conv net without BN (He-normal, as it should be), its fourth convolution's kernel Zeros. */
export function zeroConvNet(): tfl.LayersModel {
  const s = new Seeds(300);
  const input = tfl.input({shape: [16, 16, 3], name: 'image'});
  let x = input;
  for (let i = 0; i < 6; i++) {
    const kernel =
      i === 3 ? (tfl.initializers.zeros() as Init) : tfl.initializers.heNormal({seed: s.next()});
    x = conv(s, x, 16, 3, {activation: 'relu', useBias: true, kernel, name: `conv_${i + 1}`});
  }
  return tfl.model({inputs: input, outputs: head(s, x, 4), name: 'vgg_zero_conv'});
}

/** One network of the corpus, how to feed it, and what must be found. */
export interface CorpusEntry {
  name: string;
  description: string;
  build: () => tfl.LayersModel;
  /** The kinds of problem `inspectModel` reports, exactly (empty: none). */
  inspect: string[];
  /** The kinds of finding `analyzeInitialization` reports, exactly (empty: none). */
  doctor: string[];
  /** Whether the fault lives in the weights (invisible to inspect, which reads no weights). */
  weightsOnly?: boolean;
}

export const CORPUS: CorpusEntry[] = [
  {
    name: 'resnet',
    description: 'ResNet-50-style (16 bottlenecks, BN, residual adds)',
    build: () => resnet(),
    inspect: [],
    doctor: [],
  },
  {
    name: 'mobilenet_v2',
    description: 'MobileNetV2-style (17 inverted residuals, depthwise, ReLU6)',
    build: () => mobilenetV2(),
    inspect: [],
    doctor: [],
  },
  {
    name: 'inception',
    description: 'Inception-style (6 blocks, concatenations, BN without scale)',
    build: () => inception(),
    inspect: [],
    doctor: [],
  },
  {
    name: 'text_classifier',
    description: 'Embedding → BiLSTM → GRU → Dense text classifier',
    build: () => textClassifier(),
    inspect: [],
    doctor: [],
  },
  {
    name: 'transformer',
    description: 'Transformer-style encoder (4 blocks, Dense attention, LayerNorm, residuals)',
    build: () => transformer(),
    inspect: [],
    doctor: [],
  },
  {
    name: 'zero_conv',
    description: 'fault: VGG-style conv net, no BN, one Zeros kernel',
    build: zeroConvNet,
    inspect: ['constantKernel'],
    doctor: ['symmetricUnits', 'deadUnits', 'noGradient', 'vanishingSignal', 'vanishingGradient'],
  },
  {
    name: 'zero_ffn',
    description: 'fault: the Transformer, first feed-forward kernel Zeros',
    build: () => transformer(5, {zeroFfn: true}),
    inspect: ['constantKernel'],
    doctor: ['symmetricUnits', 'deadUnits', 'noGradient', 'vanishingSignal'],
  },
  {
    name: 'tiny_tanh',
    description: 'fault: 20 tanh layers, RandomNormal(0, 0.01), no BN',
    build: () =>
      mlp('tiny_tanh', 20, 'tanh', (s) =>
        tfl.initializers.randomNormal({mean: 0, stddev: 0.01, seed: s.next()}),
      ),
    inspect: ['vanishingSignal'],
    doctor: ['vanishingSignal', 'vanishingGradient'],
  },
  {
    name: 'xavier_relu_30',
    description: 'fault: 30 ReLU layers, Glorot (Xavier), no BN',
    build: () => mlp('xavier_relu_30', 30, 'relu', (s) => s.glorot()),
    inspect: ['vanishingSignal'],
    doctor: ['vanishingSignal', 'vanishingGradient'],
  },
  {
    name: 'depthwise_keras_fans',
    description: 'fault: 8 depthwise ReLU layers, Glorot with Keras fans, no BN',
    build: () => depthwiseStack(8),
    inspect: ['vanishingSignal'],
    doctor: ['vanishingSignal', 'vanishingGradient'],
  },
  {
    name: 'mobilenet_v2_no_bn',
    description: 'fault: the MobileNetV2, every BN removed',
    build: () => mobilenetV2(2, {bn: false}),
    inspect: ['vanishingSignal'],
    doctor: ['vanishingSignal', 'vanishingGradient'],
  },
  {
    name: 'duplicated_units',
    description: 'fault: the ResNet, 3 units of one conv duplicated (weights)',
    build: () => resnet(1, {duplicate: true}),
    inspect: [],
    doctor: ['symmetricUnits'],
    weightsOnly: true,
  },
  {
    name: 'huge_gain_relu',
    description: 'fault: 10 ReLU layers, VarianceScaling(scale 50), no BN',
    build: () =>
      mlp('huge_gain_relu', 10, 'relu', (s) =>
        tfl.initializers.varianceScaling({scale: 50, seed: s.next()}),
      ),
    // The softmax head after 10^7× is one-hot on every row: saturated, and no gradient gets back.
    inspect: ['explodingSignal', 'saturation'],
    doctor: ['explodingSignal', 'noGradient', 'saturation'],
  },
  {
    name: 'huge_gain_tanh',
    description: 'fault: 10 tanh layers, VarianceScaling(scale 50), no BN',
    build: () =>
      mlp('huge_gain_tanh', 10, 'tanh', (s) =>
        tfl.initializers.varianceScaling({scale: 50, seed: s.next()}),
      ),
    inspect: ['saturation'],
    doctor: ['saturation', 'explodingGradient'],
  },
];

/** A batch for a corpus network: N(0, 1) images/features from `seed`, or token ids for a text input. */
export function corpusBatch(model: tfl.LayersModel, size: number, seed = 0): Tensor[] {
  return model.inputs.map((input, i) => {
    const shape = [size, ...(input.shape.slice(1) as number[])];
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    if (input.name.startsWith('tokens'))
      for (let k = 0; k < n; k++) values[k] = randomIndex(seed, i, k, TEXT.vocabulary);
    else fillNormal(values, seed, i, 0, 1);
    return tensor(values, shape);
  });
}
