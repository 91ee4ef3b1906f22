/**
 * The map of the public API, from the code: every initializer (class, factory, string ids, options
 * and their kinds, in-place function, code and test files), read from the registry and the
 * catalogue of facts; and every export of the three entry points, grouped as the entry point's own
 * comments group them. `npm run docs:api` writes it to docs/generated/api-map.md (not committed) and
 * TypeDoc adds it to the API reference; a test checks that it names every export and every
 * registered class. A new initializer (its file, its test and one export line in src/index.ts)
 * appears in it without edits here.
 */
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import * as api from '../src';
import * as random from '../src/initializers/random';
import {CATALOGUE, aliasesOfClass, factoryOf, type ClassFacts, type OptionKind} from './catalogue';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Every `.ts` file under `dir` (relative to the repository root), sorted. */
function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), {withFileTypes: true})
    .flatMap((e) =>
      e.isDirectory()
        ? filesUnder(`${dir}/${e.name}`)
        : e.name.endsWith('.ts')
          ? [`${dir}/${e.name}`]
          : [],
    )
    .sort();
}

/** The source file that declares the class (`className = 'Name'`). */
function codeOf(name: string): string | undefined {
  return filesUnder('src/initializers').find((f) => read(f).includes(`className = '${name}'`));
}

const count = (text: string, word: string): number =>
  text.match(new RegExp(`\\b${word}\\b`, 'g'))?.length ?? 0;

/**
 * The class's test: `__tests__/initializers/<its file>.test.ts` when that names it, else the test
 * under `__tests__/initializers/` that names it most.
 */
function testOf(name: string, code: string | undefined): string | undefined {
  const tests = filesUnder('__tests__/initializers').filter((f) => f.endsWith('.test.ts'));
  const mirror = code && `__tests__/initializers/${path.basename(code, '.ts')}.test.ts`;
  if (mirror && tests.includes(mirror) && count(read(mirror), name) > 0) return mirror;
  const ranked = tests
    .map((f) => ({f, n: count(read(f), name)}))
    .filter((t) => t.n > 0)
    .sort((a, b) => b.n - a.n || a.f.localeCompare(b.f));
  return ranked[0]?.f;
}

/** In-place function → the class it draws through (the class it constructs, by its className). */
function inPlaceClasses(): Map<string, string[]> {
  const text = read('src/initializers/in-place.ts');
  const known: Record<string, unknown> = {...random, ...api};
  const byClass = new Map<string, string[]>();
  const functions = [...text.matchAll(/^export function (\w+_)[^]*?^}/gm)];
  for (const [body, fn] of functions) {
    for (const [, id] of body.matchAll(/new (\w+)\(/g)) {
      const cls = known[id] as {className?: unknown} | undefined;
      if (typeof cls?.className !== 'string') continue;
      byClass.set(cls.className, [...(byClass.get(cls.className) ?? []), fn]);
      break;
    }
  }
  return byClass;
}

const code = (s: string): string => `\`${s}\``;

/** An option kind in words: `oneOf 'fanIn' \| 'fanOut'`, `positive`, ... */
function kindText(kind: OptionKind): string {
  if (kind.kind === 'oneOf')
    return (
      kind.values.map((v) => `'${v}'`).join(' \\| ') + (kind.nullable === true ? ' \\| null' : '')
    );
  return kind.kind;
}
/** A repository path, as code (the page lives in the API reference, away from the files). */
const fileText = (file: string | undefined): string => (file === undefined ? '—' : code(file));

