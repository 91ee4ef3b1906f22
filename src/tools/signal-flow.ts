import type {ModelGraph} from './graph';
import {ownValue} from '../core/own';
import {SATURATING} from './activation';
import {kernelFans} from './layer-kinds';
import {signalPlaces, type SignalPlace} from './signal-places';

/**
 * Static signal propagation: the second moment q = E[x²] of every layer's output at
 * initialization, predicted from the initializers alone (mean-field, as in He et al. 2015 and
 * Poole et al. 2016), for inputs with E[x²] = 1:
 *
 * - weighted layer: q_pre = q_in · Var(W) · fanIn (true fan-in: kh·kw for a depthwise kernel),
 *   exact for zero-mean weights and any input; then its activation: q = E[f(z)²], z ~ N(0, q_pre);
 * - activation layer: q = E[f(z)²]; normalization: q = E[γ²] + E[β²] (1 with the defaults);
 * - Add/Subtract: the sum; Concatenate: the channel-weighted mean; Average, Maximum, Minimum: the
 *   mean / largest; pass-through layers keep q;
 * - embeddings start at E[table²]; recurrent layers, softmax and unmodelled layers restart at 1.
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

/** E[g(z)] for z ~ N(0, q), by Simpson's rule over ±10 standard deviations. */
function gaussianMean(g: (z: number) => number, q: number): number {
  if (q <= 0) return g(0);
  const s = Math.sqrt(q);
  const n = 800;
  const h = 20 / n;
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const t = -10 + i * h;
    const w = i === 0 || i === n ? 1 : i % 2 === 1 ? 4 : 2;
    total += w * g(s * t) * Math.exp(-0.5 * t * t);
  }
  return (total * h) / 3 / Math.sqrt(2 * Math.PI);
}

/** E[f(z)²] for z ~ N(0, q): the second moment after activation `name`; null if it is not modelled. */
export function activationMoment(name: string, q: number): number | null {
  const f = ownValue(FUNCTIONS, name);
  if (f === undefined) return null;
  if (name === 'linear') return q;
  if (name === 'relu' || name === 'prelu') return q / 2;
  return gaussianMean((z) => f(z) ** 2, q);
}

/** Fraction of outputs of a saturating activation within 1% of a bound, for z ~ N(0, q); null if not saturating. */
export function saturatedFraction(name: string, q: number): number | null {
  const b = ownValue(SATURATING, name);
  const f = ownValue(FUNCTIONS, name);
  if (b === undefined || f === undefined || q <= 0) return b === undefined ? null : 0;
  return gaussianMean((z) => (Math.abs(f(z) - b.centre) >= 0.99 * b.halfWidth ? 1 : 0), q);
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
  /** E[x²] at the stretch's origin. */
  base: number;
  /**
   * Predicted second moment of the input of the node's nonlinearity: q_pre = q_in·Var(W)·fanIn of
   * a weighted layer, q_in of an activation layer; else null.
   */
  preActivation: number | null;
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
    const ins = node.inputs.map((p) => ('node' in p ? out[p.node].q : 1));
    const qIn = ins.length === 1 ? ins[0] : null;
    let q: number | null;
    let pre: number | null = null;
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
        pre = factor === null || qIn === null ? null : qIn * factor;
        q = pre === null ? null : activationMoment(place.activation ?? 'linear', pre);
        break;
      }
      case 'normalization': {
        const gamma = ws.get('gamma')?.meanSquare;
        const beta = ws.get('beta')?.meanSquare;
        q = (gamma === undefined ? 1 : (gamma ?? 1)) + (beta ?? 0);
        break;
      }
      case 'activation':
        pre = qIn;
        q =
          qIn === null || place.activation === 'softmax'
            ? null
            : activationMoment(place.activation ?? 'linear', qIn);
        break;
      case 'passThrough':
        q = qIn;
        break;
      case 'merge':
        q = mergeMoment(node.className, ins, node.inputShapes);
        break;
      case 'embedding':
        q = ws.get('embeddings')?.meanSquare ?? null;
        break;
      default:
        q = null;
    }
    let base: number;
    if (place.origin === node.index) base = q ?? 1;
    else if (place.origin < 0) base = 1;
    else base = out[place.origin].base;
    out.push({
      ...place,
      q: place.origin === node.index && q === null ? 1 : q,
      base,
      preActivation: pre,
      gains,
    });
  }
  return out;
}

function mergeMoment(
  className: string,
  ins: Array<number | null>,
  shapes: Array<Array<number | null>>,
): number | null {
  if (ins.some((q) => q === null)) return null;
  const qs = ins as number[];
  switch (className) {
    case 'Add':
    case 'Subtract':
      return qs.reduce((a, b) => a + b, 0);
    case 'Concatenate': {
      const widths = shapes.map((s) => s[s.length - 1] ?? 1);
      const total = widths.reduce((a, b) => a + b, 0);
      return qs.reduce((a, q, i) => a + q * widths[i], 0) / total;
    }
    case 'Average':
      return qs.reduce((a, b) => a + b, 0) / qs.length;
    default:
      return Math.max(...qs);
  }
}
