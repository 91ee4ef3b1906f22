/**
 * package-lock.json is in step with package.json where npm ci does not look: the root entry npm
 * writes for the project repeats package.json's name, version, licence, entry points and every
 * dependency range — peer ranges included, which `npm ci` accepts out of step (.ci/run also runs
 * scripts/check-lockfile.sh, which asks npm itself). And every pinned devDependency is locked at
 * its pin.
 */
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');
const read = (file: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')) as Record<string, unknown>;

/** The package.json fields npm copies into the lock's root entry (`packages[""]`). */
const ROOT_FIELDS = [
  'name',
  'version',
  'license',
  'bin',
  'engines',
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'peerDependenciesMeta',
];

describe('package-lock.json', () => {
  const pkg = read('package.json');
  const lock = read('package-lock.json') as {
    name: string;
    version: string;
    packages: Record<string, Record<string, unknown>>;
  };

  it("repeats package.json's fields in its root entry", () => {
    const root = lock.packages[''];
    for (const field of ROOT_FIELDS) expect([field, root[field]]).toEqual([field, pkg[field]]);
    expect([lock.name, lock.version]).toEqual([pkg.name, pkg.version]);
  });

  it('locks every exactly pinned dependency at its pin', () => {
    const pinned = {
      ...(pkg.dependencies as Record<string, string>),
      ...(pkg.devDependencies as Record<string, string>),
    };
    for (const [name, range] of Object.entries(pinned)) {
      if (!/^\d+\.\d+\.\d+$/.test(range)) continue;
      expect([name, lock.packages[`node_modules/${name}`]?.version]).toEqual([name, range]);
    }
  });
});
