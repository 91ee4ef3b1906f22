/**
 * The lean set-up tfjs documents for bundle size: an app on @tensorflow/tfjs-core +
 * @tensorflow/tfjs-layers (no @tensorflow/tfjs), first with @tensorflow/tfjs-backend-cpu, then with
 * no backend package at all. selectBackend() finds the cpu package by itself and the app trains
 * (ESM and CommonJS); without it the error names the package to install. A mistyped initializer
 * name in a layer config, a model file, a rule and `--rule` gets the names it may have meant.
 * `tfjs-init --help` and `inspect` need no backend; the backend line comes only with --verbose.
 */
import * as fs from 'fs';
import * as path from 'path';
import {install, installedVersion, makeApp, nodeJson, tarball, tfjsCores} from './apps';
import {run} from './npm';
import {NEWEST_TFJS} from './versions';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'cli');
const SCRIPTS = ['lean-scenario.cjs', 'lean-run.cjs', 'lean-run.mjs'];
const MEANT = "Did you mean 'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)?";
const INSTALL_CPU = `npm install @tensorflow/tfjs-backend-cpu@${NEWEST_TFJS}`;

interface LeanResult {
  layerTypo: {message: string; initializerError: boolean};
  layerTypoCase: {message: string; initializerError: boolean};
  backend?: {name: string; note: string};
  backendError?: {message: string; initializerError: boolean};
  activeBackend?: string;
  loss?: {first: number; last: number};
  modelFileTypo?: {message: string; initializerError: boolean};
  ruleTypo?: {message: string; initializerError: boolean};
  moduleSystem: string;
}

/** A lean app with the CLI fixtures `model` (a healthy model) and `typo` (a mistyped initializer). */
function leanApp(name: string, packages: string[]): string {
  const app = makeApp(name, {type: 'module'}, SCRIPTS);
  install(app, [...packages.map((p) => `${p}@${NEWEST_TFJS}`), tarball()]);
  fs.cpSync(path.join(FIXTURES, 'healthy'), path.join(app, 'model'), {recursive: true});
  fs.cpSync(path.join(FIXTURES, 'typo-initializer'), path.join(app, 'typo'), {recursive: true});
  return app;
}

const cli = (app: string, ...args: string[]) =>
  run(app, path.join(app, 'node_modules', '.bin', 'tfjs-init'), args, 120000);

/** The layer-config typos are the same with or without a backend. */
function expectLayerTypos(r: LeanResult): void {
  for (const [name, e] of [
    ['XavierUniformCustm', r.layerTypo],
    ['xavieruniformcustom', r.layerTypoCase],
  ] as const) {
    expect(e.initializerError).toBe(true);
    expect(e.message).toContain(`tfjs-initializers: unknown initializer '${name}'. ${MEANT}`);
    expect(e.message).toContain('tfjs-initializers is imported');
  }
}

