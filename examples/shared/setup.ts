import {promises as fs} from 'fs';
import * as path from 'path';
import {parseArgs} from 'util';
import * as tf from '@tensorflow/tfjs';
import {renderSvg} from './charts';
import {selectBackend, type BackendName} from '../../src/node';

/** Where the examples write their plots: docs/examples/ of the repository. */
export const DOCS = path.join(__dirname, '..', '..', 'docs', 'examples');

/** Parses `--backend` (and the given extra string flags), starts the backend and prints the note. */
export async function start(extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const options: Record<string, {type: 'string'; default?: string}> = {backend: {type: 'string'}};
  for (const [k, def] of Object.entries(extra)) options[k] = {type: 'string', default: def};
  const {values} = parseArgs({options});
  tf.enableProdMode();
  const {note} = await selectBackend(
    values.backend === undefined ? {} : {force: values.backend as BackendName},
  );
  console.log(note);
  return values as Record<string, string>;
}

/** Renders a Vega-Lite spec to docs/examples/<name>.svg and says so. */
export async function writeSvg(name: string, spec: Parameters<typeof renderSvg>[0]): Promise<void> {
  await fs.mkdir(DOCS, {recursive: true});
  const file = path.join(DOCS, `${name}.svg`);
  await fs.writeFile(file, await renderSvg(spec));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

/** Formats a number in 3 significant digits, exponent for very small or large values. */
export function fmt(x: number | null): string {
  if (x === null) return '—';
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e4) ? x.toExponential(2) : x.toPrecision(3);
}

/** Prints a markdown table. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    `| ${cells.map((x, c) => x.padEnd(widths[c])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
