/**
 * The API map (scripts/api-map.ts, generated into the API reference by `npm run docs:api`) is read
 * from the code: it must name every export of the three entry points (read from their source, so
 * the check compares two derivations) and every registered class. Every deprecated alias
 * (src/deprecated.ts) is listed in CHANGELOG.md with its new name.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as api from '../src';
import * as deprecated from '../src/deprecated';
import * as tools from '../src/tools';
import * as node from '../src/node';
import {renderApiMap} from '../scripts/api-map';
import {CATALOGUE} from '../scripts/catalogue';

const root = path.resolve(__dirname, '..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

describe('the API map and CHANGELOG.md', () => {
  it('the API map names every export of tfjs-initializers, /tools and /node, and every registered class', () => {
    const map = renderApiMap();
    const exported = [api, tools, node].flatMap((entry) => Object.keys(entry));
    expect(exported.length).toBeGreaterThan(80);
    expect(exported.filter((name) => !map.includes(`\`${name}\``))).toEqual([]);
    expect(CATALOGUE.length).toBeGreaterThan(10);
    expect(CATALOGUE.filter((f) => !map.includes(`| \`${f.name}\` |`))).toEqual([]);
  });

  it('CHANGELOG.md lists every deprecated alias', () => {
    const changelog = read('CHANGELOG.md');
    const names = Object.keys(deprecated);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !changelog.includes(`\`${name}\``))).toEqual([]);
  });
});
