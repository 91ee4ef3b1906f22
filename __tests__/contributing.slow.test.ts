/**
 * CONTRIBUTING.md's walk-through, performed: on a copy of the tree (the files git tracks or would
 * track, with this checkout's node_modules linked in), the three code blocks of "Adding an
 * initializer" are written where the guide says — a new source file, one line into src/index.ts, a
 * new test — and nothing else changes; then `npm test` (lint, type-check, the whole fast tier on
 * both backends) must pass there. A guard that needs a fourth file for a new initializer, or a
 * guide whose code no longer compiles, fails this test. Slow tier: it runs the fast tier once more.
 */
import {execFileSync, spawnSync} from 'child_process';
import {createHash} from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '..');

interface Block {
  file: string;
  /** Insert the block after this line of an existing file; absent: the block is a new file. */
  after?: string;
  text: string;
}

/** The `ts file=PATH [after=LINE]` blocks of CONTRIBUTING.md, in order. */
function guideBlocks(): Block[] {
  const guide = fs.readFileSync(path.join(ROOT, 'CONTRIBUTING.md'), 'utf8');
  return [...guide.matchAll(/^```ts file=(\S+)(?: after=(.+))?\n([^]*?)^```$/gm)].map(
    ([, file, after, text]) => ({file, text, ...(after === undefined ? {} : {after})}),
  );
}

/** Files git tracks or would track (not ignored), relative to the root. */
function treeFiles(): string[] {
  return execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {cwd: ROOT})
    .toString('utf8')
    .split('\0')
    .filter((f) => f !== '' && fs.existsSync(path.join(ROOT, f)));
}

const digest = (file: string): string =>
  createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Relative path → content digest of each of `files` under `dir`. */
function snapshot(dir: string, files: string[]): Map<string, string> {
  return new Map(files.map((f) => [f, digest(path.join(dir, f))]));
}

function write(dir: string, block: Block): void {
  const target = path.join(dir, block.file);
  if (block.after === undefined) {
    if (fs.existsSync(target)) throw new Error(`${block.file} exists already`);
    fs.mkdirSync(path.dirname(target), {recursive: true});
    fs.writeFileSync(target, block.text);
    return;
  }
  const lines = fs.readFileSync(target, 'utf8').split('\n');
  const at = lines.flatMap((l, i) => (l === block.after ? [i] : []));
  if (at.length !== 1)
    throw new Error(`${block.file}: the line "${block.after}" occurs ${at.length} times`);
  lines.splice(at[0] + 1, 0, block.text.replace(/\n$/, ''));
  fs.writeFileSync(target, lines.join('\n'));
}

describe('CONTRIBUTING.md: adding an initializer', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-initializers-contributing-'));
  afterAll(() => fs.rmSync(dir, {recursive: true, force: true}));

  it('touches exactly three files (source, export line, test), and `npm test` passes there', () => {
    const blocks = guideBlocks();
    expect(blocks.map((b) => b.file)).toEqual([
      'src/initializers/kaiming-trunc-normal.ts',
      'src/index.ts',
      '__tests__/initializers/kaiming-trunc-normal.test.ts',
    ]);
    const files = treeFiles();
    for (const f of files) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), {recursive: true});
      fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
    }
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    const before = snapshot(dir, files);
    for (const block of blocks) write(dir, block);

    const after = snapshot(dir, [...new Set([...files, ...blocks.map((b) => b.file)])]);
    const changed = [...after].filter(([f, d]) => before.get(f) !== d).map(([f]) => f);
    expect(changed.sort()).toEqual(blocks.map((b) => b.file).sort());

    // A fresh jest, not a worker of this one.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !k.startsWith('JEST')),
    );
    const run = spawnSync('npm', ['test', '--', '--verbose'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    if (run.status !== 0)
      throw new Error(`npm test failed in the copy (exit ${run.status}):\n${output.slice(-6000)}`);
    // The new class ran through the guards, not past them: its own test, the catalogue guard, the
    // property tests and its derived error rows.
    expect(output).toContain('__tests__/initializers/kaiming-trunc-normal.test.ts');
    for (const name of [
      'KaimingTruncNormal: class and factory exported',
      'KaimingTruncNormal: right shape and dtype',
      'KaimingTruncNormal: invalid shapes, dtypes',
      'KaimingTruncNormal, kaimingTruncNormal() · nonlinearity as a number',
    ])
      expect(output).toContain(name);
  }, 1_500_000);
});
