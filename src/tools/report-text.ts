import type {InitializationReport, LayerDiagnostics} from './diagnostics';
import {table} from './text-table';
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
  return n === 0 ? 'none' : `${n} in ${l.symmetricGroups.length} group(s)`;
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
    `model ${report.model}: batch of ${report.batchSize} (${report.groups} group(s)), seed ${report.seed}, ` +
      `loss ${report.loss.name} ` +
      `= ${formatNumber(report.loss.value)}`,
    '',
    table(header, rows),
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
