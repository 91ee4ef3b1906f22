import type {TopLevelSpec} from 'vega-lite';
import {InitializerError} from '../core/errors';
import type {Histogram} from './stats';

/** One curve of a histogram chart. */
export interface HistogramSeries {
  name: string;
  histogram: Histogram;
}

/**
 * Rows of a normalized histogram: bin centre and density (count / (n · bin width)), so curves of
 * different scales compare.
 */
function densityRows(
  series: HistogramSeries[],
  extra: Record<string, string> = {},
): Array<Record<string, string | number>> {
  const rows: Array<Record<string, string | number>> = [];
  for (const {name, histogram: h} of series) {
    if (h.n === 0) continue;
    for (let i = 0; i < h.counts.length; i++) {
      const width = h.edges[i + 1] - h.edges[i];
      rows.push({
        ...extra,
        layer: name,
        x: (h.edges[i] + h.edges[i + 1]) / 2,
        density: h.counts[i] / (h.n * width),
      });
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
  options: {
    title: string;
    xTitle: string;
    width?: number;
    height?: number;
    groups?: Array<{label: string; series: HistogramSeries[]}>;
  },
): TopLevelSpec {
  const names = [
    ...new Set((options.groups?.flatMap((g) => g.series) ?? series).map((s) => s.name)),
  ];
  const values =
    options.groups === undefined
      ? densityRows(series)
      : options.groups.flatMap((g) => densityRows(g.series, {group: g.label}));
  const encoding = {
    x: {field: 'x', type: 'quantitative' as const, title: options.xTitle},
    y: {field: 'density', type: 'quantitative' as const, title: 'normalized density'},
    color: {
      field: 'layer',
      type: 'ordinal' as const,
      sort: names,
      scale: {scheme: 'viridis'},
      title: 'layer',
    },
  };
  const size = {width: options.width ?? 520, height: options.height ?? 220};
  if (options.groups === undefined) {
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: options.title,
      data: {values},
      mark: {type: 'line', interpolate: 'step'},
      encoding,
      ...size,
    };
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    data: {values},
    facet: {
      row: {
        field: 'group',
        type: 'nominal',
        title: null,
        sort: options.groups.map((g) => g.label),
        header: {
          labelAngle: 0,
          labelOrient: 'top',
          labelAnchor: 'start',
          labelFontSize: 12,
          labelFontWeight: 'bold',
        },
      },
    },
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
export function layerChart(
  points: LayerValue[],
  options: {title: string; yTitle: string; width?: number; height?: number},
): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    data: {
      values: points.filter((p) => p.value > 0 && Number.isFinite(p.value)).map((p) => ({...p})),
    },
    mark: {type: 'line', point: true},
    encoding: {
      x: {
        field: 'index',
        type: 'quantitative',
        title: 'layer',
        axis: {tickMinStep: 1, format: 'd'},
      },
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
      `drawing charts needs the optional ` +
        `packages ${CHART_PACKAGES.join(' and ')}, which could not ` +
        `be loaded; install them with \`npm ` +
        `install ${CHART_PACKAGES.join(' ')}\` (in a browser page, ` +
        `map both in its import map)`,
    );
  }
}

/** Whether `e` is the error {@link renderSvg} throws when the chart packages are not installed. */
export function isMissingChartPackages(e: unknown): boolean {
  return e instanceof InitializerError && e.parameter === 'vega';
}

/** One layer of a network-scale signal chart: its std values and what kind of layer it is. */
export interface SignalRow {
  /** Unique layer name (a path). */
  layer: string;
  activationStd: number | null;
  gradientStd: number | null;
  /**
   * A layer that resets the scale (BatchNormalization, LayerNormalization), a residual join (Add,
   * Concatenate, ...), or neither.
   */
  mark: 'normalization' | 'join' | null;
  /** Named by a finding. */
  flagged: boolean;
}

/**
 * A Vega-Lite spec of activation and back-propagated gradient std layer by layer (log scale),
 * readable at real-network scale: every layer has its name on the x axis (turned, small), the
 * normalization layers and residual joins are marked by vertical rules, and layers named by a
 * finding by a red ring. Width grows with the number of layers.
 */
export function signalChart(
  rows: SignalRow[],
  options: {title: string; height?: number},
): TopLevelSpec {
  const names = rows.map((r) => r.layer);
  const values = rows.flatMap((r) => [
    ...(r.activationStd !== null && r.activationStd > 0 && Number.isFinite(r.activationStd)
      ? [{layer: r.layer, series: 'activation std', value: r.activationStd}]
      : []),
    ...(r.gradientStd !== null && r.gradientStd > 0 && Number.isFinite(r.gradientStd)
      ? [{layer: r.layer, series: 'back-propagated gradient std', value: r.gradientStd}]
      : []),
  ]);
  const marks = rows
    .filter((r) => r.mark !== null)
    .map((r) => ({
      layer: r.layer,
      kind: r.mark === 'normalization' ? 'normalization' : 'residual join',
    }));
  const flagged = values.filter(
    (v) => rows.find((r) => r.layer === v.layer)?.flagged === true && v.series === 'activation std',
  );
  const x = {
    field: 'layer',
    type: 'ordinal' as const,
    sort: names,
    title: null,
    axis: {labelAngle: -90, labelFontSize: 7, labelLimit: 140, ticks: false, labelOverlap: false},
    scale: {domain: names},
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    width: Math.max(480, 7 * names.length),
    height: options.height ?? 240,
    layer: [
      {
        data: {values: marks},
        mark: {type: 'rule', strokeWidth: 1},
        encoding: {
          x,
          color: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: {
              domain: [
                'normalization',
                'residual join',
                'activation std',
                'back-propagated gradient std',
              ],
              range: ['#d0d7de', '#f0b37e', '#1f77b4', '#d62728'],
            },
          },
          opacity: {value: 0.9},
        },
      },
      {
        data: {values},
        mark: {type: 'line', point: {size: 14}, strokeWidth: 1.4},
        encoding: {
          x,
          y: {field: 'value', type: 'quantitative', title: 'std (log scale)', scale: {type: 'log'}},
          color: {
            field: 'series',
            type: 'nominal',
            title: null,
            legend: {orient: 'top', labelLimit: 300},
          },
          tooltip: [{field: 'layer'}, {field: 'series'}, {field: 'value', format: '.3g'}],
        },
      },
      {
        data: {values: flagged},
        mark: {type: 'point', size: 90, strokeWidth: 1.5, color: '#b42318'},
        encoding: {x, y: {field: 'value', type: 'quantitative', scale: {type: 'log'}}},
      },
    ],
  } as TopLevelSpec;
}

