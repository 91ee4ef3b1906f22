/**
 * docs/api.md is the map of the public API: every name the three entry points export appears in
 * it, and every deprecated alias (src/deprecated.ts) is listed in CHANGELOG.md with its new name.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as api from '../src';
import * as deprecated from '../src/deprecated';
import * as tools from '../src/tools';
import * as node from '../src/node';

const root = path.resolve(__dirname, '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

describe('docs/api.md and CHANGELOG.md', () => {
  it('docs/api.md names every export of tfjs-initializers, /tools and /node', () => {
    const doc = read('docs/api.md');
    const exported = [api, tools, node].flatMap((entry) => Object.keys(entry));
    expect(exported.length).toBeGreaterThan(80);
    const missing = exported.filter((name) => !doc.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('CHANGELOG.md lists every deprecated alias', () => {
    const changelog = read('CHANGELOG.md');
    const names = Object.keys(deprecated);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !changelog.includes(`\`${name}\``))).toEqual([]);
  });
});
