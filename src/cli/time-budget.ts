import type {LayersModel} from '@tensorflow/tfjs-layers';
import {modelGraph} from '../tools/graph';
import {kernelFans} from '../tools/layer-kinds';

/**
 * How large a batch `tfjs-init doctor` analyses within its time budget. The estimate is computed
 * from the model alone — never from a clock — so the same file gets the same batch, and so the same
 * findings, in every run (a batch chosen by timing a trial run would change with the machine's
 * load and turn findings on and off).
 */

/** The work of analysing one example, counted from the model's graph. */
export interface AnalysisWork {
  /** Multiply-adds of the weighted layers (Dense, convolutions: output values × true fan-in). */
  macs: number;
  /** Values the layers output (each is copied to the host, measured, and gets a gradient). */
  values: number;
  /** Layer calls. */
  layers: number;
}

const product = (xs: ReadonlyArray<number | null>): number =>
  xs.reduce((a: number, b) => a * (b ?? 1), 1);

/** Counts the work of one example's forward and backward pass (see {@link AnalysisWork}). */
export function analysisWork(model: LayersModel): AnalysisWork {
  const graph = modelGraph(model);
  let macs = 0;
  let values = 0;
  for (const node of graph.nodes) {
    const out = node.outputShapes.reduce((n, s) => n + product(s.slice(1)), 0);
    values += out;
    // Each output value of a weighted layer sums its kernels' true fan-ins of products.
    const shapes = new Map(
      node.layer.weights.map((w) => [
        w.originalName.split('/').pop() as string,
        w.shape as number[],
      ]),
    );
    const fans = kernelFans(
      node.className,
      node.layer.getConfig() as Record<string, unknown>,
      shapes,
    );
    for (const {fanIn} of fans) macs += out * fanIn;
  }
  return {macs, values, layers: graph.nodes.length};
}

/**
 * Seconds per unit of work on each backend, calibrated on the 2-core VM this package is developed
 * on (docs/model-tools.md, "Time budget"): the forward and backward pass with the analysis's own
 * kernel gradients, per multiply-add; the host copies, statistics and histograms, per output value;
 * and a fixed cost per layer call.
 */
const RATES: Readonly<Record<string, {mac: number; value: number; layer: number}>> = {
  cpu: {mac: 2e-8, value: 7e-7, layer: 1e-2},
  wasm: {mac: 2.2e-9, value: 1.8e-7, layer: 5e-3},
  tensorflow: {mac: 5e-10, value: 1.8e-7, layer: 5e-3},
};

/** Share of the budget the analysis may plan for: loading, drawing weights and writing take the rest. */
const ANALYSIS_SHARE = 0.85;

/** Estimated seconds of one analysis of `batch` examples on `backend`. */
export function estimateSeconds(work: AnalysisWork, backend: string, batch: number): number {
  const r = RATES[backend] ?? RATES.cpu;
  return batch * (r.mac * work.macs + r.value * work.values) + r.layer * work.layers;
}

/**
 * The largest batch, from 2 (the fewest that can show a finding holds on more than one example)
 * to `max`, whose analysis fits `seconds` — and the one-example gradient check that precedes it —
 * by {@link estimateSeconds}.
 */
export function batchForTimeBudget(
  work: AnalysisWork,
  backend: string,
  seconds: number,
  max: number,
): {batch: number; estimate: number} {
  const check = estimateSeconds(work, backend, 1);
  const available = ANALYSIS_SHARE * seconds;
  let batch = Math.max(1, Math.min(2, max));
  while (batch < max && check + estimateSeconds(work, backend, batch + 1) <= available) batch++;
  return {batch, estimate: check + estimateSeconds(work, backend, batch)};
}
