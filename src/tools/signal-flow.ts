import type {ModelGraph} from './graph';
import {ownValue} from '../core/own';
import {SATURATING} from './activation';
import {fillNormal} from '../random/samplers';
import {kernelFans} from './layer-kinds';
import {POOLINGS, signalPlaces, type SignalPlace} from './signal-places';

/**
 * Static signal propagation: the second moment q = E[x²] and the mean m = E[x] of every layer's
 * output at initialization, predicted from the initializers alone (mean-field, as in He et al. 2015
 * and Poole et al. 2016), for inputs with E[x²] = 1, E[x] = 0:
 *
 * - weighted layer: q_pre = q_in · Var(W) · fanIn (true fan-in: kh·kw for a depthwise kernel),
 *   exact for zero-mean weights and any input, and m_pre = 0; then its activation:
 *   q = E[f(z)²], m = E[f(z)], z ~ N(m_pre, q_pre − m_pre²);
 * - activation layer: the same with the input's q and m; normalization: q = E[γ²] + E[β²] (1 with
 *   the defaults), m = 0;
 * - Add/Subtract: the sum of independent inputs (q = Σq + 2·Σ m_i·m_j); Concatenate: the
 *   channel-weighted mean; Average, Maximum, Minimum: the mean / largest; pass-through layers and
 *   average poolings keep q and m (an average of correlated positions keeps the scale; of
 *   independent ones it shrinks it, which is why a pooling that averages starts a new stretch);
 * - embeddings start at E[table²]; recurrent layers, softmax and unmodelled layers restart at 1.
 *
 * The mean matters where a ReLU's output reaches another ReLU without a weighted layer between:
 * ResNet's `relu(x + branch(x))` keeps a non-negative stream x nearly whole, where a zero-mean
 * model would halve it in every block (a false 1869× fall over ResNet-50 without normalization,
 * whose measured signal keeps its scale).
 */

