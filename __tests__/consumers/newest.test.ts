/**
 * The newest tfjs with the WASM backend installed too, in an ES-module app that also runs
 * CommonJS: selectBackend finds WASM at run time (it is no peer dependency), ESM and CommonJS each
 * build, save and load, and loaded together in one process they are one package. With the newest
 * vega (6, ES modules only), the HTML report draws its charts, from the CLI too.
 */
import * as fs from 'fs';
import * as path from 'path';
import {install, installedVersion, makeApp, nodeJson, tarball, tfjsCores} from './apps';
import {REPRODUCIBLE, expectedWeights} from './expected';
import {run} from './npm';
import {NEWEST_TFJS} from './versions';

describe(`an app on @tensorflow/tfjs@${NEWEST_TFJS} with @tensorflow/tfjs-backend-wasm`, () => {
  let app: string;

  beforeAll(() => {
    app = makeApp('newest-wasm', {type: 'module'}, [
      'scenario.cjs',
      'run-esm.mjs',
      'run-cjs.cjs',
      'mixed.mjs',
      'mixed-cjs-first.cjs',
      'reproducible.cjs',
      'reproducible-esm.mjs',
      'reproducible-cjs.cjs',
    ]);
    install(app, [
      `@tensorflow/tfjs@${NEWEST_TFJS}`,
      `@tensorflow/tfjs-backend-wasm@${NEWEST_TFJS}`,
      tarball(),
      'vega@6',
      'vega-lite@6',
    ]);
  });

  it('installs with one tfjs-core', () => {
    expect(installedVersion(app, '@tensorflow/tfjs-core')).toBe(NEWEST_TFJS);
    expect(installedVersion(app, 'vega')).toMatch(/^6\./);
    expect(tfjsCores(app)).toEqual({
      dirs: [path.join(app, 'node_modules', '@tensorflow', 'tfjs-core')],
      code: 0,
    });
  });

  it.each([
    ['ESM', 'run-esm.mjs', 'undefined'],
    ['CommonJS', 'run-cjs.cjs', 'object'],
  ])(
    '%s: selectBackend picks wasm; builds, saves and loads; charts drawn with vega 6',
    (_, script, moduleSystem) => {
      const r = nodeJson(app, [script, `model-${moduleSystem}`]);
      expect(r).toMatchObject({
        tfjsCore: NEWEST_TFJS,
        moduleSystem,
        backend: 'wasm',
        backendNote: 'backend: wasm (@tensorflow/tfjs-node not installed)',
        weights: expectedWeights(),
        reloaded: true,
        rebuiltAfterSetSeed: true,
        topologyOnlyIsFresh: true,
        savedInitializers: ['XavierUniformCustom', 'SparseInit', 'KaimingNormal'],
        charts: {svg: 2},
      });
    },
  );

  it('ESM and CommonJS in one process: one seed stream, one registry, instanceof across, the same export names', () => {
    const r = nodeJson<{exportNames: Record<string, [string[], string[]]>}>(app, [
      'mixed.mjs',
      'model-mixed',
    ]);
    expect(r).toMatchObject({
      sameDraws: true,
      seedShared: true,
      sameClass: true,
      instanceofBoth: true,
      errorAcross: true,
      toolsShared: true,
      reloaded: true,
    });
    for (const [esm, cjs] of Object.values(r.exportNames)) {
      expect(esm.length).toBeGreaterThan(0);
      expect(esm).toEqual(cjs);
    }
    expect(r.exportNames.index[0]).toEqual(
      expect.arrayContaining(['XavierUniformCustom', 'SparseInit', 'ZeroBias', 'setSeed']),
    );
    expect(nodeJson(app, ['mixed-cjs-first.cjs'])).toEqual({
      sameDraws: true,
      sameClass: true,
      instanceofBoth: true,
    });
  });

  it(
    'after setSeed a training run repeats (ESM on wasm, in two processes; CommonJS on cpu); ' +
      'clearSeed gives tfjs back (issue 19)',
    () => {
      const [a, b] = [
        nodeJson(app, ['reproducible-esm.mjs', 'wasm']),
        nodeJson(app, ['reproducible-esm.mjs', 'wasm']),
      ];
      expect(a).toMatchObject({...REPRODUCIBLE, backend: 'wasm', tfjs: NEWEST_TFJS});
      expect(b.run).toEqual(a.run);
      const cjs = nodeJson(app, ['reproducible-cjs.cjs', 'cpu']);
      expect(cjs).toMatchObject({...REPRODUCIBLE, backend: 'cpu', moduleSystem: 'object'});
    },
  );

  it('tfjs-init doctor writes the HTML report with vega 6', () => {
    const doctor = run(
      app,
      path.join(app, 'node_modules', '.bin', 'tfjs-init'),
      ['doctor', 'model-object', '--backend', 'cpu'],
      120000,
    );
    expect([0, 1]).toContain(doctor.code);
    expect(doctor.stderr).toContain('report written to init-report.html');
    expect(fs.readFileSync(path.join(app, 'init-report.html'), 'utf8').match(/<svg/g)).toHaveLength(
      2,
    ); // the per-layer std plot and the histogram panels
  });
});