/** The table of every initializer. */
export function renderInitializers(facts: readonly ClassFacts[] = CATALOGUE): string {
  const inPlace = inPlaceClasses();
  const rows = facts.map((f) => {
    const file = codeOf(f.name);
    const ids = [f.name, factoryOf(f), ...aliasesOfClass(f)].map((n) => code(`'${n}'`)).join(', ');
    const options = Object.entries(f.options)
      .map(([key, kind]) => `${code(key)} (${kindText(kind)})`)
      .join(', ');
    const fns = inPlace.get(f.name)?.map(code).join(', ') ?? '—';
    const cells = [code(f.name), code(factoryOf(f)), ids, options || '—', fns, fileText(file)];
    return `| ${[...cells, fileText(testOf(f.name, file))].join(' | ')} |`;
  });
  return [
    '| class | factory | string ids | options (kind) | in-place | code | test |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

interface Group {
  topic: string;
  names: string[];
}

/** The names a module declares as exports (functions, classes, constants, types), in order. */
function declaredExports(file: string): string[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  for (const s of source.statements) {
    const exported =
      ts.canHaveModifiers(s) &&
      ts.getModifiers(s)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) names.push(d.name.getText(source));
    else if (
      (ts.isFunctionDeclaration(s) ||
        ts.isClassDeclaration(s) ||
        ts.isInterfaceDeclaration(s) ||
        ts.isTypeAliasDeclaration(s)) &&
      s.name !== undefined
    )
      names.push(s.name.text);
  }
  return [...new Set(names)];
}

/**
 * An entry point's exports, grouped by the `//` comment above each run of export statements (a
 * statement without one joins the group before it); `export *` lists what the module declares.
 */
function exportGroups(file: string, untitled: string): Group[] {
  const text = read(file);
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const groups: Group[] = [];
  for (const s of source.statements) {
    if (!ts.isExportDeclaration(s)) continue;
    const comments = ts.getLeadingCommentRanges(text, s.pos) ?? [];
    const line = comments
      .map((c) => text.slice(c.pos, c.end))
      .filter((c) => c.startsWith('//'))
      .map((c) => c.replace(/^\/\/\s*/, ''))
      .join(' ');
    const target = (s.moduleSpecifier as ts.StringLiteral | undefined)?.text;
    let names: string[];
    if (s.exportClause === undefined && target !== undefined) {
      const resolved = path.posix.join(path.posix.dirname(file), `${target}.ts`);
      names = declaredExports(resolved);
    } else if (s.exportClause !== undefined && ts.isNamedExports(s.exportClause)) {
      names = s.exportClause.elements.map((e) => e.name.text);
    } else continue;
    if (line !== '' || groups.length === 0)
      groups.push({topic: line === '' ? untitled : line, names});
    else groups[groups.length - 1].names.push(...names);
  }
  return groups;
}

/** Every export of the three entry points, by entry point and group. */
export function renderExports(): string {
  const entries: Array<[string, string]> = [
    ['tfjs-initializers', 'src/index.ts'],
    ['tfjs-initializers/tools', 'src/tools/index.ts'],
    ['tfjs-initializers/node', 'src/node/index.ts'],
  ];
  return entries
    .flatMap(([entry, file]) => [
      `${code(entry)} (${fileText(file)}):`,
      '',
      '| topic | names |',
      '|---|---|',
      ...exportGroups(file, 'everything').map(
        (g) => `| ${g.topic.replace(/\|/g, '\\|')} | ${g.names.map(code).join(', ')} |`,
      ),
      '',
    ])
    .join('\n')
    .trimEnd();
}

/** The whole page: docs/generated/api-map.md. */
export function renderApiMap(): string {
  return [
    '---',
    'title: API map',
    '---',
    '',
    '# API map: every initializer and every export',
    '',
    '<!-- Generated by `npm run docs:api` (scripts/api-map.ts) from the code. Not committed. -->',
    '',
    'How names are formed: [docs/api.md](../api.md). Options are listed with the kind of their',
    'check (`src/core/options.ts`), whose invalid values and exact errors are in',
    '[docs/errors.md](../errors.md#every-initializer-class).',
    '',
    '## Every initializer',
    '',
    renderInitializers(),
    '',
    '## Every export',
    '',
    renderExports(),
    '',
  ].join('\n');
}

/** Where `npm run docs:api` writes the map (git-ignored). */
export const API_MAP_FILE = 'docs/generated/api-map.md';
