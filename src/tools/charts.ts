import type {TopLevelSpec} from 'vega-lite';
import {InitializerError} from '../core/errors';
import type {Histogram} from './stats';

/** One curve of a histogram chart. */
export interface HistogramSeries {
  name: string;
  histogram: Histogram;
}

/** Rows of a normalized histogram: bin centre and density (count / (n · bin width)), so curves of different scales compare. */
function densityRows(series: HistogramSeries[], extra: Record<string, string> = {}): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const {name, histogram: h} of series) {
    if (h.n === 0) continue;
    for (let i = 0; i < h.counts.length; i++) {
      const width = h.edges[i + 1] - h.edges[i];
      rows.push({...extra, layer: name, x: (h.edges[i] + h.edges[i + 1]) / 2, density: h.counts[i] / (h.n * width)});
    }
  }
  return rows;
}

/**
 * A Vega-Lite spec of overlaid normalized histograms, one line per layer coloured by depth — the
 * form of Glorot & Bengio (2010), Figs. 6–7. Pass `facet` to draw one panel per group
 * (e.g. `{field: 'init', values: ...}`), each series tagged with its group.
 */
export function histogramChart(
  series: HistogramSeries[],
  options: {title: string; xTitle: string; width?: number; height?: number; groups?: Array<{label: string; series: HistogramSeries[]}>},
): TopLevelSpec {
  const names = [...new Set((options.groups?.flatMap((g) => g.series) ?? series).map((s) => s.name))];
  const values = options.groups === undefined ? densityRows(series) : options.groups.flatMap((g) => densityRows(g.series, {group: g.label}));
  const encoding = {
    x: {field: 'x', type: 'quantitative' as const, title: options.xTitle},
    y: {field: 'density', type: 'quantitative' as const, title: 'normalized density'},
    color: {field: 'layer', type: 'ordinal' as const, sort: names, scale: {scheme: 'viridis'}, title: 'layer'},
  };
  const size = {width: options.width ?? 520, height: options.height ?? 220};
  if (options.groups === undefined) {
    return {$schema: 'https://vega.github.io/schema/vega-lite/v5.json', title: options.title, data: {values}, mark: {type: 'line', interpolate: 'step'}, encoding, ...size};
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    data: {values},
    facet: {row: {field: 'group', type: 'nominal', title: null, sort: options.groups.map((g) => g.label), header: {labelAngle: 0, labelOrient: 'top', labelAnchor: 'start', labelFontSize: 12, labelFontWeight: 'bold'}}},
    resolve: {scale: {x: 'independent', y: 'independent'}},
    spec: {mark: {type: 'line', interpolate: 'step'}, encoding, ...size},
  };
}

/** One point of a per-layer line chart. */
export interface LayerValue {
  /** 1-based position of the layer. */
  index: number;
  layer: string;
  /** The curve it belongs to, e.g. `'activation std'` or `'standard init'`. */
  series: string;
  value: number;
}

/** A Vega-Lite spec of per-layer values (log scale), one line per series: how a quantity drifts with depth. */
export function layerChart(points: LayerValue[], options: {title: string; yTitle: string; width?: number; height?: number}): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    data: {values: points.filter((p) => p.value > 0 && Number.isFinite(p.value)).map((p) => ({...p}))},
    mark: {type: 'line', point: true},
    encoding: {
      x: {field: 'index', type: 'quantitative', title: 'layer', axis: {tickMinStep: 1, format: 'd'}},
      y: {field: 'value', type: 'quantitative', title: options.yTitle, scale: {type: 'log'}},
      color: {field: 'series', type: 'nominal', title: null, legend: {labelLimit: 300}},
      tooltip: [{field: 'layer'}, {field: 'value', format: '.3g'}],
    },
    width: options.width ?? 520,
    height: options.height ?? 220,
  };
}

/** The packages charts are drawn with: optional peers, loaded only here. */
export const CHART_PACKAGES = ['vega', 'vega-lite'] as const;

type Vega = typeof import('vega');
type VegaLite = typeof import('vega-lite');

/** A module's namespace, or its `default` when it came from a CommonJS file whose names Node could not list. */
function namespaceOf<T>(module: T & {default?: T}, probe: keyof T): T {
  return module[probe] === undefined && module.default !== undefined ? module.default : module;
}

/**
 * Imports a package by a name bundlers cannot see: a browser bundle of the tools never needs the
 * optional packages (a bundler would fail on a literal `import('vega')` that does not resolve).
 * In Node it resolves like any import; in a page, through the page's import map.
 */
function importOptional(name: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ name);
}

/** Whether `e` says that package `name` could not be found (Node's codes; browsers' TypeError naming it). */
function notFound(e: unknown, names: readonly string[]): boolean {
  const code = (e as {code?: unknown} | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return true;
  return e instanceof TypeError && names.some((n) => e.message.includes(n));
}

/**
 * Loads `vega` and `vega-lite` (dynamic `import()`, so nothing else in the package needs them),
 * or fails with an {@link InitializerError} that names them and the command that installs them.
 */
async function chartLibraries(owner: string): Promise<[Vega, VegaLite]> {
  try {
    const [vega, vegaLite] = await Promise.all(CHART_PACKAGES.map(importOptional));
    return [namespaceOf(vega as Vega, 'View'), namespaceOf(vegaLite as VegaLite, 'compile')];
  } catch (e) {
    if (!notFound(e, CHART_PACKAGES)) throw e;
    throw new InitializerError(
      owner,
      'vega',
      `drawing charts needs the optional packages ${CHART_PACKAGES.join(' and ')}, which could not be loaded; install them with \`npm install ${CHART_PACKAGES.join(' ')}\` (in a browser page, map both in its import map)`,
    );
  }
}

/** Whether `e` is the error {@link renderSvg} throws when the chart packages are not installed. */
export function isMissingChartPackages(e: unknown): boolean {
  return e instanceof InitializerError && e.parameter === 'vega';
}

/**
 * Compiles a Vega-Lite spec with `vega-lite` and renders it to an SVG string with `vega`'s
 * headless renderer, in Node or a browser — no DOM, no canvas, no network (data must be inline;
 * the loader refuses every URL). `owner` names the public function in the error thrown when the
 * optional packages `vega` and `vega-lite` are not installed.
 */
export async function renderSvg(spec: TopLevelSpec, owner = 'renderSvg'): Promise<string> {
  const [vega, vegaLite] = await chartLibraries(owner);
  const compiled = vegaLite.compile(spec).spec;
  const offline = vega.loader();
  offline.load = async (uri: string) => {
    throw new Error(`renderSvg: charts are rendered offline; refusing to load ${uri}`);
  };
  const view = new vega.View(vega.parse(compiled), {renderer: 'none', loader: offline});
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
