import type {Finding, FindingKind, LayerDiagnostics, Thresholds} from './diagnostics';
import {fail} from '../core/errors';
import {knownOptions} from '../core/options';
import type {GroupedValue} from './stats';
import {plural} from '../core/plural';

/** The defaults of {@link Thresholds} (their reasons: the fields' docs and docs/model-tools.md). */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  ratio: 64,
  perLayer: 2,
  dead: 0.25,
  saturated: 0.2,
});

/** Checks (partial) thresholds: `ratio` and `perLayer` finite and > 1, `dead` and `saturated` in (0, 1]. */
export function checkThresholds(owner: string, thresholds: unknown): Partial<Thresholds> {
  const known = knownOptions(owner, thresholds, Object.keys(DEFAULT_THRESHOLDS));
  for (const key of ['ratio', 'perLayer'] as const) {
    const v = known[key];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v <= 1))
      fail(owner, `thresholds.${key}`, 'a finite number > 1', v);
  }
  for (const key of ['dead', 'saturated'] as const) {
    const v = known[key];
    if (v !== undefined && (typeof v !== 'number' || !(v > 0 && v <= 1)))
      fail(owner, `thresholds.${key}`, 'a number in (0, 1]', v);
  }
  return known as Partial<Thresholds>;
}

/** What the findings are measured on, for their wording. */
export interface FindingContext {
  /** `'trained'`: every message says it describes trained weights. Default `'fresh'`. */
  weights?: 'fresh' | 'trained';
  /** Groups of examples the measurements were split into. */
  groups?: number;
  /** Examples in the batch. */
  batch?: number;
  /**
   * The level (RMS) of each model input the trend rules may measure from, by its stretch name
   * (`input 0`): a stretch that starts at a model input is then judged from the input itself, so
   * the first layer's gain counts. Inputs of integer ids (an `Embedding`'s) have no such level.
   */
  inputLevels?: Readonly<Record<string, GroupedValue>>;
}

const pct = (x: number): string => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
const times = (x: number): string =>
  x >= 1e4 ? x.toExponential(1).replace('e+', 'e') : x.toFixed(x >= 10 ? 0 : 1);

/** Fewest weighted layers over which the per-layer drift rule applies. */
const DRIFT_STEPS = 3;

/** Layers beyond which a per-layer finding is reported once for all. */
const GROUPED = 3;

/** A change of a level between two layers of one stretch, one upstream of the other. */
interface Pair {
  /** The reference: the stretch's start or an earlier point (signal), a later point (gradient). */
  ref: LayerDiagnostics;
  l: LayerDiagnostics;
  /** Weighted layers between them. */
  steps: number;
  /** The next point from one towards `ref`, one step along the path (null: none). */
  next: (x: LayerDiagnostics) => LayerDiagnostics | null;
}

const isPoint = (l: LayerDiagnostics): boolean => l.signal && l.activation !== 'softmax';

/**
 * The pairs the trend rules compare, stretch by stretch. Forward: each point with the farthest
 * reference upstream of it — the stretch's start (the normalization, pooling, ... that begins it),
 * else its shallowest point upstream. Backward: each point with the deepest point downstream of it
 * at the same resolution (a gradient's RMS scales with the resolution by design). Only layers on one
 * path are compared: parallel branches (an attention's query, key and value) are not a trend. Each
 * pair can walk its path, one point to the next, for the per-layer rule.
 */
