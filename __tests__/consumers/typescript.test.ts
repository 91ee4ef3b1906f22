/**
 * A strict TypeScript app compiled under every moduleResolution mode a user may have — node10
 * (`node`), node16 and nodenext in ES-module and CommonJS packages, and bundler — and then run:
 * `kernelInitializer: new XavierUniformCustom()` must type-check against tfjs's own layer options,
 * and /tools and /node must resolve. Compiled with the repository's TypeScript, `skipLibCheck` on
 * as in most apps (tfjs-layers' own declarations fail a strict lib check); one more compile with
 * the lib check on shows no error in our declaration files.
 */
import * as fs from 'fs';
import * as path from 'path';
import {install, makeApp, nodeJson, repoBin, tarball, tfjsCores} from './apps';
import {run} from './npm';
import {NEWEST_TFJS} from './versions';

interface Mode {
  name: string;
  type: 'module' | 'commonjs';
  module: string;
  moduleResolution: string;
}

const MODES: Mode[] = [
  {name: 'node10-cjs', type: 'commonjs', module: 'commonjs', moduleResolution: 'node10'},
  {name: 'node16-esm', type: 'module', module: 'node16', moduleResolution: 'node16'},
  {name: 'node16-cjs', type: 'commonjs', module: 'node16', moduleResolution: 'node16'},
  {name: 'nodenext-esm', type: 'module', module: 'nodenext', moduleResolution: 'nodenext'},
  {name: 'nodenext-cjs', type: 'commonjs', module: 'nodenext', moduleResolution: 'nodenext'},
  {name: 'bundler-esm', type: 'module', module: 'esnext', moduleResolution: 'bundler'},
];

const tsc = repoBin('typescript', 'bin/tsc');

function project(app: string, mode: Mode, skipLibCheck: boolean): string {
  const dir = path.join(app, `${mode.name}${skipLibCheck ? '' : '-libcheck'}`);
  fs.mkdirSync(dir, {recursive: true});
  fs.copyFileSync(
    path.join(__dirname, 'fixtures', 'typescript', 'main.ts'),
    path.join(dir, 'main.ts'),
  );
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({type: mode.type}));
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          strict: true,
          target: 'es2020',
          lib: ['es2020', 'dom'],
          module: mode.module,
          moduleResolution: mode.moduleResolution,
          skipLibCheck,
          outDir: 'out',
          types: [],
        },
        files: ['main.ts'],
      },
      null,
      2,
    ),
  );
  return dir;
}

const tscVersion: string = JSON.parse(
  fs.readFileSync(path.join(path.dirname(path.dirname(tsc)), 'package.json'), 'utf8'),
).version;

describe(`TypeScript ${tscVersion} strict, tfjs ${NEWEST_TFJS}`, () => {
  let app: string;

  beforeAll(() => {
    app = makeApp('typescript');
    install(app, [`@tensorflow/tfjs@${NEWEST_TFJS}`, tarball()]);
  });

  it('installs with one tfjs-core', () => {
    expect(tfjsCores(app)).toEqual({
      dirs: [path.join(app, 'node_modules', '@tensorflow', 'tfjs-core')],
      code: 0,
    });
  });

  it.each(MODES.map((m) => [m.name, m] as const))(
    '%s: compiles, and the output runs',
    (_, mode) => {
      const dir = project(app, mode, true);
      const compiled = run(dir, process.execPath, [tsc, '-p', '.'], 120000);
      expect(compiled.stdout + compiled.stderr).toBe('');
      expect(compiled.code).toBe(0);
      expect(nodeJson(dir, ['out/main.js'])).toEqual({
        backend: 'cpu',
        reloaded: true,
        report: true,
        rejected: true,
      });
    },
  );

  it('with the lib check on (nodenext, ES module), no error comes from our declaration files', () => {
    const dir = project(app, MODES[3], false);
    const compiled = run(dir, process.execPath, [tsc, '-p', '.', '--noEmit'], 120000);
    const errors = compiled.stdout.split('\n').filter((l) => /error TS\d+/.test(l));
    // tfjs-layers' declarations have strict-mode errors of their own; the compile must still have
    // checked ours (and found nothing), so their errors are there and ours are not.
    expect(errors.some((l) => l.startsWith('../node_modules/@tensorflow/'))).toBe(true);
    expect(errors.filter((l) => !l.startsWith('../node_modules/@tensorflow/'))).toEqual([]);
  });
});
