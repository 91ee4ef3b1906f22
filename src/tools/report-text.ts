import type {InitializationReport, LayerDiagnostics} from './diagnostics';
import {table} from './text-table';
import {plural} from '../core/plural';
import {weightsSummary} from './report-weights';

/** A number in 4 significant characters: fixed for ordinary magnitudes, exponent otherwise. */
export function formatNumber(x: number | null): string {
  if (x === null) return '—';
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e-2 && a < 1e4 ? x.toPrecision(3) : x.toExponential(2).replace('e+', 'e');
}

const percent = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);

function flagOf(l: LayerDiagnostics): string {
  if (l.saturated !== null) return `sat ${percent(l.saturated)}`;
  if (l.dead !== null) return `dead ${percent(l.dead)}`;
  return '—';
}

function symmetricOf(l: LayerDiagnostics): string {
  if (!l.weighted) return '—';
  const n = l.symmetricGroups.reduce((s, g) => s + g.length, 0);
  return n === 0 ? 'none' : `${n} in ${plural(l.symmetricGroups.length, 'group')}`;
}

/**
 * What the per-layer table's columns hold, in words (printed under it): the figures are statistics
 * over the batch of one forward and one backward pass.
 */
export const TABLE_LEGEND =
  "act mean, act std: mean and standard deviation of the layer's output (its activations); " +
  "sat / dead: share of outputs within 1% of a saturating activation's bounds (tanh, sigmoid) " +
  "or of a softmax's rows that are one-hot (largest probability ≥ 0.99), " +
  'or of ReLU units that output 0 on every example (— where neither applies, or where the ' +
  "layer's inputs barely vary between examples, as after a global average of noise); " +
  'grad std: standard deviation of ' +
  '∂loss/∂output, the gradient reaching the layer; weight grad std: that of ∂loss/∂kernel; ' +
  'symmetric units: units with identical incoming weights and bias (they learn the same thing)';

/**
 * The loss of a report in words a tfjs user knows: a tfjs loss by its name
 * (`loss categoricalCrossentropy = 1.10`), the loss used without labels
 * (`analyzeInitialization`'s `'random projection'`) spelled out.
 */
export function describeLoss(loss: {name: string; value: number}): string {
  const value = formatNumber(loss.value);
  return loss.name === 'random projection'
    ? `loss = ${value} (no labels: the outputs times a fixed random N(0, 1) direction, summed ` +
        `and divided by the batch size, so that every output unit gets a gradient of the same scale)`
    : `loss ${loss.name} = ${value}`;
}

/** The per-layer table's header and rows, as strings (shared by the text and HTML renderings). */
export function reportRows(report: InitializationReport): {header: string[]; rows: string[][]} {
  const header = [
    'layer',
    'class',
    'activation',
    'units',
    'act mean',
    'act std',
    'sat / dead',
    'grad std',
    'weight grad std',
    'symmetric units',
  ];
  const rows = report.layers.map((l) => [
    l.name,
    l.className,
    l.activation ?? '—',
    String(l.units),
    formatNumber(l.activationMean),
    formatNumber(l.activationStd),
    flagOf(l),
    formatNumber(l.gradientStd),
    formatNumber(l.weightGradientStd),
    symmetricOf(l),
  ]);
  return {header, rows};
}

/**
 * The report as plain text: what the weights are (fresh or trained; `options.weights` replaces
 * that line), a header line, the per-layer table (columns aligned) and the findings, or "no
 * problems found".
 *
 * @example
 * ```ts
 * console.log(renderTextReport(analyzeInitialization(model, xs)));
 * ```
 */
export function renderTextReport(
  report: InitializationReport,
  options: {weights?: string} = {},
): string {
  const {header, rows} = reportRows(report);
  const out = [
    options.weights ?? weightsSummary(report),
    `model ${report.model}: batch of ${report.batchSize} (${plural(report.groups, 'group')}), ` +
      `seed ${report.seed}, ${describeLoss(report.loss)}`,
    '',
    table(header, rows),
    `columns: ${TABLE_LEGEND}`,
    '',
  ];
  if (report.findings.length === 0) out.push('findings: no problems found');
  else
    out.push(
      `findings (${report.findings.length}):`,
      ...report.findings.map((f) => `  - ${f.message}`),
    );
  return out.join('\n');
}
