/**
 * A second copy of tfjs-core on disk, made by npm itself: importing the package must fail at
 * once, in one sentence that says what to do, when that copy is loaded in the process or is the
 * one a tfjs package next to ours uses — and must not fail while the copy sits unused in another
 * package's folder.
 */
import * as fs from 'fs';
import * as path from 'path';
import {install, makeApp, tarball, tfjsCores} from './apps';
import {npm, run} from './npm';
import {EXISTING_APP_TFJS, NEWEST_TFJS} from './versions';

const FIX =
  'install one version of every @tensorflow/* package your app ' +
  'uses so that npm keeps a single copy (see `npm ls ' +
  '@tensorflow/tfjs-core`; align the versions in package.json, ' +
  'then `npm dedupe`).';

describe('a second copy of tfjs-core', () => {
  let app: string;
  const core = (...dirs: string[]) =>
    path.join(app, 'node_modules', ...dirs, '@tensorflow', 'tfjs-core');
  const node = (code: string, type: 'commonjs' | 'module' = 'commonjs') =>
    run(app, process.execPath, [`--input-type=${type}`, '-e', code], 120000);
  const thrown = (r: {stderr: string}) => /^Error: (tfjs-initializers: .*)$/m.exec(r.stderr)?.[1];

  beforeAll(() => {
    // A library of the app's that pins an older tfjs-core as a plain dependency: npm nests its copy.
    const lib = makeApp('legacy-model-lib', {
      main: 'index.js',
      dependencies: {'@tensorflow/tfjs-core': EXISTING_APP_TFJS},
    });
    fs.writeFileSync(
      path.join(lib, 'index.js'),
      "module.exports = {tfjsCore: require('@tensorflow/tfjs-core').version_core};\n",
    );
    const packed = npm(lib, ['pack', '--json']);
    const libTarball = path.join(
      lib,
      (JSON.parse(packed.slice(packed.indexOf('['))) as Array<{filename: string}>)[0].filename,
    );
    app = makeApp('two-copies');
    install(app, [
      `@tensorflow/tfjs-core@${NEWEST_TFJS}`,
      `@tensorflow/tfjs-layers@${NEWEST_TFJS}`,
      `@tensorflow/tfjs-backend-cpu@${NEWEST_TFJS}`,
      tarball(),
      libTarball,
    ]);
  });

  it("npm nests the library's copy; unused, it does not stop the package", () => {
    expect(tfjsCores(app).dirs.sort()).toEqual(
      [core(), core('legacy-model-lib', 'node_modules')].sort(),
    );
    const r = node(
      "require('@tensorflow/tfjs-backend-cpu'); const " +
        "{XavierUniformCustom} = require('tfjs-initializers'); " +
        'console.log(new XavierUniformCustom({seed: 1}).apply([2, ' +
        "2]).shape.join('x'));",
    );
    expect(r).toMatchObject({code: 0, stdout: '2x2\n'});
  });

  it.each([
    ['require', "require('legacy-model-lib'); require('tfjs-initializers');", 'commonjs'],
    ['import', "await import('legacy-model-lib'); await import('tfjs-initializers');", 'module'],
  ] as const)(
    'loaded in the process first (%s): importing the package throws one sentence',
    (_, code, type) => {
      const r = node(code, type);
      expect(r.code).toBe(1);
      expect(thrown(r)).toBe(
        `tfjs-initializers: two copies of @tensorflow/tfjs-core are ` +
          `installed, ${core()} (used by tfjs-initializers) ` +
          `and ${core('legacy-model-lib', 'node_modules')} (used by a ` +
          `module loaded in this process), and tfjs finds custom ` +
          `initializers only in the copy they were ` +
          `registered in; ${FIX}`,
      );
    },
  );

  it(
    `installed next to ours: ` +
      `@tensorflow/tfjs@${EXISTING_APP_TFJS} added beside ` +
      `tfjs-core ${NEWEST_TFJS} gets its own copy, and the ` +
      `package says so`,
    () => {
      install(app, [`@tensorflow/tfjs@${EXISTING_APP_TFJS}`]);
      expect(tfjsCores(app).dirs).toContain(core('@tensorflow', 'tfjs', 'node_modules'));
      const r = node("require('tfjs-initializers');");
      expect(r.code).toBe(1);
      expect(thrown(r)).toBe(
        `tfjs-initializers: two copies of @tensorflow/tfjs-core are ` +
          `installed, ${core()} (used by tfjs-initializers) ` +
          `and ${core('@tensorflow', 'tfjs', 'node_modules')} (used by ` +
          `@tensorflow/tfjs), and tfjs finds custom initializers only ` +
          `in the copy they were registered in; ${FIX}`,
      );
    },
  );
});
