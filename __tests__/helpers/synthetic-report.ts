/** A synthetic analysis report, for rendering tests that run no model. */
import type {InitializationReport, LayerDiagnostics} from '../../src/tools';

/** A report of `n` layers: Conv, BatchNormalization, ReLU repeated, with levels that wander. */
export function syntheticReport(n: number, findings = 1): InitializationReport {
  const layers: LayerDiagnostics[] = Array.from({length: n}, (_, i) => {
    const kind = i % 3;
    const value = 0.5 + 0.4 * Math.sin(i / 7);
    return {
      name: `block_${Math.floor(i / 3)}_${['conv', 'bn', 'relu'][kind]}`,
      className: ['Conv2D', 'BatchNormalization', 'ReLU'][kind],
      activation: kind === 1 ? null : kind === 0 ? 'linear' : 'relu',
      units: 16,
      weighted: kind === 0,
      signal: kind === 2,
      stretch: `block_${Math.floor(i / 3)}_bn`,
      depth: kind === 0 ? 1 : 0,
      positions: 64,
      inputs: i === 0 ? ['input 0'] : [`prev_${i - 1}`],
      mark: kind === 1 ? 'normalization' : null,
      level: {all: value, groups: [value, value]},
      gradientLevel: {all: value / 10, groups: [value / 10, value / 10]},
      activationMean: 0,
      activationStd: value,
      saturated: null,
      saturatedByGroup: null,
      dead: null,
      gradientStd: value / 10,
      weight: null,
      weightGradientStd: null,
      weightStd: null,
      symmetricGroups: [],
      symmetryStuck: false,
      zeroUnits: [],
      zeroUnitsStuck: false,
      activationHistogram: {edges: [0, 0.5, 1], counts: [3, 5], n: 8},
      gradientHistogram: {edges: [-1, 0, 1], counts: [4, 4], n: 8},
    } as LayerDiagnostics;
  });
  return {
    model: 'synthetic',
    weights: 'fresh',
    seed: 0,
    batchSize: 4,
    groups: 2,
    training: true,
    backend: 'cpu',
    loss: {name: 'random projection', value: 0.5},
    layers,
    findings: Array.from({length: findings}, (_, k) => ({
      kind: 'vanishingSignal' as const,
      layers: [layers[3 * k + 2].name],
      message: `test finding ${k}`,
    })),
  };
}