function pairs(
  layers: LayerDiagnostics[],
  inputLevels: Readonly<Record<string, GroupedValue>> = {},
): {forward: Pair[][]; backward: Pair[][]} {
  const byName = new Map(layers.map((l) => [l.name, l]));
  // A model input with a level: a reference at depth 0 for the stretch it starts.
  for (const [name, level] of Object.entries(inputLevels)) {
    if (byName.has(name)) continue;
    byName.set(name, {
      name,
      stretch: name,
      level,
      depth: 0,
      positions: 0,
      signal: false,
      activation: null,
      inputs: [],
    } as unknown as LayerDiagnostics);
  }
  const consumers = new Map<string, LayerDiagnostics[]>();
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
    const list = map.get(key);
    if (list === undefined) map.set(key, [value]);
    else list.push(value);
  };
  for (const l of layers) for (const i of l.inputs ?? []) push(consumers, i, l);
  const stretches = new Map<string, LayerDiagnostics[]>();
  for (const l of layers) push(stretches, l.stretch, l);
  const forward: Pair[][] = [];
  const backward: Pair[][] = [];
  for (const [name, members] of stretches) {
    const start = byName.get(name);
    const usable =
      start !== undefined &&
      start.stretch === name &&
      !isPoint(start) &&
      start.activation !== 'softmax'
        ? start
        : undefined;
    const inside = (l: LayerDiagnostics | undefined): l is LayerDiagnostics =>
      l !== undefined && l.stretch === name;
    // A nonlinear layer whose output is exactly 0 is judged even where its scale would not matter:
    // 0 is no scale a normalization can undo (a Zeros kernel before a ReLU).
    const judged = (l: LayerDiagnostics): boolean =>
      isPoint(l) ||
      (l.activation !== null &&
        l.activation !== 'linear' &&
        l.activation !== 'softmax' &&
        l.level.all === 0);
    const isRef = (l: LayerDiagnostics): boolean => l === usable || judged(l);
    const shallower = (a: LayerDiagnostics | null, b: LayerDiagnostics | null) =>
      a === null || (b !== null && b.depth < a.depth) ? b : a;
    const deeper = (a: LayerDiagnostics | null, b: LayerDiagnostics | null) =>
      a === null || (b !== null && b.depth > a.depth) ? b : a;
    // Upstream of each member (graph order): its farthest reference and its nearest one.
    const far = new Map<LayerDiagnostics, LayerDiagnostics | null>();
    const near = new Map<LayerDiagnostics, LayerDiagnostics | null>();
    for (const l of members) {
      let f: LayerDiagnostics | null = null;
      let n: LayerDiagnostics | null = null;
      for (const i of (l.inputs ?? []).map((x) => byName.get(x)).filter(inside)) {
        f = shallower(shallower(f, isRef(i) ? i : null), far.get(i) ?? null);
        n = deeper(n, isRef(i) ? i : (near.get(i) ?? null));
      }
      far.set(l, f);
      near.set(l, n);
    }
    // Downstream of each member (reverse order), per resolution: its deepest point and nearest one.
    const deep = new Map<LayerDiagnostics, Map<number, LayerDiagnostics>>();
    const next = new Map<LayerDiagnostics, Map<number, LayerDiagnostics>>();
    for (const l of [...members].reverse()) {
      const d = new Map<number, LayerDiagnostics>();
      const nx = new Map<number, LayerDiagnostics>();
      for (const c of (consumers.get(l.name) ?? []).filter(inside)) {
        const candidates = [...(deep.get(c) ?? new Map<number, LayerDiagnostics>()).values()];
        if (judged(c)) candidates.push(c);
        for (const x of candidates)
          d.set(x.positions, deeper(d.get(x.positions) ?? null, x) as LayerDiagnostics);
        const nearest = judged(c) ? [c] : [...(next.get(c) ?? new Map()).values()];
        for (const x of nearest)
          nx.set(x.positions, shallower(nx.get(x.positions) ?? null, x) as LayerDiagnostics);
      }
      deep.set(l, d);
      next.set(l, nx);
    }
    const points = members.filter(judged);
    forward.push(
      points.flatMap((l) => {
        const ref = far.get(l) ?? null;
        if (ref === null) return [];
        const step = (x: LayerDiagnostics) => near.get(x) ?? null;
        return [{ref, l, steps: Math.max(0, l.depth - ref.depth), next: step}];
      }),
    );
    backward.push(
      points.flatMap((l) => {
        const ref = deep.get(l)?.get(l.positions) ?? null;
        if (ref === null) return [];
        const step = (x: LayerDiagnostics) => next.get(x)?.get(l.positions) ?? null;
        return [{ref, l, steps: Math.max(0, ref.depth - l.depth), next: step}];
      }),
    );
  }
  return {forward, backward};
}

/** One direction of the trend rules: the signal forward, or the gradient backward. */
interface TrendWords {
  quantity: string;
  shrink: FindingKind;
  grow: FindingKind;
  shrinkName: string;
  growName: string;
  backward: boolean;
}

/**
 * Whether a pair's change crosses the thresholds, for one set of levels (the batch's, or a group's):
 * by `ratio` overall, or — over 3 or more weighted layers — by `perLayer` or more per weighted
 * layer in every step of its path, all in one direction (a scheme off by that much in each layer,
 * not one bad layer among good ones).
 */
