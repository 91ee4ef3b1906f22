/**
 * The oldest supported tfjs, a CommonJS app without the optional chart packages: install, build,
 * save, load; /tools says which packages charts need; the tfjs-init command runs from the build.
 */
import * as fs from 'fs';
import * as path from 'path';
import {install, installedVersion, makeApp, nodeJson, tarball, tfjsCores} from './apps';
import {REPRODUCIBLE, expectedWeights} from './expected';
import {run} from './npm';
import {OLDEST_TFJS} from './versions';
import {runCli} from '../../src/cli/main';

const NO_CHARTS =
  'drawing charts needs the optional packages vega and ' +
  'vega-lite, which could not be loaded; install them with ' +
  '`npm install vega vega-lite` (in a browser page, map both ' +
  'in its import map)';

describe(`a CommonJS app on @tensorflow/tfjs@${OLDEST_TFJS}`, () => {
  let app: string;

  beforeAll(() => {
    app = makeApp('oldest-cjs', {}, [
      'scenario.cjs',
      'run-cjs.cjs',
      'reproducible.cjs',
      'reproducible-cjs.cjs',
    ]);
    // One command for both, as from a package.json without a lockfile: npm must not place a newer
    // tfjs-core for our peers next to the one @tensorflow/tfjs pins (the peers are optional for that).
    install(app, [`@tensorflow/tfjs@${OLDEST_TFJS}`, tarball()]);
  });

  it('installs with one tfjs-core and tfjs-layers, the oldest, and no chart packages', () => {
    expect(installedVersion(app, '@tensorflow/tfjs-core')).toBe(OLDEST_TFJS);
    expect(installedVersion(app, '@tensorflow/tfjs-layers')).toBe(OLDEST_TFJS);
    expect(tfjsCores(app)).toEqual({
      dirs: [path.join(app, 'node_modules', '@tensorflow', 'tfjs-core')],
      code: 0,
    });
    expect(
      fs.existsSync(path.join(app, 'node_modules', '@tensorflow', 'tfjs', 'node_modules')),
    ).toBe(false);
    expect(fs.existsSync(path.join(app, 'node_modules', 'vega'))).toBe(false);
    expect(fs.existsSync(path.join(app, 'node_modules', 'vega-lite'))).toBe(false);
  });

  it('builds, saves and loads a model with require(); charts name the packages to install', () => {
    const r = nodeJson(app, ['run-cjs.cjs', 'model']);
    expect(r).toMatchObject({
      tfjsCore: OLDEST_TFJS,
      moduleSystem: 'object',
      backend: 'cpu',
      weights: expectedWeights(),
      reloaded: true,
      rebuiltAfterSetSeed: true,
      topologyOnlyIsFresh: true,
      analysedLayers: 3,
      savedInitializers: ['XavierUniformCustom', 'SparseInit', 'KaimingNormal'],
      charts: {initializerError: true, error: `renderHtmlReport: ${NO_CHARTS}`},
    });
    expect(r.backendNote).toBe(
      'backend: cpu (@tensorflow/tfjs-node not installed; @tensorflow/tfjs-backend-wasm not installed)',
    );
  });

  it('a mistyped initializer name in a layer config gets the nearest names with this tfjs too', () => {
    const script =
      "const tf = require('@tensorflow/tfjs'); require('tfjs-initializers');" +
      "try { tf.layers.dense({units: 2, kernelInitializer: 'XavierUniformCustm'}); } " +
      'catch (e) { console.log(JSON.stringify({name: e.name, message: e.message})); }';
    const r = nodeJson<{name: string; message: string}>(app, ['-e', script]);
    expect(r.name).toBe('InitializerError');
    expect(r.message).toContain(
      "tfjs-initializers: unknown initializer 'XavierUniformCustm'. Did you mean " +
        "'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)?",
    );
  });

  it('after setSeed a training run repeats in one process and in two; clearSeed gives tfjs back (issue 19)', () => {
    const [a, b] = [
      nodeJson(app, ['reproducible-cjs.cjs', 'cpu']),
      nodeJson(app, ['reproducible-cjs.cjs', 'cpu']),
    ];
    expect(a).toMatchObject({...REPRODUCIBLE, backend: 'cpu', tfjs: OLDEST_TFJS});
    expect(b.run).toEqual(a.run);
  });

  describe('the tfjs-init command (bin shim → dist/cli.js)', () => {
    const cli = (...args: string[]) =>
      run(app, path.join(app, 'node_modules', '.bin', 'tfjs-init'), args, 120000);

    it('prints the version and inspects the saved model exactly as the source does', async () => {
      expect(cli('--version')).toMatchObject({code: 0, stdout: '0.2.0\n'});
      const inspect = cli('inspect', 'model');
      expect(inspect.stdout).toContain('model/model.json: Sequential, 3 layers, 6 weights');
      expect(inspect.stdout).toMatch(
        /^dense_Dense2 +Dense +linear +kernel +SparseInit +sparsity=0\.1 /m,
      );
      // The repository's CLI, run here on the same files, prints the same report and exit code
      // (SparseInit's small std in the middle Dense layer stays within inspect's thresholds:
      // doctor measures what it does to the gradient, below).
      const out: string[] = [];
      const code = await runCli(['--backend', 'cpu', 'inspect', path.join(app, 'model')], {
        out: (t) => out.push(t),
        err: () => undefined,
      });
      expect(inspect.code).toBe(code);
      expect(inspect.stdout.trim()).toBe(
        out.join('\n').trim().replace(path.join(app, 'model'), 'model'),
      );
    });

    it(
      'doctor without vega: the text report, and a note instead of ' +
        'the HTML report; --out asks for it and fails',
      () => {
        const doctor = cli('doctor', 'model');
        expect(doctor.code).toBe(1);
        expect(doctor.stdout).toMatch(
          /trained weights: back-propagated gradient RMS shrinks \d+× .*: vanishing gradient/,
        );
        expect(doctor.stderr).toContain(`no HTML report: renderHtmlReport: ${NO_CHARTS}`);
        expect(fs.existsSync(path.join(app, 'init-report.html'))).toBe(false);
        const asked = cli('doctor', 'model', '--out', 'report.html');
        expect(asked.code).toBe(6);
        expect(asked.stderr).toContain(
          `could not write the report report.html: renderHtmlReport: ${NO_CHARTS}`,
        );
        expect(fs.existsSync(path.join(app, 'report.html'))).toBe(false);
      },
    );
  });
});
