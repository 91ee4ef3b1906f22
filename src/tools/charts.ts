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

/** One layer of a network-scale signal chart: its levels and what kind of layer it is. */
export interface SignalRow {
  /** Unique layer name (a path). */
  layer: string;
  /** The level the trend rules follow (RMS of the pre-activation, or of the output). */
  signal: number | null;
  /** The RMS of the gradient at that point. */
  gradient: number | null;
  /** A normalization layer, a residual sum, another join, or nothing. */
  mark: 'normalization' | 'residual' | 'join' | null;
  /** Named by a finding. */
  flagged: boolean;
}

/** Most columns a signal chart draws one per layer; longer networks are drawn in groups of layers. */
export const SIGNAL_CHART_COLUMNS = 400;

/** Legend label, colour and dash of each kind of marked layer. */
const MARKS = {
  normalization: {label: 'normalization', color: '#2ca02c', dash: [5, 3]},
  residual: {label: 'residual sum', color: '#ff7f0e', dash: [1, 0]},
  join: {label: 'join (concatenation, inputs)', color: '#9467bd', dash: [1, 3]},
} as const;

const SERIES = {signal: 'signal RMS', gradient: 'back-propagated gradient RMS'} as const;

const positive = (v: number | null): v is number => v !== null && v > 0 && Number.isFinite(v);

/** What {@link signalChart} drew. */
export interface SignalChart {
  spec: TopLevelSpec;
  /** Layers per column: 1, or the size of the groups a long network is drawn in. */
  perColumn: number;
}

/**
 * A Vega-Lite spec of the signal and back-propagated gradient levels layer by layer (log scale),
 * readable at real-network scale. Up to {@link SIGNAL_CHART_COLUMNS} layers, every layer has a
 * column named on the x axis (10 px labels; the chart is as wide as the network needs and the page
 * scrolls it), normalization layers, residual sums and joins are marked by vertical rules in their
 * own colours and dashes — with a legend entry only for the kinds present, and no vertical grid
 * lines to mistake them for — and layers named by a finding are ringed in red. Longer networks are
 * drawn in consecutive groups of layers: the median of each group as a line, its range as a band,
 * groups holding a flagged layer ringed. The spec carries no per-layer arrays (no sort or domain
 * lists), so its size and compilation grow only with the data: 10,000 layers render.
 */
export function signalChart(
  rows: SignalRow[],
  options: {title: string; height?: number},
): SignalChart {
  const perColumn = Math.max(1, Math.ceil(rows.length / SIGNAL_CHART_COLUMNS));
  return perColumn === 1
    ? {spec: layerColumns(rows, options), perColumn}
    : {spec: groupedColumns(rows, perColumn, options), perColumn};
}

const xAxis = {
  labelAngle: -90,
  labelFontSize: 10,
  labelLimit: 180,
  ticks: false,
  grid: false,
  labelOverlap: false,
  titleFontSize: 11,
};

