/**
 * Every code block of README.md, checked against the packed package in a fresh app (tfjs, the
 * tarball, vega for the HTML report) so that the README cannot drift:
 * - TypeScript blocks are compiled together with the repository's tsc, strict, `skipLibCheck` as
 *   the README tells apps to set it, each as an ES module resolving the package as an app does;
 *   the names a fragment takes from the reader's own code (`model`, `xs`, ...) are declared in
 *   READER_CODE below (add one there when a new block needs it);
 * - shell blocks run command by command in the app, next to a model.json (the CLI fixture
 *   `healthy`), `npx tfjs-init` included; `tfjs-init` may exit 1 ("problems found"), others 0;
 * - HTML blocks: every `/node_modules/` path of the import map is a file of the app.
 * A block marked `<!-- readme-check: skip (reason) -->` is not run (__tests__/helpers/readme-blocks.ts);
 * __tests__/readme.test.ts (npm test) checks the markers, scripts, commands and links.
 */
import * as fs from 'fs';
import * as path from 'path';
import {install, makeApp, repoBin, tarball} from './apps';
import {run, ROOT} from './npm';
import {NEWEST_TFJS} from './versions';
import {readReadmeBlocks, shellCommands, type ReadmeBlock} from '../helpers/readme-blocks';

/** What README fragments take from the reader's code, as ambient declarations. */
const READER_CODE = `// Names the README's fragments take from the reader's own code.
declare const tf: typeof import('@tensorflow/tfjs');
declare const fs: typeof import('fs');
declare const model: import('@tensorflow/tfjs').LayersModel;
declare const xs: import('@tensorflow/tfjs').Tensor;
declare const ys: import('@tensorflow/tfjs').Tensor;
declare const url: string;
declare function build(): import('@tensorflow/tfjs').LayersModel;
`;

const blocks = readReadmeBlocks();
const checked = (lang: string): ReadmeBlock[] =>
  blocks.filter((b) => b.lang === lang && b.skip === null);

describe('README.md, block by block, against the packed package', () => {
  let app: string;

  beforeAll(() => {
    app = makeApp('readme');
    install(app, [`@tensorflow/tfjs@${NEWEST_TFJS}`, tarball(), 'vega@5', 'vega-lite@5']);
    for (const file of ['model.json', 'weights.bin'])
      fs.copyFileSync(
        path.join(ROOT, '__tests__', 'fixtures', 'cli', 'healthy', file),
        path.join(app, file),
      );
  });

  it('compiles every TypeScript block (strict, skipLibCheck, nodenext)', () => {
    const dir = path.join(app, 'ts');
    fs.mkdirSync(dir, {recursive: true});
    const files = checked('ts').map((b) => {
      const file = `readme-line-${b.line}.mts`;
      // `export {}` makes a block without imports a module too, so blocks do not share names.
      fs.writeFileSync(path.join(dir, file), `${b.code}\nexport {};\n`);
      return file;
    });
    expect(files.length).toBeGreaterThanOrEqual(8);
    fs.writeFileSync(path.join(dir, 'reader-code.d.ts'), READER_CODE);
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'es2022',
          lib: ['es2022', 'dom'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          skipLibCheck: true,
          noEmit: true,
          typeRoots: [path.join(ROOT, 'node_modules', '@types')],
          types: ['node'],
        },
        files: ['reader-code.d.ts', ...files],
      }),
    );
    const r = run(dir, process.execPath, [repoBin('typescript', 'bin/tsc'), '-p', 'tsconfig.json']);
    // tsc names each error by file: readme-line-N.mts is the block whose fence is on README line N.
    expect(r.stdout + r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('runs every shell command that is not marked skip', () => {
    const commands = checked('sh').flatMap((b) => shellCommands(b.code).map((c) => ({b, c})));
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const {b, c} of commands) {
      const r = run(app, 'bash', ['-c', c]);
      const allowed = c.startsWith('npx tfjs-init ') ? [0, 1] : [0];
      const outcome = allowed.includes(r.code) ? 'ok' : r.code;
      expect({line: b.line, command: c, outcome, stderr: r.stderr}).toEqual({
        line: b.line,
        command: c,
        outcome: 'ok',
        stderr: r.stderr,
      });
    }
  });

  it("finds every /node_modules/ path of the HTML blocks' import maps in the app", () => {
    const html = checked('html');
    expect(html.length).toBeGreaterThanOrEqual(1);
    for (const b of html) {
      const map = /<script type="importmap">([\s\S]*?)<\/script>/.exec(b.code);
      expect(map).not.toBeNull();
      const paths = Object.values(
        (JSON.parse((map as RegExpExecArray)[1]) as {imports: Record<string, string>}).imports,
      ).filter((p) => p.startsWith('/node_modules/'));
      expect(paths.length).toBeGreaterThan(0);
      for (const p of paths) expect([p, fs.existsSync(path.join(app, p))]).toEqual([p, true]);
    }
  });
});
