/**
 * Fresh apps that install the packed tarball: each is a folder under the run's work folder with a
 * package.json, filled by plain `npm install`, and the fixture scripts it runs.
 */
import * as fs from 'fs';
import * as path from 'path';
import {npm, run, ROOT} from './npm';

/** The tarball `npm pack` made in global-setup.ts. */
export function tarball(): string {
  const file = process.env.TFJS_INIT_TARBALL;
  if (file === undefined || !fs.existsSync(file))
    throw new Error(
      'run the consumer tests with `npm run test:consumers` (global-setup.ts packs the tarball)',
    );
  return file;
}

const FIXTURES = path.join(__dirname, 'fixtures');

/** Creates an empty app `name` (package.json with `fields`) and copies the named fixtures into it. */
export function makeApp(
  name: string,
  fields: Record<string, unknown> = {},
  fixtures: string[] = [],
): string {
  const dir = path.join(path.dirname(tarball()), name);
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({name, version: '1.0.0', private: true, ...fields}, null, 2),
  );
  for (const f of fixtures)
    fs.cpSync(path.join(FIXTURES, f), path.join(dir, path.basename(f)), {recursive: true});
  return dir;
}

/** `npm install <specs...>` in the app, no flags; returns npm's output. */
export function install(app: string, specs: string[]): string {
  return npm(app, ['install', ...specs]);
}

/** Runs `node <args>` in the app and parses the JSON its last stdout line holds. */
export function nodeJson<T = Record<string, unknown>>(app: string, args: string[]): T {
  const r = run(app, process.execPath, args, 120000);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !last.startsWith('{'))
    throw new Error(
      `node ${args.join(' ')} (in ${app}) exited ${r.code}:\n${r.stdout}\n${r.stderr}`,
    );
  return JSON.parse(last) as T;
}

/** Every folder holding @tensorflow/tfjs-core in the app (`npm ls --all --parseable`), and npm ls's exit code. */
export function tfjsCores(app: string): {dirs: string[]; code: number} {
  const r = run(app, 'npm', ['ls', '--all', '--parseable', '@tensorflow/tfjs-core']);
  return {dirs: [...new Set(r.stdout.split('\n').filter((l) => l.trim() !== ''))], code: r.code};
}

/** The installed version of package `name` in the app. */
export function installedVersion(app: string, name: string): string {
  return (
    JSON.parse(fs.readFileSync(path.join(app, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
}

/** The repository's own copy of a tool (TypeScript, esbuild): the compiler is not what an app resolves. */
export function repoBin(pkg: string, bin: string): string {
  return path.join(ROOT, 'node_modules', pkg, bin);
}