const erf = (x: number): number => {
  // Abramowitz & Stegun 7.1.26 is too coarse for tails; use the complementary series via erfc.
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const y =
    1 -
    t *
      Math.exp(
        -x * x -
          1.26551223 +
          t *
            (1.00002368 +
              t *
                (0.37409196 +
                  t *
                    (0.09678418 +
                      t *
                        (-0.18628806 +
                          t *
                            (0.27886807 +
                              t *
                                (-1.13520398 +
                                  t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
      );
  return x >= 0 ? y : -y;
};
const phi = (x: number): number => 0.5 * (1 + erf(x / Math.SQRT2));

/** The nonlinearities the propagation models: f(z). */
const FUNCTIONS: Readonly<Record<string, (z: number) => number>> = {
  linear: (z) => z,
  relu: (z) => Math.max(0, z),
  relu6: (z) => Math.min(6, Math.max(0, z)),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
  selu: (z) => 1.0507009873554805 * (z > 0 ? z : 1.6732632423543772 * Math.expm1(z)),
  leakyRelu: (z) => (z > 0 ? z : 0.3 * z),
  prelu: (z) => Math.max(0, z), // alpha starts at 0 (tfjs's default alphaInitializer)
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  hardSigmoid: (z) => Math.min(1, Math.max(0, 0.2 * z + 0.5)),
  softsign: (z) => z / (1 + Math.abs(z)),
  softplus: (z) => (z > 30 ? z : Math.log1p(Math.exp(z))),
  swish: (z) => z / (1 + Math.exp(-z)),
  gelu: (z) => z * phi(z),
  geluNew: (z) => z * phi(z),
  mish: (z) => z * Math.tanh(z > 30 ? z : Math.log1p(Math.exp(z))),
  thresholdedRelu: (z) => (z > 1 ? z : 0),
};

/** E[g(z)] for z ~ N(mean, v), by Simpson's rule over ±10 standard deviations. */
function gaussianMean(g: (z: number) => number, v: number, mean = 0): number {
  if (v <= 0) return g(mean);
  const s = Math.sqrt(v);
  const n = 800;
  const h = 20 / n;
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const t = -10 + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    total += w * g(mean + s * t) * Math.exp(-0.5 * t * t);
  }
  return (total * h) / 3 / Math.sqrt(2 * Math.PI);
}

/** The first two moments of a signal: E[x²] and E[x]. */
export interface Moments {
  q: number;
  mean: number;
}

/**
 * The moments after activation `name` of z with E[z²] = q and E[z] = mean (z Gaussian); null if
 * the activation is not modelled. ReLU in closed form: with s² = q − mean² and a = mean/s,
 * E[relu(z)] = mean·Φ(a) + s·φ(a) and E[relu(z)²] = q·Φ(a) + mean·s·φ(a) (q/2 for mean 0).
 */
export function activationMoments(name: string, q: number, mean = 0): Moments | null {
  const f = ownValue(FUNCTIONS, name);
  if (f === undefined) return null;
  if (name === 'linear') return {q, mean};
  const v = Math.max(0, q - mean * mean);
  if (name === 'relu' || name === 'prelu') {
    if (mean === 0) return {q: q / 2, mean: Math.sqrt(q / (2 * Math.PI))};
    if (v === 0) return {q: mean > 0 ? q : 0, mean: Math.max(0, mean)};
    const s = Math.sqrt(v);
    const a = mean / s;
    const density = Math.exp(-0.5 * a * a) / Math.sqrt(2 * Math.PI);
    return {q: q * phi(a) + mean * s * density, mean: mean * phi(a) + s * density};
  }
  return {q: gaussianMean((z) => f(z) ** 2, v, mean), mean: gaussianMean(f, v, mean)};
}

/**
 * Fraction of outputs of a saturating activation within 1% of a bound, for z with E[z²] = q and
 * E[z] = mean; null if not saturating.
 */
export function saturatedFraction(name: string, q: number, mean = 0): number | null {
  const b = ownValue(SATURATING, name);
  const f = ownValue(FUNCTIONS, name);
  if (b === undefined || f === undefined || q <= 0) return b === undefined ? null : 0;
  return gaussianMean(
    (z) => (Math.abs(f(z) - b.centre) >= 0.99 * b.halfWidth ? 1 : 0),
    Math.max(0, q - mean * mean),
    mean,
  );
}

/** Rows drawn to estimate a softmax's one-hot share: a share of 20% is known to ±1%. */
const ONE_HOT_ROWS = 2000;

/**
 * The predicted share of a softmax's rows that are one-hot (largest probability ≥ 0.99) when its C
 * logits are independent N(0, q): estimated on {@link ONE_HOT_ROWS} rows drawn with seed 0 (the
 * same answer every run). C above 1000 is estimated with 1000 classes (more classes only make a row
 * less one-hot).
 */
export function oneHotShare(classes: number, q: number): number {
  if (classes < 2 || q <= 0) return classes === 1 ? 1 : 0;
  // One-hot needs the largest logit ln 99 ≈ 4.6 above the next: with a std under 0.5 that is over
  // 6.5 std of their difference for every pair — a share under 1e-7, not worth 2000·C draws (the
  // usual head of a healthy network).
  if (q < 0.25) return 0;
  const c = Math.min(classes, 1000);
  const logits = new Float32Array(ONE_HOT_ROWS * c);
  fillNormal(logits, 0, 0, 0, Math.sqrt(q));
  let count = 0;
  for (let r = 0; r < ONE_HOT_ROWS; r++) {
    const row = logits.subarray(r * c, (r + 1) * c);
    let max = -Infinity;
    for (const v of row) max = Math.max(max, v);
    let rest = 0;
    for (const v of row) rest += Math.exp(v - max);
    // p_max = 1 / rest (rest counts the largest as 1): one-hot when p_max ≥ 0.99.
    if (rest <= 1 / 0.99) count++;
  }
  return count / ONE_HOT_ROWS;
}

/** What the propagation knows about one weight's initial values. */
export interface WeightMoments {
  /** Var(W), or null when unknown. */
  variance: number | null;
  /** E[W²], or null when unknown. */
  meanSquare: number | null;
}

/** The prediction for one node. */
export interface NodeSignal extends SignalPlace {
  /** Predicted E[x²] of the output; null where the rules make no claim. */
  q: number | null;
  /** Predicted E[x] of the output (0 where the rules make no claim). */
  mean: number;
  /** E[x²] at the stretch's origin. */
  base: number;
  /**
   * Predicted second moment of the input of the node's nonlinearity: q_pre = q_in·Var(W)·fanIn of
   * a weighted layer, q_in of an activation layer; else null.
   */
  preActivation: number | null;
  /** E[z] of that input. */
  preActivationMean: number;
  /** Var(W)·fanIn of each kernel of a weighted layer (true fan-in), by weight name. */
  gains: Map<string, number | null>;
}

/**
 * Propagates the second moment through `graph` (see the module comment).
 *
 * @param weights for each node index, the moments of its weights by name (`kernel`, `gamma`, ...).
 */
export function propagateSignal(
  graph: ModelGraph,
  weights: ReadonlyMap<number, ReadonlyMap<string, WeightMoments & {shape: number[]}>>,
): NodeSignal[] {
  const places = signalPlaces(graph);
  const out: NodeSignal[] = [];
  for (const node of graph.nodes) {
    const place = places[node.index];
    const ws = weights.get(node.index) ?? new Map<string, WeightMoments & {shape: number[]}>();
    const ins: Array<Moments | null> = node.inputs.map((p) => {
      if (!('node' in p)) return {q: 1, mean: 0};
      const from = out[p.node];
      return from.q === null ? null : {q: from.q, mean: from.mean};
    });
    const single = ins.length === 1 ? ins[0] : null;
    let moments: Moments | null;
    let pre: Moments | null = null;
    const gains = new Map<string, number | null>();
    switch (place.role) {
      case 'weighted': {
        const shapes = new Map([...ws].map(([k, w]) => [k, w.shape]));
        const config = node.layer.getConfig() as Record<string, unknown>;
        let factor: number | null = 1;
        for (const {weight, fanIn} of kernelFans(node.className, config, shapes)) {
          const v = ws.get(weight)?.variance ?? null;
          const gain = v === null ? null : v * fanIn;
          gains.set(weight, gain);
          factor = factor === null || gain === null ? null : factor * gain;
        }
        if (gains.size === 0) factor = null;
        pre = factor === null || single === null ? null : {q: single.q * factor, mean: 0};
        moments = pre === null ? null : activationMoments(place.activation ?? 'linear', pre.q);
        break;
      }
      case 'normalization': {
        const gamma = ws.get('gamma')?.meanSquare;
        const beta = ws.get('beta')?.meanSquare;
        moments = {q: (gamma === undefined ? 1 : (gamma ?? 1)) + (beta ?? 0), mean: 0};
        break;
      }
      case 'activation':
        pre = single;
        moments =
          single === null || place.activation === 'softmax'
            ? null
            : activationMoments(place.activation ?? 'linear', single.q, single.mean);
        break;
      case 'passThrough':
        moments = single;
        break;
      case 'merge':
        moments = mergeMoments(node.className, ins, node.inputShapes);
        break;
      case 'embedding': {
        const q = ws.get('embeddings')?.meanSquare ?? null;
        moments = q === null ? null : {q, mean: 0};
        break;
      }
      default:
        // A pooling starts a stretch, but hands on the scale it was given (see the module comment).
        moments = POOLINGS.has(node.className) ? single : null;
    }
    const q = moments?.q ?? null;
    let base: number;
    if (place.origin === node.index) base = q ?? 1;
    else if (place.origin < 0) base = 1;
    else base = out[place.origin].base;
    out.push({
      ...place,
      q: place.origin === node.index && q === null ? 1 : q,
      mean: moments?.mean ?? 0,
      base,
      preActivation: pre?.q ?? null,
      preActivationMean: pre?.mean ?? 0,
      gains,
    });
  }
  return out;
}

function mergeMoments(
  className: string,
  ins: Array<Moments | null>,
  shapes: Array<Array<number | null>>,
): Moments | null {
  if (ins.some((m) => m === null)) return null;
  const ms = ins as Moments[];
  const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
  switch (className) {
    case 'Add':
    case 'Subtract': {
      // Independent inputs: E[(Σx)²] = Σ E[x²] + 2·Σ_{i<j} E[x_i]·E[x_j] (Subtract: x₀ − x₁).
      const signed = ms.map((m, i) => (className === 'Subtract' && i > 0 ? -m.mean : m.mean));
      const mean = sum(signed);
      return {q: sum(ms.map((m) => m.q)) + mean * mean - sum(signed.map((m) => m * m)), mean};
    }
    case 'Concatenate': {
      const widths = shapes.map((s) => s[s.length - 1] ?? 1);
      const total = sum(widths);
      return {
        q: sum(ms.map((m, i) => m.q * widths[i])) / total,
        mean: sum(ms.map((m, i) => m.mean * widths[i])) / total,
      };
    }
    case 'Average':
      return {q: sum(ms.map((m) => m.q)) / ms.length, mean: sum(ms.map((m) => m.mean)) / ms.length};
    default:
      return ms.reduce((a, b) => (b.q > a.q ? b : a));
  }
}
