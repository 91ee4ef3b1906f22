/**
 * The examples draw their figures with the same vega-lite helpers as the HTML report of
 * `tfjs-initializers/tools`; they are internal to the package, so the examples reach them here.
 */
export {
  histogramChart,
  layerChart,
  renderSvg,
  type HistogramSeries,
  type LayerValue,
} from '../../src/tools/charts';
