import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {bundleForBrowser} from './helpers/bundle-app';

const root = path.resolve(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** Runs a script with Node in the package root, where `tfjs-initializers` resolves to itself. */
function node(args: string[]): string {
  return execFileSync(process.execPath, args, {cwd: root, encoding: 'utf8', timeout: 60000});
}

const CHECK = `
  tf.enableProdMode();
  const names = registeredNames();
  const kernel = new XavierUniformCustom({seed: 1}).apply([2, 2]);
  const model = tf.sequential({layers: [tf.layers.dense({units: 3, inputShape: [2], kernelInitializer: 'SparseInit', biasInitializer: 'ZeroBias'})]});
  console.log(JSON.stringify({names, kernel: Array.from(kernel.dataSync()), weights: model.getWeights().length, io: typeof fileIO}));
`;

describe('the built package', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsup', '--silent'], {cwd: root, stdio: 'pipe', timeout: 120000});
  }, 180000);

  it('declares ESM, CommonJS and types behind an exports map, tfjs as peers, and its side effects', () => {
    for (const [entry, file] of [['.', 'index'], ['./node', 'node']]) {
      expect(pkg.exports[entry].import).toEqual({types: `./dist/${file}.d.mts`, default: `./dist/${file}.mjs`});
      expect(pkg.exports[entry].require).toEqual({types: `./dist/${file}.d.ts`, default: `./dist/${file}.js`});
      for (const f of [`${file}.d.mts`, `${file}.mjs`, `${file}.d.ts`, `${file}.js`]) expect(fs.existsSync(path.join(root, 'dist', f))).toBe(true);
    }
    expect(Object.keys(pkg.peerDependencies)).toEqual(expect.arrayContaining(['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-node']));
    expect(pkg.peerDependenciesMeta['@tensorflow/tfjs-node']).toEqual({optional: true});
    expect(pkg.dependencies?.['@tensorflow/tfjs-core']).toBeUndefined();
    expect(pkg.sideEffects).toEqual(expect.arrayContaining(['./dist/**']));
  });

  it('the built CLI (dist/cli.js, what the bin shim runs in an installed package) works', () => {
    expect(pkg.bin).toEqual({'tfjs-init': 'bin/tfjs-init.cjs'});
    expect(node([path.join('dist', 'cli.js'), '--version']).trim()).toBe(pkg.version);
    const out = execFileSync(process.execPath, [path.join('dist', 'cli.js'), '--backend', 'cpu', 'inspect', path.join('__tests__', 'fixtures', 'cli', 'healthy')], {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000});
    expect(out).toContain('problems: none');
  });

  it('CommonJS: require registers every class and the initializers work', () => {
    const out = node([
      '-e',
      `const tf = require('@tensorflow/tfjs');
       const {XavierUniformCustom, registeredNames} = require('tfjs-initializers');
       const {fileIO} = require('tfjs-initializers/node');
       ${CHECK}`,
    ]);
    const result = JSON.parse(out.trim().split('\n').pop() as string);
    expect(result.names).toEqual(expect.arrayContaining(['XavierUniformCustom', 'SparseInit', 'ZeroBias']));
    expect(result.weights).toBe(2);
    expect(result.io).toBe('function');
  });

  it('ESM: import registers every class and gives the same seeded values as CommonJS', () => {
    const esm = node([
      '--input-type=module',
      '-e',
      `import * as tf from '@tensorflow/tfjs';
       import {XavierUniformCustom, registeredNames} from 'tfjs-initializers';
       import {fileIO} from 'tfjs-initializers/node';
       ${CHECK}`,
    ]);
    const cjs = node([
      '-e',
      `const tf = require('@tensorflow/tfjs');
       const {XavierUniformCustom, registeredNames} = require('tfjs-initializers');
       const {fileIO} = require('tfjs-initializers/node');
       ${CHECK}`,
    ]);
    const a = JSON.parse(esm.trim().split('\n').pop() as string);
    const b = JSON.parse(cjs.trim().split('\n').pop() as string);
    expect(a.names).toEqual(expect.arrayContaining(['XavierUniformCustom', 'SparseInit', 'ZeroBias']));
    expect(a.kernel).toEqual(b.kernel);
    expect(a.weights).toBe(2);
  });
});

describe('the browser build', () => {
  const bundle = path.join(root, 'dist', 'browser', 'tfjs-initializers.mjs');

  beforeAll(() => {
    if (!fs.existsSync(bundle)) execFileSync('npx', ['tsup', '--silent'], {cwd: root, stdio: 'pipe', timeout: 120000});
  }, 180000);

  it('is one ES module file that imports tfjs (core and layers) and nothing else', () => {
    const code = fs.readFileSync(bundle, 'utf8');
    const specifiers = new Set([...code.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s*["']([^"']+)["']/gm)].map((m) => m[1]));
    expect([...specifiers].sort()).toEqual(['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']);
    expect(code).not.toMatch(/\brequire\(/);
    // tfjs itself (its engine alone is larger) is never inlined. The bundle (unminified, with the
    // WASM kernels as base64) was 199 KB before the model-file validator (+6 KB); tfjs-core alone
    // is over 1 MB, so 250 KB still catches an inlined tfjs.
    expect(code).not.toMatch(/class Engine\b/);
    expect(fs.statSync(bundle).size).toBeLessThan(250000);
    expect(pkg.exports['.'].browser).toEqual({types: './dist/index.d.mts', default: './dist/browser/tfjs-initializers.mjs'});
    expect(pkg.exports['./node'].browser).toBeNull();
  });

  it('a bundler targeting browsers takes the browser build and keeps a single tfjs', async () => {
    const {inputs, errors} = await bundleForBrowser(
      `import * as tf from '@tensorflow/tfjs';
       import {XavierUniformCustom} from 'tfjs-initializers';
       tf.layers.dense({units: 2, kernelInitializer: new XavierUniformCustom({seed: 1})});`,
    );
    expect(errors).toEqual([]);
    expect(inputs).toContain(path.join('dist', 'browser', 'tfjs-initializers.mjs'));
    expect(inputs.filter((f) => f.startsWith('dist/'))).toEqual([path.join('dist', 'browser', 'tfjs-initializers.mjs')]);
    // One copy of tfjs-core: its engine appears once, and no prebuilt tfjs bundle slips in.
    expect(inputs.filter((f) => /tfjs-core\/dist\/engine\.js$/.test(f))).toHaveLength(1);
    expect(inputs.filter((f) => /\/dist\/tf[-.][\w.-]*\.js$/.test(f))).toEqual([]);
  }, 120000);

  it('the demo page (examples/browser) imports files that exist, tfjs from one bundle', () => {
    const dir = path.join(root, 'examples', 'browser');
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    const map = JSON.parse(/<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]).imports as Record<string, string>;
    for (const target of Object.values(map).filter((t) => !t.startsWith('data:'))) {
      expect(fs.existsSync(path.resolve(dir, target))).toBe(true);
    }
    expect(new Set(['@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'].map((k) => map[k])).size).toBe(1);
    expect(path.resolve(dir, map['tfjs-initializers'])).toBe(bundle);
  });

  it('refuses the Node-only entry in a browser build, at build time', async () => {
    const {errors} = await bundleForBrowser(`import {fileIO} from 'tfjs-initializers/node'; console.log(fileIO);`);
    expect(errors.join('\n')).toMatch(/"\.\/node" cannot be imported from package "tfjs-initializers" because it was explicitly disabled/);
  }, 120000);
});
