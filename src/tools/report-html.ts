import type {Finding, InitializationReport, LayerDiagnostics} from './diagnostics';
import {histogramPanels, renderSvg, signalChart, type SignalRow} from './charts';
import {TABLE_LEGEND, describeLoss, reportRows} from './report-text';
import {plural} from '../core/plural';
import {weightsSummary} from './report-weights';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Page title. Default `Initialization report: <model>`. */
  title?: string;
  /**
   * The line that says what was analysed (the report's first line). Default: from the report's
   * `weights` (`weightsSummary`).
   */
  weights?: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Layers to show as histograms: the first and last points of the signal, and the worst (named by
 * the first finding).
 */
function chosenLayers(
  report: InitializationReport,
): Array<{label: string; layer: LayerDiagnostics}> {
  const signal = report.layers.filter((l) => l.signal && l.activation !== 'softmax');
  const pool = signal.length > 0 ? signal : report.layers;
  const chosen: Array<{label: string; layer: LayerDiagnostics}> = [];
  const add = (label: string, layer: LayerDiagnostics | undefined): void => {
    if (layer !== undefined && !chosen.some((c) => c.layer === layer))
      chosen.push({label: `${label}: ${layer.name}`, layer});
  };
  add('first', pool[0]);
  for (const f of report.findings.slice(0, 2))
    add(
      'flagged',
      report.layers.find((l) => l.name === f.layers[f.layers.length - 1]),
    );
  add('last', pool[pool.length - 1]);
  return chosen.slice(0, 4);
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1200px;
padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3){text-align:left}
ul.findings li{margin:.3em 0}.ok{color:#1a7f37}.bad{color:#b42318}
.kind{font:11px ui-monospace,monospace;background:#fbeaea;border-radius:3px;padding:1px 4px;margin-right:.4em}
figure{margin:1em 0;overflow-x:auto}figcaption{color:#555;font-size:12px}details{margin:1em 0}
summary{cursor:pointer;font-weight:600}
.meta{color:#555}.weights{font-weight:600;padding:.4em .6em;background:#f3f6fa;border-left:4px solid #1f77b4}
`;

/** The caption of the signal chart: what is drawn, and which marks there are. */
function signalCaption(report: InitializationReport, perColumn: number): string {
  const parts = [
    'The level of the signal at each layer — the RMS of its pre-activation (the input of its ' +
      'nonlinearity) or of its output — and of the gradient of the loss there, on a log scale.',
  ];
  if (perColumn > 1) {
    parts.push(
      `${report.layers.length} layers, drawn in consecutive groups of ${perColumn}: the line is ` +
        "each group's median, the band its range.",
    );
  } else {
    const kinds = new Set(report.layers.map((l) => l.mark));
    if (kinds.has('normalization'))
      parts.push('Green dashed rules: normalization layers, which reset the scale.');
    if (kinds.has('residual')) parts.push('Orange rules: residual sums (skip connections).');
    if (kinds.has('join'))
      parts.push('Purple dotted rules: joins (concatenations, joined inputs).');
  }
  if (report.findings.length > 0)
    parts.push(`Red rings: layers named by a finding${perColumn > 1 ? ' (in that group)' : ''}.`);
  parts.push('Trends are judged within each stretch between normalizations.');
  return parts.join(' ');
}

const HISTOGRAM_CAPTION =
  'Normalized histograms of the outputs (top) and of the back-propagated gradients (bottom) of the ' +
  'first and last layers of the signal and of the layers the findings name ' +
  '(Glorot &amp; Bengio 2010, Figs. 6–7).';

/** One finding as a list item: its kind as a tag, then its message. */
function findingItem(f: Finding): string {
  return `<li class="bad"><span class="kind">${escapeHtml(f.kind)}</span>${escapeHtml(f.message)}</li>`;
}

/**
 * Renders a report as ONE self-contained HTML page that reads at real-network scale: the findings
 * first, then the plot that tells the story — activation and gradient std layer by layer on a log
 * scale, every layer named on the axis, normalization layers and residual joins marked, flagged
 * layers ringed — then histograms of a few chosen layers as small multiples (the first and last
 * points of the signal and the layers the findings name; Glorot & Bengio 2010, Figs. 6–7), and
 * the per-layer table folded away. Charts are Vega-Lite specs rendered to inline SVG by Vega
 * in-process; no scripts, stylesheets, fonts or images are fetched: the file opens offline. The
 * charts need the optional packages `vega` and `vega-lite` (`npm install vega vega-lite`); without
 * them it throws an `InitializerError` that says so.
 *
 * @example
 * ```ts
 * await fs.writeFile('init-report.html', await renderHtmlReport(analyzeInitialization(model, xs)));
 * ```
 */
export async function renderHtmlReport(
  report: InitializationReport,
  options: HtmlReportOptions = {},
): Promise<string> {
  const title = options.title ?? `Initialization report: ${report.model}`;
  const flagged = new Set(report.findings.flatMap((f) => f.layers));
  const rows: SignalRow[] = report.layers.map((l) => ({
    layer: l.name,
    signal: l.activation === 'softmax' ? null : l.level.all,
    gradient: l.gradientLevel?.all ?? null,
    mark: l.mark,
    flagged: flagged.has(l.name),
  }));
  const chosen = chosenLayers(report);
  const chart = signalChart(rows, {
    title: `Signal and back-propagated gradient, ${plural(report.layers.length, 'layer')}`,
  });
  const [stdSvg, histSvg] = await Promise.all([
    renderSvg(chart.spec, 'renderHtmlReport'),
    renderSvg(
      histogramPanels(
        chosen.map((c) => ({
          label: c.label,
          activation: c.layer.activationHistogram,
          gradient: c.layer.gradientHistogram,
        })),
        {title: 'Distributions of a few layers'},
      ),
      'renderHtmlReport',
    ),
  ]);
  const {header, rows: tableRows} = reportRows(report);
  const findings =
    report.findings.length === 0
      ? '<p class="ok">No problems found.</p>'
      : `<ul class="findings">${report.findings.map(findingItem).join('')}</ul>`;
  const cells = (tag: string, values: string[]) =>
    values.map((v) => `<${tag}>${escapeHtml(v)}</${tag}>`).join('');
  const body = tableRows.map((r) => `<tr>${cells('td', r)}</tr>`).join('');
  const table = `<table><thead><tr>${cells('th', header)}</tr></thead><tbody>${body}</tbody></table>`;
  const mode = report.training
    ? 'as in a training step (batch statistics in batch normalization, dropout on)'
    : 'in inference mode (moving statistics, no dropout)';
  const loss = escapeHtml(describeLoss(report.loss));
  const meta =
    `${plural(report.layers.length, 'layer')}; batch of ${report.batchSize} in ` +
    `${plural(report.groups, 'group')} (a finding must hold in each), run ${mode} on the ` +
    `${escapeHtml(report.backend)} backend; ${loss}; seed ${report.seed}; one forward and one ` +
    `backward pass.`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="weights">${escapeHtml(options.weights ?? weightsSummary(report))}</p>
<p class="meta">${meta}</p>
<h2>Findings (${report.findings.length})</h2>
${findings}
<h2>Signal flow</h2>
<figure>${stdSvg}<figcaption>${escapeHtml(signalCaption(report, chart.perColumn))}</figcaption></figure>
<figure>${histSvg}<figcaption>${HISTOGRAM_CAPTION}</figcaption></figure>
<details><summary>Per-layer table (${plural(report.layers.length, 'layer')})</summary>
${table}
<p class="meta">${escapeHtml(TABLE_LEGEND)}.</p>
</details>
<footer><p>Generated by tfjs-initializers.</p></footer>
</body>
</html>
`;
}
