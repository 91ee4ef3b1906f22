import type {InitializationReport} from './diagnostics';

/**
 * The first line of a report: whether it describes fresh weights drawn by the initializers or
 * trained weights.
 */
export function weightsSummary(report: InitializationReport): string {
  return report.weights === 'trained'
    ? 'weights: trained — the findings describe these weights, not an initialization'
    : "weights: fresh, drawn by the layers' initializers — the findings describe this initialization";
}
