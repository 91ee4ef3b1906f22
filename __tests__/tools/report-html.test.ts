/**
 * The HTML report at network scale (issues 18 and 23): readable labels and marks at 90 layers,
 * legend entries only for the marks present, and 10,000 layers drawn in groups without exhausting
 * vega's expression parser (it overflowed its stack at 1,000 layers). Synthetic reports: no model
 * runs here. The report in a real browser: __tests__/browser/report.test.ts.
 */
import {renderHtmlReport} from '../../src/tools';
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

/** The font sizes of the text of the first SVG (the signal chart). */
function fontSizes(html: string): number[] {
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
  return [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)px"/g)].map((m) => Number(m[1]));
}

describe('renderHtmlReport at network scale', () => {
  it('90 layers: every layer named in 10 px or more, normalization in its legend, no legend for absent marks', async () => {
    const html = await renderHtmlReport(syntheticReport(90));
    const sizes = fontSizes(html);
    expect(sizes.length).toBeGreaterThan(90);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
    for (const name of ['block_0_conv', 'block_29_relu']) expect(html).toContain(`>${name}</text>`);
    expect(html).toContain('>normalization</text>');
    expect(html).not.toContain('>residual sum</text>');
    expect(html).not.toContain('>join (concatenation, inputs)</text>');
    expect(html).toContain('Green dashed rules: normalization layers');
    expect(html).not.toContain('Orange rules');
    expect(html).toMatch(/<p class="weights">weights: fresh/);
  });

  it('10,000 layers: drawn in groups of layers, and rendered (no stack overflow)', async () => {
    const html = await renderHtmlReport(syntheticReport(10_000, 3));
    expect(html).toContain('10000 layers, drawn in consecutive groups of 63');
    expect(html).toContain('>layers, in groups of 63</text>');
    expect(Math.min(...fontSizes(html))).toBeGreaterThanOrEqual(10);
    // The per-layer table keeps every layer.
    expect((html.match(/<tr>/g) ?? []).length).toBe(10_001);
  }, 60000);
});
