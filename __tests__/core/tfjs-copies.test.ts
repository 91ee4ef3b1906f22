/**
 * The search for second copies of tfjs (src/core/tfjs-copies.ts) on package trees laid out on
 * disk the way npm lays them out, resolved by Node's own resolver. The same search against trees
 * npm really installs: __tests__/consumers/two-copies.test.ts.
 */
import * as fs from 'fs';
import {createRequire} from 'module';
import * as os from 'os';
import * as path from 'path';
import {findOtherCopies, packageDir, type Resolve} from '../../src/core/tfjs-copies';

let root: string;

/** Writes a package (package.json + index.js) at `dir` and returns `dir`. */
function pkg(dir: string, name: string, version: string): string {
  fs.mkdirSync(dir, {recursive: true});
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({name, version, main: 'index.js'}),
  );
  fs.writeFileSync(path.join(dir, 'index.js'), 'module.exports = {};\n');
  return dir;
}

/** A fresh app folder with our package and one tfjs-core and tfjs-layers at the top. */
function app(name: string): {dir: string; nm: string; resolve: Resolve} {
  const dir = path.join(root, name);
  const nm = path.join(dir, 'node_modules');
  pkg(path.join(nm, 'tfjs-initializers'), 'tfjs-initializers', '0.2.0');
  pkg(path.join(nm, '@tensorflow', 'tfjs-core'), '@tensorflow/tfjs-core', '4.22.0');
  pkg(path.join(nm, '@tensorflow', 'tfjs-layers'), '@tensorflow/tfjs-layers', '4.22.0');
  // Node's resolver, from a file of ours, as the build's `require.resolve` does.
  const ours = createRequire(path.join(nm, 'tfjs-initializers', 'index.js'));
  const resolve: Resolve = (request, from) => {
    try {
      return from === undefined ? ours.resolve(request) : ours.resolve(request, {paths: [from]});
    } catch {
      return null;
    }
  };
  return {dir, nm, resolve};
}

beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-copies-')));
});
afterAll(() => fs.rmSync(root, {recursive: true, force: true}));

describe('packageDir', () => {
  it('cuts a file path after the last node_modules/<name>/, on either separator', () => {
    expect(
      packageDir('/a/node_modules/@tensorflow/tfjs-core/dist/index.js', '@tensorflow/tfjs-core'),
    ).toBe('/a/node_modules/@tensorflow/tfjs-core');
    expect(
      packageDir(
        '/a/node_modules/x/node_modules/@tensorflow/tfjs-core/dist/i.js',
        '@tensorflow/tfjs-core',
      ),
    ).toBe('/a/node_modules/x/node_modules/@tensorflow/tfjs-core');
    expect(
      packageDir('C:\\a\\node_modules\\@tensorflow\\tfjs-core\\i.js', '@tensorflow/tfjs-core'),
    ).toBe('C:\\a\\node_modules\\@tensorflow\\tfjs-core');
    expect(
      packageDir('/a/node_modules/@tensorflow/tfjs-core-extra/i.js', '@tensorflow/tfjs-core'),
    ).toBeNull();
  });
});

describe('findOtherCopies', () => {
  it('finds nothing when every tfjs package shares one tfjs-core and tfjs-layers', () => {
    const {nm, resolve} = app('shared');
    pkg(path.join(nm, '@tensorflow', 'tfjs'), '@tensorflow/tfjs', '4.22.0');
    pkg(
      path.join(nm, '@tensorflow', 'tfjs-backend-wasm'),
      '@tensorflow/tfjs-backend-wasm',
      '4.22.0',
    );
    const loaded = [
      path.join(nm, '@tensorflow', 'tfjs-core', 'index.js'),
      path.join(nm, '@tensorflow', 'tfjs', 'index.js'),
    ];
    expect(findOtherCopies(resolve, loaded)).toEqual([]);
  });

  it('finds the copy a tfjs package next to ours resolves, tfjs-core and tfjs-layers alike', () => {
    const {nm, resolve} = app('nested');
    const tfjs = pkg(path.join(nm, '@tensorflow', 'tfjs'), '@tensorflow/tfjs', '4.20.0');
    const otherCore = pkg(
      path.join(tfjs, 'node_modules', '@tensorflow', 'tfjs-core'),
      '@tensorflow/tfjs-core',
      '4.20.0',
    );
    const otherLayers = pkg(
      path.join(tfjs, 'node_modules', '@tensorflow', 'tfjs-layers'),
      '@tensorflow/tfjs-layers',
      '4.20.0',
    );
    expect(findOtherCopies(resolve, [])).toEqual([
      {
        name: '@tensorflow/tfjs-core',
        ours: path.join(nm, '@tensorflow', 'tfjs-core'),
        other: otherCore,
        usedBy: '@tensorflow/tfjs',
      },
      {
        name: '@tensorflow/tfjs-layers',
        ours: path.join(nm, '@tensorflow', 'tfjs-layers'),
        other: otherLayers,
        usedBy: '@tensorflow/tfjs',
      },
    ]);
  });

  it('finds a copy loaded in the process from anywhere, and a backend bound to another tfjs-core', () => {
    const {nm, resolve} = app('loaded');
    const wasm = pkg(
      path.join(nm, '@tensorflow', 'tfjs-backend-wasm'),
      '@tensorflow/tfjs-backend-wasm',
      '4.20.0',
    );
    const wasmCore = pkg(
      path.join(wasm, 'node_modules', '@tensorflow', 'tfjs-core'),
      '@tensorflow/tfjs-core',
      '4.20.0',
    );
    const elsewhere = path.join(root, 'other-app', 'node_modules', '@tensorflow', 'tfjs-core');
    const copies = findOtherCopies(resolve, [
      path.join(elsewhere, 'dist', 'tf-core.node.js'),
      path.join(nm, '@tensorflow', 'tfjs-core', 'index.js'),
    ]);
    expect(copies.map((c) => [c.other, c.usedBy])).toEqual([
      [elsewhere, 'a module loaded in this process'],
      [wasmCore, '@tensorflow/tfjs-backend-wasm'],
    ]);
  });

  it.each([
    ['a link to our copy counts once (Node resolves real paths)', true],
    ['a real second copy there is found', false],
  ])('pnpm-style layout, tfjs linked from a store whose tfjs-core is %s', (_, linked) => {
    const {nm, resolve} = app(`pnpm-${linked}`);
    const store = path.join(root, `store-${linked}`, 'node_modules', '@tensorflow');
    const tfjs = pkg(path.join(store, 'tfjs'), '@tensorflow/tfjs', '4.22.0');
    if (linked)
      fs.symlinkSync(
        path.join(nm, '@tensorflow', 'tfjs-core'),
        path.join(store, 'tfjs-core'),
        'dir',
      );
    else pkg(path.join(store, 'tfjs-core'), '@tensorflow/tfjs-core', '4.22.0');
    fs.symlinkSync(tfjs, path.join(nm, '@tensorflow', 'tfjs'), 'dir');
    expect(findOtherCopies(resolve, []).map((c) => [c.other, c.usedBy])).toEqual(
      linked ? [] : [[path.join(store, 'tfjs-core'), '@tensorflow/tfjs']],
    );
  });

  it('finds nothing when tfjs-core cannot be resolved at all (nothing to compare with)', () => {
    expect(findOtherCopies(() => null, ['/x/node_modules/@tensorflow/tfjs-core/index.js'])).toEqual(
      [],
    );
  });
});