/** One panel of {@link histogramPanels}: a layer's activation and gradient histograms. */
export interface HistogramPanel {
  /** Panel title, e.g. `first: conv1` or `worst: dense_30`. */
  label: string;
  activation: Histogram;
  gradient: Histogram | null;
}

/**
 * Small multiples: one column per chosen layer (first, last, worst...), activations on top and
 * back-propagated gradients below, each panel on its own scale — instead of 60 curves in one chart.
 */
export function histogramPanels(
  panels: HistogramPanel[],
  options: {title: string; width?: number; height?: number},
): TopLevelSpec {
  const rows = panels.flatMap((p) => [
    ...densityRows([{name: p.label, histogram: p.activation}], {quantity: 'activation'}),
    ...(p.gradient === null
      ? []
      : densityRows([{name: p.label, histogram: p.gradient}], {quantity: '∂loss/∂activation'})),
  ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: options.title,
    data: {values: rows},
    facet: {
      column: {
        field: 'layer',
        type: 'nominal',
        title: null,
        sort: panels.map((p) => p.label),
        header: {labelFontSize: 11, labelFontWeight: 'bold'},
      },
      row: {
        field: 'quantity',
        type: 'nominal',
        title: null,
        sort: ['activation', '∂loss/∂activation'],
        header: {labelAngle: 0, labelAlign: 'left'},
      },
    },
    resolve: {scale: {x: 'independent', y: 'independent'}},
    spec: {
      width: options.width ?? 200,
      height: options.height ?? 110,
      mark: {type: 'area', interpolate: 'step', opacity: 0.75, line: true},
      encoding: {
        x: {field: 'x', type: 'quantitative', title: null, axis: {tickCount: 4, format: '.2~g'}},
        y: {
          field: 'density',
          type: 'quantitative',
          title: null,
          axis: {tickCount: 3, format: '.2~g'},
        },
      },
    },
  } as TopLevelSpec;
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