describe(`an app on @tensorflow/tfjs-core + -layers + -backend-cpu ${NEWEST_TFJS}`, () => {
  let app: string;
  beforeAll(() => {
    app = leanApp('lean-cpu', [
      '@tensorflow/tfjs-core',
      '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-cpu',
    ]);
  });

  it('installs one tfjs-core and no @tensorflow/tfjs', () => {
    expect(installedVersion(app, '@tensorflow/tfjs-backend-cpu')).toBe(NEWEST_TFJS);
    expect(fs.existsSync(path.join(app, 'node_modules', '@tensorflow', 'tfjs'))).toBe(false);
    expect(tfjsCores(app)).toEqual({
      dirs: [path.join(app, 'node_modules', '@tensorflow', 'tfjs-core')],
      code: 0,
    });
  });

  it.each([
    ['ESM', 'lean-run.mjs', 'undefined'],
    ['CommonJS', 'lean-run.cjs', 'object'],
  ])(
    '%s: selectBackend() starts cpu from tfjs-backend-cpu, the model trains; typos get the nearest names',
    (_, script, moduleSystem) => {
      const r = nodeJson<LeanResult>(app, [script, `model-${moduleSystem}`]);
      expect(r.moduleSystem).toBe(moduleSystem);
      expect(r.backend).toEqual({
        name: 'cpu',
        note: 'backend: cpu (@tensorflow/tfjs-node not installed; @tensorflow/tfjs-backend-wasm not installed)',
      });
      expect(r.activeBackend).toBe('cpu');
      // Adam on y = x0 + x1 − x2 + x3 from a Xavier start: the mean squared error falls well
      // below its start (a model that does not train keeps it within a few percent).
      const loss = r.loss as {first: number; last: number};
      expect(loss.last).toBeLessThan(0.25 * loss.first);
      expectLayerTypos(r);
      for (const e of [r.modelFileTypo, r.ruleTypo]) {
        expect(e?.initializerError).toBe(true);
        expect(e?.message).toContain(`unknown initializer 'XavierUniformCustm'. ${MEANT}`);
      }
      expect(r.ruleTypo?.message).toMatch(
        /^applyInitializers: rules\[0\] \(\*\.kernel=XavierUniformCustm\): /,
      );
    },
  );

  it('tfjs-init: the backend line only with --verbose; typos in a model file and a --rule', () => {
    const inspect = cli(app, 'inspect', 'model');
    expect(inspect.code).toBe(0);
    expect(inspect.stderr).toBe('');
    const quiet = cli(app, 'reinit', 'model', '--out', 'fresh-quiet');
    expect(quiet).toMatchObject({code: 0, stderr: ''});
    const verbose = cli(app, '--verbose', 'reinit', 'model', '--out', 'fresh-verbose');
    expect(verbose.code).toBe(0);
    expect(verbose.stderr).toBe(
      'backend: cpu (@tensorflow/tfjs-node not installed; @tensorflow/tfjs-backend-wasm not installed)\n',
    );
    const typo = cli(app, 'reinit', 'typo', '--out', 'never');
    expect(typo.code).toBe(5);
    expect(typo.stderr).toContain(
      "tfjs-init: output.kernelInitializer: initializer 'XavierUniformCustm' is not registered: " +
        `the model will not load. ${MEANT}`,
    );
    const rule = cli(
      app,
      'reinit',
      'model',
      '--out',
      'never',
      '--rule',
      '*.kernel=XavierUniformCustm',
    );
    expect(rule.code).toBe(2);
    expect(rule.stderr).toContain(
      `tfjs-init: --rule '*.kernel=XavierUniformCustm': unknown initializer 'XavierUniformCustm'. ${MEANT}`,
    );
    expect(fs.existsSync(path.join(app, 'never'))).toBe(false);
  });
});

describe(`the same app without any backend package (tfjs-core + tfjs-layers ${NEWEST_TFJS})`, () => {
  let app: string;
  beforeAll(() => {
    app = leanApp('lean-none', ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']);
  });

  it('has no backend package installed', () => {
    const tensorflow = path.join(app, 'node_modules', '@tensorflow');
    expect(fs.readdirSync(tensorflow).sort()).toEqual(['tfjs-core', 'tfjs-layers']);
  });

  it.each([
    ['ESM', 'lean-run.mjs', 'undefined'],
    ['CommonJS', 'lean-run.cjs', 'object'],
  ])(
    '%s: selectBackend() fails naming the package to install; typos still get the nearest names',
    (_, script) => {
      const r = nodeJson<LeanResult>(app, [script, 'model-none']);
      expect(r.backendError?.initializerError).toBe(true);
      expect(r.backendError?.message).toBe(
        'selectBackend: no tfjs backend could be started (@tensorflow/tfjs-node not installed; ' +
          '@tensorflow/tfjs-backend-wasm not installed; @tensorflow/tfjs-backend-cpu not installed); ' +
          `install one at your tfjs version (${NEWEST_TFJS}): \`${INSTALL_CPU}\` (plain JavaScript) or ` +
          `\`npm install @tensorflow/tfjs-backend-wasm@${NEWEST_TFJS}\` (faster), or use @tensorflow/tfjs, ` +
          'which includes cpu',
      );
      expectLayerTypos(r);
    },
  );

  it('tfjs-init: --help and inspect need no backend; doctor and reinit name the package', () => {
    const help = cli(app, '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--verbose');
    const inspect = cli(app, 'inspect', 'model');
    expect(inspect.code).toBe(0);
    expect(inspect.stdout).toContain('model/model.json: Sequential, 3 layers, 6 weights');
    expect(inspect.stderr).toBe(
      'note: no tfjs backend is installed, so Var(W)·fanIn is left out (—) for initializers ' +
        `without a formula; \`${INSTALL_CPU}\` lets inspect measure them\n`,
    );
    const typo = cli(app, 'inspect', 'typo');
    expect(typo.code).toBe(5);
    expect(typo.stdout).toContain(
      `initializer 'XavierUniformCustm' is not registered: the model will not load. ${MEANT}`,
    );
    for (const args of [
      ['doctor', 'model'],
      ['reinit', 'model', '--out', 'never'],
    ]) {
      const r = cli(app, ...args);
      expect(r.code).toBe(6);
      expect(r.stderr).toContain('tfjs-init: no tfjs backend could be started (');
      expect(r.stderr).toContain(`\`${INSTALL_CPU}\``);
    }
    expect(fs.existsSync(path.join(app, 'never'))).toBe(false);
  });
});