function layerColumns(rows: SignalRow[], options: {title: string; height?: number}): TopLevelSpec {
  const values = rows.flatMap((r, index) =>
    (['signal', 'gradient'] as const)
      .filter((k) => positive(r[k]))
      .map((k) => ({
        index,
        layer: r.layer,
        series: SERIES[k],
        value: r[k] as number,
        flagged: r.flagged,
      })),
  );
  const present = (Object.keys(MARKS) as Array<keyof typeof MARKS>).filter((k) =>
    rows.some((r) => r.mark === k),
  );
  const marks = rows.flatMap((r, index) =>
    r.mark === null ? [] : [{index, layer: r.layer, kind: MARKS[r.mark].label}],
  );
  // Every layer is a column, in graph order (sorted by its index: no list of names in the spec).
  const x = {
    field: 'layer',
    type: 'ordinal' as const,
    sort: {field: 'index', op: 'min' as const},
    title: null,
    axis: xAxis,
  };
  const layers: unknown[] = [];
  if (present.length > 0) {
    layers.push({
      data: {values: marks},
      mark: {type: 'rule', strokeWidth: 1.2},
      encoding: {
        x,
        color: {
          field: 'kind',
          type: 'nominal',
          title: 'marked layers',
          scale: {
            domain: present.map((k) => MARKS[k].label),
            range: present.map((k) => MARKS[k].color),
          },
          legend: {orient: 'top', labelLimit: 300},
        },
        strokeDash: {
          field: 'kind',
          type: 'nominal',
          title: 'marked layers',
          scale: {
            domain: present.map((k) => MARKS[k].label),
            range: present.map((k) => [...MARKS[k].dash]),
          },
          legend: {orient: 'top', labelLimit: 300},
        },
      },
    });
  }
  layers.push(
    {
      data: {values},
      mark: {type: 'line', point: {size: 16}, strokeWidth: 1.5},
      encoding: {
        x,
        y: {
          field: 'value',
          type: 'quantitative',
          title: 'RMS (log scale)',
          scale: {type: 'log'},
          axis: {labelFontSize: 10, titleFontSize: 11},
        },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: {domain: [SERIES.signal, SERIES.gradient], range: ['#1f77b4', '#d62728']},
          legend: {orient: 'top', labelLimit: 300, labelFontSize: 11},
        },
        tooltip: [{field: 'layer'}, {field: 'series'}, {field: 'value', format: '.3g'}],
      },
    },
    {
      data: {values},
      transform: [{filter: 'datum.flagged'}],
      mark: {type: 'point', size: 110, strokeWidth: 1.6, color: '#b42318'},
      encoding: {x, y: {field: 'value', type: 'quantitative', scale: {type: 'log'}}},
    },
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    // Anchored at the start: the chart may be wider than the page, which scrolls it.
    title: {text: options.title, anchor: 'start'},
    width: Math.max(480, 14 * rows.length),
    height: options.height ?? 260,
    layer: layers,
    resolve: {scale: {color: 'independent', strokeDash: 'independent'}},
  } as TopLevelSpec;
}

function groupedColumns(
  rows: SignalRow[],
  perColumn: number,
  options: {title: string; height?: number},
): TopLevelSpec {
  const values: Array<Record<string, string | number | boolean>> = [];
  for (let start = 0; start < rows.length; start += perColumn) {
    const group = rows.slice(start, start + perColumn);
    const label = `${start + 1}–${start + group.length}`;
    const flagged = group.some((r) => r.flagged);
    for (const k of ['signal', 'gradient'] as const) {
      const xs = group
        .map((r) => r[k])
        .filter(positive)
        .sort((a, b) => a - b);
      if (xs.length === 0) continue;
      values.push({
        index: start,
        group: label,
        from: group[0].layer,
        to: group[group.length - 1].layer,
        series: SERIES[k],
        median: xs[Math.floor(xs.length / 2)],
        low: xs[0],
        high: xs[xs.length - 1],
        flagged,
      });
    }
  }
  const x = {
    field: 'group',
    type: 'ordinal' as const,
    sort: {field: 'index', op: 'min' as const},
    title: `layers, in groups of ${perColumn}`,
    axis: xAxis,
  };
  const y = {type: 'quantitative' as const, scale: {type: 'log' as const}};
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: {domain: [SERIES.signal, SERIES.gradient], range: ['#1f77b4', '#d62728']},
    legend: {orient: 'top' as const, labelLimit: 300, labelFontSize: 11},
  };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: {text: options.title, anchor: 'start'},
    width: Math.max(480, 14 * Math.ceil(rows.length / perColumn)),
    height: options.height ?? 260,
    data: {values},
    layer: [
      {
        mark: {type: 'area', opacity: 0.22},
        encoding: {
          x,
          y: {...y, field: 'low', title: 'RMS (log scale): group median, range'},
          y2: {field: 'high'},
          color,
        },
      },
      {
        mark: {type: 'line', point: {size: 14}, strokeWidth: 1.5},
        encoding: {
          x,
          y: {...y, field: 'median'},
          color,
          tooltip: [
            {field: 'from'},
            {field: 'to'},
            {field: 'series'},
            {field: 'median', format: '.3g'},
          ],
        },
      },
      {
        transform: [{filter: 'datum.flagged'}],
        mark: {type: 'point', size: 110, strokeWidth: 1.6, color: '#b42318'},
        encoding: {x, y: {...y, field: 'median'}},
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