function crosses(
  pair: Pair,
  value: (l: LayerDiagnostics) => number,
  thresholds: Thresholds,
): boolean {
  const factor = value(pair.l) / value(pair.ref);
  if (!(factor > 0) || !Number.isFinite(factor)) return false;
  if (Math.max(factor, 1 / factor) >= thresholds.ratio) return true;
  if (pair.steps < DRIFT_STEPS) return false;
  const down = factor < 1;
  // Walk from the point towards the reference, one point to the next; the first step that is not
  // a drift ends it (so a healthy stretch costs one step per point).
  let a = pair.l;
  for (let b = pair.next(a); b !== null; a = b, b = pair.next(a)) {
    const layers = Math.abs(a.depth - b.depth);
    if (layers > 0) {
      const step = value(a) / value(b);
      if (!(step > 0) || step < 1 !== down) return false;
      if (Math.max(step, 1 / step) ** (1 / layers) < thresholds.perLayer) return false;
    }
    if (b === pair.ref) return true;
  }
  return false; // the steps lead elsewhere: no path to the reference
}

/**
 * Of one stretch's pairs, the largest change that crosses the thresholds over the batch and in
 * every group of examples, as one finding.
 */
function trend(
  candidates: Pair[],
  pick: (l: LayerDiagnostics) => GroupedValue | null,
  thresholds: Thresholds,
  words: TrendWords,
  context: Required<FindingContext>,
): Finding[] {
  let best: (Pair & {factor: number; byGroup: number[]}) | null = null;
  for (const pair of candidates) {
    const r = pick(pair.ref);
    const v = pick(pair.l);
    if (r === null || v === null || !(r.all > 0) || !Number.isFinite(v.all)) continue;
    if (v.all === 0) {
      if (!words.backward) continue; // reported by `zeroed`
      return [
        {
          kind: words.shrink,
          layers: [pair.ref.name, pair.l.name],
          message:
            `${words.quantity} falls to exactly 0 ${path(pair.ref, pair.l, words)}: ` +
            words.shrinkName,
        },
      ];
    }
    const factor = v.all / r.all;
    const byGroup = v.groups.map((x, g) => x / r.groups[g]);
    const stable =
      crosses(pair, (l) => pick(l)?.all ?? NaN, thresholds) &&
      byGroup.every(
        (f, g) =>
          f > 1 === factor > 1 && crosses(pair, (l) => pick(l)?.groups[g] ?? NaN, thresholds),
      );
    if (stable && (best === null || Math.abs(Math.log(factor)) > Math.abs(Math.log(best.factor))))
      best = {...pair, factor, byGroup};
  }
  if (best === null) return [];
  const {ref, l, factor, steps, byGroup} = best;
  const shrinks = factor < 1;
  const size = shrinks ? 1 / factor : factor;
  const sizes = byGroup.map((f) => (shrinks ? 1 / f : f));
  const each = size ** (1 / Math.max(1, steps));
  const perLayer = steps > 0 ? ` (${each < 10 ? each.toFixed(2) : times(each)}× per layer)` : '';
  const across = steps > 0 ? `across ${steps} weighted layer${steps === 1 ? '' : 's'}, ` : '';
  return [
    {
      kind: shrinks ? words.shrink : words.grow,
      layers: words.backward ? [l.name, ref.name] : [ref.name, l.name],
      message:
        `${words.quantity} ${shrinks ? 'shrinks' : 'grows'} ${times(size)}× ${across}` +
        `${path(ref, l, words)}${perLayer}; ${stability(sizes, context)}: ` +
        `${shrinks ? words.shrinkName : words.growName}`,
      byGroup: sizes,
    },
  ];
}

/**
 * A nonlinear layer whose output is exactly 0 on every example while what feeds it is not: the
 * signal vanishes there, whatever follows (0 is no scale a normalization can undo).
 */
function zeroed(layers: LayerDiagnostics[]): Finding[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  return layers
    .filter(
      (l) =>
        l.activation !== null &&
        l.activation !== 'linear' &&
        l.activation !== 'softmax' &&
        l.level.all === 0 &&
        (l.inputs ?? []).every((i) => {
          const from = byName.get(i);
          return from === undefined ? i.startsWith('input ') : from.level.all > 0;
        }),
    )
    .map((l) => ({
      kind: 'vanishingSignal' as const,
      layers: [l.name],
      message:
        `signal RMS falls to exactly 0 at ${l.name}: it outputs 0 on every example ` +
        `while its input does not: vanishing signal`,
    }));
}

function path(ref: LayerDiagnostics, l: LayerDiagnostics, words: TrendWords): string {
  return words.backward ? `from ${ref.name} back to ${l.name}` : `${ref.name} → ${l.name}`;
}

