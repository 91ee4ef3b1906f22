/**
 * The tarball itself, unpacked: what ships (the build, the bin shim, README, CHANGELOG, LICENSE,
 * the docs README links to; no sources, no source maps), package.json's entry points and
 * dependencies, declarations that import no other package's dist/, README links that resolve.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {tarball} from './apps';
import {OLDEST_TFJS, NEWEST_TFJS} from './versions';

type Conditions = {[condition: string]: string | null | Conditions};

/** The parts of package.json read here. */
interface Manifest {
  version: string;
  license: string;
  main: string;
  types: string;
  unpkg: string;
  jsdelivr: string;
  bin: Record<string, string>;
  exports: Record<string, Record<string, Conditions | null>>;
  typesVersions: Record<string, Record<string, string[]>>;
  repository: unknown;
  homepage: string;
  bugs: unknown;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, unknown>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

describe('the tarball', () => {
  let dir: string;
  let files: string[];
  let pkg: Manifest;

  beforeAll(() => {
    dir = path.join(path.dirname(tarball()), 'unpacked');
    fs.mkdirSync(dir, {recursive: true});
    execFileSync('tar', ['-xzf', tarball(), '-C', dir]);
    dir = path.join(dir, 'package');
    files = (fs.readdirSync(dir, {recursive: true}) as string[])
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .sort();
    pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  });

  it('ships the build, the bin shim, README, CHANGELOG, LICENSE and docs; no sources, no source maps', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'CHANGELOG.md',
        'LICENSE',
        'package.json',
        'bin/tfjs-init.cjs',
        'docs/initializers.md',
      ]),
    );
    expect(files.filter((f) => !/^(dist|bin|docs)\//.test(f)).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'package.json',
    ]);
    expect(
      files.filter(
        (f) =>
          f.endsWith('.map') || f.startsWith('src/') || (/\.ts$/.test(f) && !/\.d\.m?ts$/.test(f)),
      ),
    ).toEqual([]);
    const license = fs.readFileSync(path.join(dir, 'LICENSE'), 'utf8');
    expect(license).toMatch(
      /^\s*Apache License\s+Version 2\.0, January 2004\s+http:\/\/www\.apache\.org\/licenses\/\s+TERMS AND CONDITIONS/,
    );
    expect(license).toContain('END OF TERMS AND CONDITIONS');
    expect(pkg.license).toBe('Apache-2.0');
  });

  it('names its repository, home page and issue tracker, and is version 0.2.0', () => {
    expect(pkg.version).toBe('0.2.0');
    expect(pkg.repository).toEqual({
      type: 'git',
      url: 'git+https://github.com/tfjs-initializers/tfjs-initializers.git',
    });
    expect(pkg.homepage).toBe('https://github.com/tfjs-initializers/tfjs-initializers#readme');
    expect(pkg.bugs).toEqual({
      url: 'https://github.com/tfjs-initializers/tfjs-initializers/issues',
    });
  });

  it('every entry point exists, `types` first in every condition, each entry with .d.ts and .d.mts', () => {
    const targets: string[] = [
      pkg.main,
      pkg.types,
      pkg.unpkg,
      pkg.jsdelivr,
      ...Object.values(pkg.bin),
    ];
    const walk = (c: string | null | Conditions): void => {
      if (c === null) return;
      if (typeof c === 'string') return void targets.push(c);
      const keys = Object.keys(c);
      if (keys.includes('types')) expect(keys[0]).toBe('types');
      Object.values(c).forEach(walk);
    };
    expect(Object.keys(pkg.exports)).toEqual(['.', './tools', './node', './package.json']);
    walk(pkg.exports as unknown as Conditions);
    for (const [entry, file] of [
      ['.', 'index'],
      ['./tools', 'tools'],
      ['./node', 'node'],
    ]) {
      expect(pkg.exports[entry].import).toEqual({
        types: `./dist/${file}.d.mts`,
        default: `./dist/${file}.mjs`,
      });
      expect(pkg.exports[entry].require).toEqual({
        types: `./dist/${file}.d.ts`,
        default: `./dist/${file}.js`,
      });
    }
    expect(pkg.exports['./node'].browser).toBeNull();
    // moduleResolution node10 reads no `exports`: typesVersions shows it /tools and /node.
    expect(pkg.typesVersions).toEqual({
      '*': {tools: ['./dist/tools.d.ts'], node: ['./dist/node.d.ts']},
    });
    for (const t of Object.values(pkg.typesVersions['*']).flat()) targets.push(t);
    for (const t of targets) expect(files).toContain(path.normalize(t));
  });

  it("declarations import tfjs by its public entry points only, never another package's dist/", () => {
    const declarations = files.filter((f) => /\.d\.m?ts$/.test(f));
    expect(declarations.length).toBeGreaterThanOrEqual(6);
    const specifiers = new Set<string>();
    for (const f of declarations) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const m of text.matchAll(
        /(?:^|\n)\s*(?:import|export)\b[^'";]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
      ))
        specifiers.add(m[1] ?? m[2]);
    }
    expect([...specifiers].filter((s) => !s.startsWith('./')).sort()).toEqual([
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
    ]);
  });

  it(
    `peers: tfjs-core and tfjs-layers ^${OLDEST_TFJS} ` +
      `(tested ${OLDEST_TFJS} to ${NEWEST_TFJS}), vega and ` +
      `vega-lite; no tfjs backend declared`,
    () => {
      expect(pkg.peerDependencies).toEqual({
        '@tensorflow/tfjs-core': `^${OLDEST_TFJS}`,
        '@tensorflow/tfjs-layers': `^${OLDEST_TFJS}`,
        vega: '^5.24.0 || ^6.0.0',
        'vega-lite': '^5.23.0 || ^6.0.0',
      });
      // Optional so that npm (7+) does not install the newest tfjs-core for us next to the one the
      // app's @tensorflow/tfjs pins; still checked against the range when present.
      expect(pkg.peerDependenciesMeta).toEqual({
        '@tensorflow/tfjs-core': {optional: true},
        '@tensorflow/tfjs-layers': {optional: true},
        vega: {optional: true},
        'vega-lite': {optional: true},
      });
      expect(pkg.dependencies).toEqual({commander: expect.any(String)});
      expect(pkg.devDependencies['@tensorflow/tfjs']).toBe(NEWEST_TFJS);
    },
  );

  it('README links resolve inside the package (or are absolute URLs)', () => {
    const readme = fs.readFileSync(path.join(dir, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(10);
    const relative = links.filter((l) => !/^(https?:|#)/.test(l));
    for (const link of relative)
      expect([link, fs.existsSync(path.join(dir, link.split('#')[0]))]).toEqual([link, true]);
  });
});
