import type {LayersModel} from '@tensorflow/tfjs-layers';
import {formatBytes} from '../core/capacity';
import {modelGraph} from '../tools/graph';
import {CliError, EXIT} from './exit-codes';

/** Elements of a shape, the batch dimension and unknown ones counted as 1. */
const perExample = (shape: ReadonlyArray<number | null>): number =>
  shape.slice(1).reduce<number>((n, d) => n * (d ?? 1), 1);

/**
 * Bytes one example of a batch will take in `doctor`'s analysis, estimated from the shapes alone,
 * before anything runs: 3 × 4 bytes per element of every layer output of the graph (as tfjs
 * inferred them when it built the model) and of the inputs — the forward pass makes them, the
 * gradient tape keeps them, the backward pass makes as many, and the analysis copies each
 * layer's output and gradient to the host — plus, for a recurrent layer, its states at every time
 * step (the tape keeps each step). The same factor as the measured estimate (`planAnalysis`), which
 * runs one example and so can only be trusted once this one says an example fits.
 */
export function estimateBytesPerExample(model: LayersModel): number {
  const graph = modelGraph(model);
  let elements = graph.inputShapes.reduce((n, s) => n + perExample(s), 0);
  for (const node of graph.nodes) {
    for (const shape of node.outputShapes) elements += perExample(shape);
    const size = (node.layer as unknown as {cell?: {stateSize?: number | number[]}}).cell
      ?.stateSize;
    if (size !== undefined) {
      const steps = node.inputShapes[0]?.[1] ?? 1;
      const state = (Array.isArray(size) ? size : [size]).reduce((a, b) => a + b, 0);
      elements += (steps ?? 1) * state * 4; // the gates of each step
    }
  }
  return 3 * 4 * elements;
}

/**
 * Before `doctor` makes a batch or runs anything: refuses (exit 6) when one example alone needs
 * more than `budget` bytes by {@link estimateBytesPerExample}. The measured check that follows
 * (`planAnalysis`, which picks the batch size) runs one example, so it may only run once this says
 * that an example fits: a `RepeatVector` of 10⁸ steps is refused here in milliseconds instead of
 * being measured at gigabytes.
 */
export function checkExampleFits(model: LayersModel, budget: number, backend: string): void {
  const bytes = estimateBytesPerExample(model);
  if (bytes > budget) {
    throw new CliError(
      EXIT.failed,
      `one example needs about ${formatBytes(bytes)} for the forward and backward pass on ` +
        `${backend} (estimated from the layers' output shapes; nothing was run), more than the ` +
        `${formatBytes(budget)} allowed: the model is too large to diagnose here`,
    );
  }
}
