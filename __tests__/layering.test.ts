/**
 * The source's import graph: imports point only downward through the layers
 * core → random → linalg → fans → initializers → weights → main entry → tools/untrusted → tools →
 * node → cli, no file imports another package's `dist/` internals, and no two modules import each
 * other, directly or through others. In particular the validator of untrusted files sits below the
 * tools (what both need, the addWeight interceptor and the initializer fit check, is in weights/),
 * and the CLI draws no random numbers itself: it asks the tools.
 */
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.resolve(__dirname, '..', 'src');

/** Rank of each layer: a file may import files of its own rank or lower. */
const LAYERS: ReadonlyArray<[RegExp, string, number]> = [
  [/^core\//, 'core', 0],
  [/^random\//, 'random', 1],
  [/^linalg\//, 'linalg', 2],
  [/^fans\.ts$/, 'fans', 3],
  [/^initializers\//, 'initializers', 4],
  [/^weights\//, 'weights', 5],
  [/^(index|deprecated)\.ts$/, 'main entry', 6],
  [/^tools\/untrusted\//, 'tools/untrusted', 7],
  [/^tools\//, 'tools', 8],
  [/^node\//, 'node', 9],
  [/^cli\//, 'cli', 10],
];

function layerOf(file: string): {name: string; rank: number} {
  const found = LAYERS.find(([re]) => re.test(file));
  if (found === undefined)
    throw new Error(`src/${file} belongs to no layer: add it to LAYERS or move it`);
  return {name: found[1], rank: found[2]};
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [path.relative(SRC, full).split(path.sep).join('/')] : [];
  });
}

/** Every module specifier a file imports or re-exports (type-only ones included). */
function specifiers(text: string): string[] {
  const found = [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*'([^']+)'/g),
    ...text.matchAll(/(?:^|\n)\s*import\s*'([^']+)'/g),
    ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g),
  ];
  return found.map((m) => m[1]);
}

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  for (const candidate of [`${base}.ts`, path.posix.normalize(`${base}/index.ts`), base]) {
    if (fs.existsSync(path.join(SRC, candidate)) && fs.statSync(path.join(SRC, candidate)).isFile())
      return candidate;
  }
  return null; // e.g. ../../package.json
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>(
  files.map((f) => {
    const text = fs.readFileSync(path.join(SRC, f), 'utf8');
    return [
      f,
      specifiers(text)
        .map((s) => resolveLocal(f, s))
        .filter((t): t is string => t !== null && t.endsWith('.ts')),
    ];
  }),
);

describe('the import graph of src/', () => {
  it('finds the files and their imports (the check can see something)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get('tools/replay-build.ts')).toContain('weights/add-weight.ts');
    expect(graph.get('tools/untrusted/dry-build.ts')).toContain('weights/add-weight.ts');
  });

  it(
    'imports point only downward: core → random → linalg → fans → initializers → weights ' +
      '→ main entry → tools/untrusted → tools → node → cli',
    () => {
      const upward: string[] = [];
      for (const [file, targets] of graph) {
        const own = layerOf(file);
        for (const target of targets) {
          const other = layerOf(target);
          if (other.rank > own.rank)
            upward.push(`${file} (${own.name}) imports ${target} (${other.name})`);
        }
      }
      expect(upward).toEqual([]);
    },
  );

  it('the validator of untrusted files imports nothing of the tools above it (no tools ↔ tools/untrusted loop)', () => {
    const up = [...graph].flatMap(([file, targets]) =>
      file.startsWith('tools/untrusted/')
        ? targets.filter((t) => t.startsWith('tools/') && !t.startsWith('tools/untrusted/'))
        : [],
    );
    expect(up).toEqual([]);
  });

  it('the CLI draws no random numbers itself: nothing in cli/ imports random/ (it asks the tools)', () => {
    const drawn = [...graph].flatMap(([file, targets]) =>
      file.startsWith('cli/')
        ? targets.filter((t) => t.startsWith('random/')).map((t) => `${file} → ${t}`)
        : [],
    );
    expect(drawn).toEqual([]);
  });

  it('no module depends on itself through other modules (no import cycles)', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open')
          cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it("no import reaches into another package's dist/ (types must come from public entry points)", () => {
    const deep = files.filter((f) =>
      specifiers(fs.readFileSync(path.join(SRC, f), 'utf8')).some((s) =>
        /^@tensorflow\/[^/]+\/dist\//.test(s),
      ),
    );
    expect(deep).toEqual([]);
  });
});