/** The confidence statement of a measured finding: it holds in every group, with the range. */
function stability(values: number[], context: Required<FindingContext>): string {
  const {groups, batch} = context;
  if (groups < 2) return `measured on ${batch} example${batch === 1 ? '' : 's'}, one group`;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const each = Math.floor(batch / groups);
  const size = batch % groups === 0 ? `${each}` : `${each}–${each + 1}`;
  const range = times(lo) === times(hi) ? `${times(lo)}×` : `${times(lo)}–${times(hi)}×`;
  return `holds in each of ${groups} groups of ${size} examples (${range})`;
}

function grouped(
  ls: LayerDiagnostics[],
  kind: FindingKind,
  one: (l: LayerDiagnostics) => string,
  many: (ls: LayerDiagnostics[]) => string,
): Finding[] {
  if (ls.length > GROUPED) return [{kind, layers: ls.map((l) => l.name), message: many(ls)}];
  return ls.map((l) => ({kind, layers: [l.name], message: one(l)}));
}

function range(xs: number[]): string {
  const lo = Math.min(...xs);
  const hi = Math.max(...xs);
  return pct(lo) === pct(hi) ? pct(lo) : `${pct(lo)}–${pct(hi)}`;
}

function symmetry(l: LayerDiagnostics): Finding[] {
  if (l.symmetricGroups.length === 0) return [];
  const inGroups = l.symmetricGroups.reduce((n, g) => n + g.length, 0);
  if (l.symmetricGroups.length === 1 && inGroups === l.units) {
    const fate = l.symmetryStuck
      ? 'symmetry never breaks'
      : 'their gradients differ, so they drift apart only slowly';
    return [
      {
        kind: 'symmetricUnits',
        layers: [l.name],
        message: `all ${l.units} units of ${l.name} are identical: ${fate}`,
      },
    ];
  }
  const example = l.symmetricGroups[0].slice(0, 4).join(', ');
  return [
    {
      kind: 'symmetricUnits',
      layers: [l.name],
      message:
        `${inGroups} of ${l.units} units of ${l.name} fall ` +
        `into ${plural(l.symmetricGroups.length, 'group')} of identical ` +
        `units (e.g. units ${example}): ` +
        (l.symmetryStuck
          ? 'each group computes and learns one thing'
          : 'each group computes one thing until their different gradients pull it apart'),
    },
  ];
}

/**
 * Turns per-layer measurements into findings:
 *
 * - **trends**, stretch by stretch: the level of the signal (RMS of the pre-activations) from the
 *   stretch's start through its points, and of the back-propagated gradient from its last point
 *   back — a change by `thresholds.ratio` or more, or by `thresholds.perLayer` or more per weighted
 *   layer over 3 or more, over the batch and in every group of examples (the finding gives the
 *   range over the groups);
 * - symmetric units (identical, non-zero weights, or a whole layer of zeros); dead units
 *   (all-zero weights among live ones, or ReLU units that are 0 on every example); saturated
 *   tanh/sigmoid outputs (over the batch and in every group); weights that receive an all-zero
 *   gradient; non-finite values.
 *
 * With `context.weights: 'trained'` every message starts by saying that it describes trained
 * weights.
 */
