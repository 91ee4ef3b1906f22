import type {Finding, FindingKind, LayerDiagnostics, Thresholds} from './diagnostics';
import {fail} from '../core/errors';
import {knownOptions} from '../core/options';

/** The defaults of {@link Thresholds}. */
export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  ratio: 4,
  perLayer: 1.25,
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

const pct = (x: number): string => `${(100 * x).toFixed(x < 0.1 ? 1 : 0)}%`;
const times = (x: number): string =>
  x >= 100 ? x.toExponential(1).replace('e+', 'e') : x.toFixed(x >= 10 ? 0 : 1);

/**
 * The points of the signal (see `LayerDiagnostics.signal`), one series per stretch without
 * normalization: a trend is a change within a stretch, since a normalization erases what came before.
 */
function stretches(layers: LayerDiagnostics[]): LayerDiagnostics[][] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const groups = new Map<string, LayerDiagnostics[]>();
  for (const l of layers) {
    if (!l.signal || l.activation === 'softmax') continue;
    // The stretch's start (a normalization, a pooling, ...) is its reference level: a layer that
    // blows the signal up right after it is the first point, and would otherwise go unseen.
    const start = byName.get(l.stretch);
    const group =
      groups.get(l.stretch) ??
      (start !== undefined && start !== l && !start.signal && start.activation !== 'softmax'
        ? [start]
        : []);
    group.push(l);
    groups.set(l.stretch, group);
  }
  return [...groups.values()];
}

function trend(
  series: LayerDiagnostics[],
  pick: (l: LayerDiagnostics) => number | null,
  thresholds: Thresholds,
  words: {
    quantity: string;
    shrink: FindingKind;
    grow: FindingKind;
    shrinkName: string;
    growName: string;
    backward: boolean;
  },
): Finding[] {
  const points = series.filter((l) => {
    const v = pick(l);
    return v !== null && Number.isFinite(v);
  });
  if (points.length < 2) return [];
  const first = points[0];
  const last = points[points.length - 1];
  const [from, to] = words.backward ? [last, first] : [first, last];
  const a = pick(from) as number;
  const b = pick(to) as number;
  const steps = points.length - 1;
  const factor = b > 0 && a > 0 ? Math.max(a / b, b / a) : Infinity;
  const perLayer = factor ** (1 / steps);
  // A steady drift needs a few steps to be one: over one or two steps only the overall ratio counts
  // (a single mis-scaled layer between two normalizations does no harm).
  const drifts =
    factor >= thresholds.ratio ||
    (steps >= DRIFT_STEPS && factor >= 2 && perLayer >= thresholds.perLayer);
  const path = words.backward
    ? `from ${from.name} back to ${to.name}`
    : `${from.name} → ${to.name}`;
  const span = `${points.length} layers, ${path} (${perLayer.toFixed(2)}× per layer)`;
  if (b === 0 && a > 0) {
    return [
      {
        kind: words.shrink,
        layers: [from.name, to.name],
        message:
          `${words.quantity} falls to exactly 0 across ${points.length} layers ${path}: ` +
          words.shrinkName,
      },
    ];
  }
  if (a <= 0 || !drifts) return [];
  if (b < a) {
    return [
      {
        kind: words.shrink,
        layers: [from.name, to.name],
        message: `${words.quantity} shrinks ${times(a / b)}× across ${span}: ${words.shrinkName}`,
      },
    ];
  }
  return [
    {
      kind: words.grow,
      layers: [from.name, to.name],
      message: `${words.quantity} grows ${times(b / a)}× across ${span}: ${words.growName}`,
    },
  ];
}

/** Fewest steps (points − 1) over which the per-layer drift rule applies. */
const DRIFT_STEPS = 3;

/** Layers beyond which a per-layer finding is reported once for all. */
const GROUPED = 3;

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
        `into ${l.symmetricGroups.length} group(s) of identical ` +
        `units (e.g. units ${example}): ` +
        (l.symmetryStuck
          ? 'each group computes and learns one thing'
          : 'each group computes one thing until their different gradients pull it apart'),
    },
  ];
}

/**
 * Turns per-layer measurements into findings: trends of the activation std along the signal's
 * points of each stretch without normalization (first → last) and of the back-propagated gradient
 * std (last → first) — a change beyond `thresholds.ratio` overall, or beyond `thresholds.perLayer`
 * per layer (geometric mean) and 2× overall; symmetric units (identical, non-zero weights, or a
 * whole layer of zeros); dead units (all-zero weights among live ones, or ReLU units that are 0 on
 * every example); saturated tanh/sigmoid outputs; weights that receive an all-zero gradient;
 * non-finite values.
 */
export function findProblems(
  layers: LayerDiagnostics[],
  thresholds: Thresholds = DEFAULT_THRESHOLDS,
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
  for (const series of stretches(layers)) {
    findings.push(
      ...trend(series, (l) => l.activationStd, thresholds, {
        quantity: 'activation std',
        shrink: 'vanishingSignal',
        grow: 'explodingSignal',
        shrinkName: 'vanishing signal',
        growName: 'exploding signal',
        backward: false,
      }),
      ...trend(series, (l) => l.gradientStd, thresholds, {
        quantity: 'back-propagated gradient std',
        shrink: 'vanishingGradient',
        grow: 'explodingGradient',
        shrinkName: 'vanishing gradient',
        growName: 'exploding gradient',
        backward: true,
      }),
    );
  }
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
  const saturated = layers.filter(
    (l) => l.saturated !== null && l.saturated >= thresholds.saturated,
  );
  findings.push(
    ...grouped(
      saturated,
      'saturation',
      (l) =>
        `${pct(l.saturated as number)} of the ${l.activation} ` +
        `outputs of ${l.name} are saturated (within 1% of a bound): ` +
        `their gradient is nearly 0`,
      (ls) =>
        `${range(ls.map((l) => l.saturated as number))} of the ` +
        `outputs of ${ls.length} layers (${ls[0].name} ` +
        `… ${ls[ls.length - 1].name}) are saturated (within 1% of a ` +
        `bound): their gradient is nearly 0`,
    ),
  );
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
  return findings;
}
