import type {InitializationReport, LayerDiagnostics} from './diagnostics';
import {histogramChart, layerChart, renderSvg, type HistogramSeries, type LayerValue} from './charts';
import {formatNumber, reportRows} from './report-text';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** Page title. Default `Initialization report: <model>`. */
  title?: string;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** The layers whose signal the charts follow: those that apply an activation (Dense, Conv, Activation, ReLU...), less a softmax output. */
function signalLayers(report: InitializationReport): LayerDiagnostics[] {
  const picked = report.layers.filter((l) => l.activation !== null && l.activation !== 'softmax');
  return picked.length > 0 ? picked : report.layers;
}

const STYLE = `
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1100px;padding:0 1em;color:#222}
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;font-size:12px}th,td{padding:3px 8px;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child,th:nth-child(2),td:nth-child(2),th:nth-child(3),td:nth-child(3){text-align:left}
ul.findings li{margin:.3em 0}.ok{color:#1a7f37}.bad{color:#b42318}figure{margin:1em 0}figcaption{color:#555;font-size:12px}
`;

/**
 * Renders a report as ONE self-contained HTML page: the findings, the per-layer table, and three
 * charts rendered to inline SVG (Vega-Lite compiled and drawn by Vega in-process): normalized
 * histograms of every layer's activations and of its back-propagated gradients (the form of
 * Glorot & Bengio 2010, Figs. 6–7), and the activation / gradient std per layer on a log scale.
 * No scripts, stylesheets, fonts or images are fetched: the file opens offline. The charts need
 * the optional packages `vega` and `vega-lite` (`npm install vega vega-lite`); without them it
 * throws an `InitializerError` that says so.
 *
 * @example
 * ```ts
 * await fs.writeFile('init-report.html', await renderHtmlReport(analyzeInitialization(model, xs)));
 * ```
 */
export async function renderHtmlReport(report: InitializationReport, options: HtmlReportOptions = {}): Promise<string> {
  const title = options.title ?? `Initialization report: ${report.model}`;
  const layers = signalLayers(report);
  const acts: HistogramSeries[] = layers.map((l) => ({name: l.name, histogram: l.activationHistogram}));
  const grads: HistogramSeries[] = layers.flatMap((l) => (l.gradientHistogram === null ? [] : [{name: l.name, histogram: l.gradientHistogram}]));
  const stds: LayerValue[] = layers.flatMap((l, i) => [
    {index: i + 1, layer: l.name, series: 'activation std', value: l.activationStd},
    ...(l.gradientStd === null ? [] : [{index: i + 1, layer: l.name, series: 'back-propagated gradient std', value: l.gradientStd}]),
  ]);
  const [actSvg, gradSvg, stdSvg] = await Promise.all([
    renderSvg(histogramChart(acts, {title: 'Activation values', xTitle: 'activation'}), 'renderHtmlReport'),
    grads.length === 0 ? Promise.resolve('<p>No gradient reached these layers.</p>') : renderSvg(histogramChart(grads, {title: 'Back-propagated gradients', xTitle: '∂loss/∂activation'}), 'renderHtmlReport'),
    renderSvg(layerChart(stds, {title: 'Std per layer', yTitle: 'std (log scale)'}), 'renderHtmlReport'),
  ]);
  const {header, rows} = reportRows(report);
  const findings = report.findings.length === 0
    ? '<p class="ok">No problems found.</p>'
    : `<ul class="findings">${report.findings.map((f) => `<li class="bad">${escapeHtml(f.message)}</li>`).join('')}</ul>`;
  const table = `<table><thead><tr>${header.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
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
<p>Batch of ${report.batchSize}; loss ${escapeHtml(report.loss.name)} = ${escapeHtml(formatNumber(report.loss.value))}; one forward and one backward pass.</p>
<h2>Findings</h2>
${findings}
<h2>Layers</h2>
${table}
<h2>Signal flow</h2>
<figure>${actSvg}<figcaption>Normalized histograms of each layer's outputs on the batch (Glorot &amp; Bengio 2010, Fig. 6).</figcaption></figure>
<figure>${gradSvg}<figcaption>Normalized histograms of the gradient of the loss with respect to each layer's outputs (Glorot &amp; Bengio 2010, Fig. 7).</figcaption></figure>
<figure>${stdSvg}<figcaption>Std of activations and back-propagated gradients, layer by layer.</figcaption></figure>
<footer><p>Generated by tfjs-initializers.</p></footer>
</body>
</html>
`;
}