export function findProblems(
  layers: LayerDiagnostics[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
  context: FindingContext = {},
): Finding[] {
  if (!Array.isArray(layers) || layers.some((l) => typeof l !== 'object' || l === null)) {
    fail(
      'findProblems',
      'layers',
      'the `layers` of an analyzeInitialization report (an array)',
      layers,
    );
  }
  thresholds = {...DEFAULT_THRESHOLDS, ...checkThresholds('findProblems', thresholds)};
  const full: Required<FindingContext> = {
    weights: context.weights ?? 'fresh',
    groups: context.groups ?? layers[0]?.level.groups.length ?? 1,
    batch: context.batch ?? context.groups ?? 1,
    inputLevels: context.inputLevels ?? {},
  };
  const findings: Finding[] = [];
  for (const l of layers) {
    if (!Number.isFinite(l.activationStd) || !Number.isFinite(l.activationMean)) {
      findings.push({
        kind: 'nonFinite',
        layers: [l.name],
        message: `${l.name} outputs NaN or infinite values`,
      });
    }
  }
  findings.push(...zeroed(layers));
  const {forward, backward} = pairs(layers, context.inputLevels);
  forward.forEach((candidates, k) => {
    findings.push(
      ...trend(candidates, (l) => l.level, thresholds, SIGNAL, full),
      ...trend(backward[k], (l) => l.gradientLevel, thresholds, GRADIENT, full),
    );
  });
  for (const l of layers) {
    findings.push(...symmetry(l));
    const zero = l.zeroUnits ?? [];
    if (zero.length > 0) {
      findings.push({
        kind: 'deadUnits',
        layers: [l.name],
        message:
          `${zero.length} of the ${l.units} units of ${l.name} have all-zero incoming weights ` +
          `(dead units, e.g. units ${zero.slice(0, 4).join(', ')}): they output a constant${
            l.zeroUnitsStuck
              ? ' and receive no gradient, so they stay dead'
              : '; their weights receive a gradient, so training can revive them'
          }`,
      });
    }
  }
  // Per-layer rates: one finding per layer, or one for all when more than GROUPED layers share it
  // (a saturated 50-layer tanh stack is one problem, not fifty lines).
  const dead = layers.filter((l) => l.dead !== null && l.dead >= thresholds.dead);
  findings.push(
    ...grouped(
      dead,
      'deadUnits',
      (l) =>
        `${pct(l.dead as number)} of the ${l.units} ${l.activation} ` +
        `units of ${l.name} are dead (0 on every example of the ` +
        `batch): they pass no gradient`,
      (ls) =>
        `${range(ls.map((l) => l.dead as number))} of the ` +
        `ReLU-family units of ${ls.length} layers (${ls[0].name} ` +
        `… ${ls[ls.length - 1].name}) are dead (0 on every example ` +
        `of the batch): they pass no gradient`,
    ),
  );
  // A softmax is saturated where its rows are one-hot. Trained classifiers are often certain, even
  // of noise: only an initialization is judged by it.
  const saturatedAll = layers.filter(
    (l) =>
      l.saturated !== null &&
      l.saturated >= thresholds.saturated &&
      (l.saturatedByGroup ?? []).every((s) => s >= thresholds.saturated) &&
      !(l.activation === 'softmax' && full.weights === 'trained'),
  );
  const saturated = saturatedAll.filter((l) => l.activation !== 'softmax');
  const satGroups = (ls: LayerDiagnostics[]): string =>
    full.groups < 2
      ? ''
      : ` (in each of ${full.groups} groups of examples: ${range(
          ls.flatMap((l) => l.saturatedByGroup ?? []),
        )})`;
  findings.push(
    ...grouped(
      saturated,
      'saturation',
      (l) =>
        `${pct(l.saturated as number)} of the ${l.activation} ` +
        `outputs of ${l.name} are saturated (within 1% of a bound)${satGroups([l])}: ` +
        `their gradient is nearly 0`,
      (ls) =>
        `${range(ls.map((l) => l.saturated as number))} of the ` +
        `outputs of ${ls.length} layers (${ls[0].name} ` +
        `… ${ls[ls.length - 1].name}) are saturated (within 1% of a ` +
        `bound)${satGroups(ls)}: their gradient is nearly 0`,
    ).map((f) => ({
      ...f,
      byGroup: layers.find((l) => l.name === f.layers[0])?.saturatedByGroup ?? undefined,
    })),
  );
  for (const l of saturatedAll.filter((x) => x.activation === 'softmax'))
    findings.push({
      kind: 'saturation',
      layers: [l.name],
      message:
        `${pct(l.saturated as number)} of the rows of ${l.name}'s softmax output are one-hot ` +
        `(largest probability ≥ 0.99)${satGroups([l])}: the model starts certain of one class, ` +
        `so its first losses are far above ln ${l.units} and the softmax passes almost no gradient`,
      byGroup: l.saturatedByGroup ?? undefined,
    });
  const starved = layers.filter((l) => l.weight !== null && l.weightGradientStd === 0);
  findings.push(
    ...grouped(
      starved,
      'noGradient',
      (l) => `no gradient reaches ${l.weight}: the gradient of every one of its weights is 0`,
      (ls) =>
        `no gradient reaches the weights of ${ls.length} layers ` +
        `(${ls[0].weight} … ${ls[ls.length - 1].weight}): the ` +
        `gradient of every one of their weights is 0`,
    ),
  );
  if (full.weights === 'trained')
    for (const f of findings) f.message = `trained weights: ${f.message}`;
  return findings;
}

const SIGNAL: TrendWords = {
  quantity: 'signal RMS',
  shrink: 'vanishingSignal',
  grow: 'explodingSignal',
  shrinkName: 'vanishing signal',
  growName: 'exploding signal',
  backward: false,
};

const GRADIENT: TrendWords = {
  quantity: 'back-propagated gradient RMS',
  shrink: 'vanishingGradient',
  grow: 'explodingGradient',
  shrinkName: 'vanishing gradient',
  growName: 'exploding gradient',
  backward: true,
};
