/**
 * Every row of docs/errors.md is a test: the call fails with exactly the documented error, at once
 * (or as a rejection, for async calls), without leaving a tensor behind. The doc must equal its
 * rendering from the same rows, every export must be covered, and the hostile fixtures on disk
 * must equal their texts.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as api from '../../src';
import * as tools from '../../src/tools';
import * as node from '../../src/node';
import {InitializerError} from '../../src';
import {HOSTILE, HOSTILE_FILES, HOSTILE_FS_DIR, buildHostileFs} from '../../scripts/hostile-models';
import {renderErrorsDoc} from '../../scripts/errors/render';
import {isAsync, runRow} from './run';
import {
  NOT_VALIDATED,
  ROWS,
  TEMPLATE_CLASS,
  callText,
  type ErrorRow,
} from '../../scripts/errors/table';
import {CATALOGUE} from '../../scripts/catalogue';

const root = path.resolve(__dirname, '..', '..');

describe('docs/errors.md', () => {
  // The hostile folders git cannot hold (links, FIFOs), which some rows load.
  beforeAll(() => buildHostileFs(path.join(root, HOSTILE_FS_DIR)));
  afterAll(() => fs.rmSync(path.join(root, HOSTILE_FS_DIR), {recursive: true, force: true}));

  const cases = ROWS.map((row): [string, ErrorRow] => [
    `${row.section} · ${row.input} · ${callText(row.call)}`,
    row,
  ]);

  it.each(cases)('%s', async (_label, row) => {
    const outcome = await runRow(row);
    const expected = row.error;
    expect(outcome.leaked).toBe(0);
    if ('exit' in expected) {
      expect(outcome.cli).not.toBeNull();
      const last = (outcome.cli as {stderr: string[]}).stderr.filter((l) => l.length > 0).pop();
      expect(outcome.cli?.code).toBe(expected.exit);
      if (expected.prefix === true) expect(last?.startsWith(expected.stderr)).toBe(true);
      else expect(last).toBe(expected.stderr);
      return;
    }
    expect(outcome.error).toBeInstanceOf(InitializerError);
    const error = outcome.error as InitializerError;
    expect(error.owner).toBe(expected.owner);
    expect(error.parameter).toBe(expected.parameter);
    if (expected.prefix === true) expect(error.message.startsWith(expected.message)).toBe(true);
    else expect(error.message).toBe(expected.message);
    // Constructors, apply and plain functions fail before returning; async functions reject.
    expect(outcome.synchronous).toBe(!isAsync(row));
  });

  it('the committed docs/errors.md is the rendering of the table (run `npm run docs:errors`)', () => {
    expect(fs.readFileSync(path.join(root, 'docs', 'errors.md'), 'utf8')).toBe(renderErrorsDoc());
  });

  it('covers every exported function and class of tfjs-initializers, /tools and /node', () => {
    const named = new Set<string>();
    for (const row of ROWS) {
      const c = row.call;
      if ('new' in c) named.add(c.new);
      else if ('call' in c) named.add(c.call.split('.')[0]);
      else if ('apply' in c) named.add(c.apply);
      else if ('load' in c) named.add('fileIO');
    }
    const callable = [api, tools, node]
      .flatMap((entry) => Object.entries(entry))
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k);
    const missing = callable.filter((name) => !named.has(name) && !(name in NOT_VALIDATED));
    expect(missing).toEqual([]);
    const stale = Object.keys(NOT_VALIDATED).filter((name) => !callable.includes(name));
    // (deprecated aliases are the same values as their new names, so covered by them)
    expect(stale).toEqual([]);
  });

  it('the template class of the doc has exactly the option kinds the registered classes use', () => {
    // Its rows are what the doc shows for every class: each kind shown must run for some class.
    const used = new Set(CATALOGUE.flatMap((f) => Object.values(f.options).map((k) => k.kind)));
    const shown = Object.values(TEMPLATE_CLASS.options).map((k) => k.kind);
    expect([...new Set(shown)].sort()).toEqual([...used].sort());
  });

  it('every CLI command has rows', () => {
    const commands = new Set(
      ROWS.flatMap((r) =>
        'cli' in r.call
          ? r.call.cli.filter((a) => ['inspect', 'doctor', 'reinit'].includes(a))
          : [],
      ),
    );
    expect([...commands].sort()).toEqual(['doctor', 'inspect', 'reinit']);
  });

  it('the hostile fixtures on disk are the texts in scripts/hostile-models.ts (run `npm run fixtures:hostile`)', () => {
    const dir = path.join(root, '__tests__', 'fixtures', 'hostile');
    expect(fs.readdirSync(dir).sort()).toEqual(Object.keys(HOSTILE).sort());
    for (const [name, {text}] of Object.entries(HOSTILE)) {
      expect(fs.readFileSync(path.join(dir, name, 'model.json'), 'utf8')).toBe(text);
      const extra = HOSTILE_FILES[name] ?? {};
      expect(fs.readdirSync(path.join(dir, name)).sort()).toEqual(
        ['model.json', ...Object.keys(extra)].sort(),
      );
      for (const [file, bytes] of Object.entries(extra))
        expect(new Uint8Array(fs.readFileSync(path.join(dir, name, file)))).toEqual(bytes);
    }
  });
});
