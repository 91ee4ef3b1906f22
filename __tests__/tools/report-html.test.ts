/**
 * The HTML report at network scale (issues 18 and 23): readable labels and marks at 90 layers,
 * legend entries only for the marks present, and 10,000 layers drawn in groups without exhausting
 * vega's expression parser (it overflowed its stack at 1,000 layers). Synthetic reports: no model
 * runs here. The report in a real browser: __tests__/browser/report.test.ts.
 */
import {renderHtmlReport} from '../../src/tools';
import {syntheticReport} from '../helpers/synthetic-report';

/** The font sizes of the text of the first SVG (the signal chart). */
function fontSizes(html: string): number[] {
  const svg = html.slice(html.indexOf('<svg'), html.indexOf('</svg>'));
  return [...svg.matchAll(/font-size="(\d+(?:\.\d+)?)px"/g)].map((m) => Number(m[1]));
}

describe('renderHtmlReport at network scale', () => {
  it('90 layers: every layer named in 10 px or more; legend entries only for marks present', async () => {
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
    expect(html).toContain('10000 layers, drawn in consecutive groups of 25');
    expect(html).toContain('>layers, in groups of 25</text>');
    expect(Math.min(...fontSizes(html))).toBeGreaterThanOrEqual(10);
    // The per-layer table keeps every layer.
    expect((html.match(/<tr>/g) ?? []).length).toBe(10_001);
  }, 60000);
});
