/**
 * An existing ES-module app already on an older tfjs: `npm install <tarball>` must resolve with
 * that tfjs (before 0.2.0 it failed with ERESOLVE: the optional peers tfjs-node and
 * tfjs-backend-wasm pinned another tfjs-core), keep one tfjs-core, and work; with vega 5 added,
 * the HTML report draws its charts.
 */
import * as path from 'path';
import {install, installedVersion, makeApp, nodeJson, tarball, tfjsCores} from './apps';
import {expectedWeights} from './expected';
import {EXISTING_APP_TFJS} from './versions';

describe(`an ES-module app already on @tensorflow/tfjs@${EXISTING_APP_TFJS}`, () => {
  let app: string;

  beforeAll(() => {
    app = makeApp('existing-esm', {type: 'module'}, ['scenario.cjs', 'run-esm.mjs']);
    install(app, [`@tensorflow/tfjs@${EXISTING_APP_TFJS}`]);
  });

  it('then `npm install <tarball>` keeps its tfjs and one tfjs-core', () => {
    install(app, [tarball()]);
    expect(installedVersion(app, '@tensorflow/tfjs-core')).toBe(EXISTING_APP_TFJS);
    expect(installedVersion(app, 'tfjs-initializers')).toBe('0.2.0');
    expect(tfjsCores(app)).toEqual({
      dirs: [path.join(app, 'node_modules', '@tensorflow', 'tfjs-core')],
      code: 0,
    });
  });

  it('builds, saves and loads a model with import; with vega 5 the report draws its two charts', () => {
    install(app, ['vega@5.33.1', 'vega-lite@5.23.0']);
    const r = nodeJson(app, ['run-esm.mjs', 'model']);
    expect(r).toMatchObject({
      tfjsCore: EXISTING_APP_TFJS,
      moduleSystem: 'undefined',
      backend: 'cpu',
      weights: expectedWeights(),
      reloaded: true,
      rebuiltAfterSetSeed: true,
      topologyOnlyIsFresh: true,
      savedInitializers: ['XavierUniformCustom', 'SparseInit', 'KaimingNormal'],
      charts: {svg: 2},
    });
    expect(tfjsCores(app).dirs).toHaveLength(1);
  });
});
