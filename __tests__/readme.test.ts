/**
 * README.md cannot drift where it is cheap to check in `npm test`: every code block is of a kind the
 * consumer tier checks (__tests__/consumers/readme.test.ts compiles the TypeScript against the packed
 * package and runs the shell commands in an app), every block it skips says why, every `npm run`
 * names a script of package.json, every `tfjs-init` command and option exists, and every relative
 * link points at a file of the repository.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  BLOCK_LANGUAGES,
  README,
  readReadmeBlocks,
  readmeBlocks,
  shellCommands,
} from './helpers/readme-blocks';

const ROOT = path.dirname(README);
const blocks = readReadmeBlocks();

describe('README.md', () => {
  it('has only blocks the consumer tier checks, and a reason for each it skips', () => {
    expect(blocks.length).toBeGreaterThan(10);
    for (const b of blocks) {
      expect([b.line, b.lang in BLOCK_LANGUAGES]).toEqual([b.line, true]);
      if (b.skip !== null) expect([b.line, b.skip.length >= 15]).toEqual([b.line, true]);
    }
    // Skips are for what cannot run in a fresh app (the registry, a clone, the repository's own
    // scripts), not for TypeScript, which always compiles.
    expect(blocks.filter((b) => b.lang === 'ts' && b.skip !== null)).toEqual([]);
  });

  it('reads markers strictly: a malformed or stray one fails', () => {
    expect(() => readmeBlocks('<!-- readme-check: skip -->\n```sh\nls\n```')).toThrow(
      /write the marker as/,
    );
    expect(() => readmeBlocks('<!-- readme-check: skip (why) -->\n\n```sh\nls\n```')).toThrow(
      /right above a code fence/,
    );
    expect(() => readmeBlocks('```ts\nlet a = 1;\n')).toThrow(/never closed/);
    expect(
      readmeBlocks('<!-- readme-check: skip (the reason) -->\n```sh\na \\\n  b\n# c\n```'),
    ).toEqual([{lang: 'sh', code: 'a \\\n  b\n# c', line: 2, skip: 'the reason'}]);
    expect(shellCommands('a \\\n  b   # note\n\n# only a comment\nc')).toEqual([
      'a    b   # note',
      'c',
    ]);
  });

  it('names only scripts package.json has', () => {
    const scripts = Object.keys(
      (
        JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
          scripts: Record<string, string>;
        }
      ).scripts,
    );
    const named = blocks
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => shellCommands(b.code))
      .flatMap((c) => [...c.matchAll(/\bnpm (?:run (\S+)|(test)\b)/g)].map((m) => m[1] ?? m[2]));
    expect(named.length).toBeGreaterThan(5);
    expect(named.filter((s) => !scripts.includes(s))).toEqual([]);
  });

  it('uses only tfjs-init commands and options that exist', async () => {
    const {runCli} = await import('../src/cli/main');
    const commands = blocks
      .filter((b) => b.lang === 'sh')
      .flatMap((b) => shellCommands(b.code))
      .filter((c) => c.startsWith('npx tfjs-init '));
    expect(commands.length).toBeGreaterThan(3);
    for (const command of commands) {
      const words = command.replace(/#.*$/, '').trim().split(/\s+/).slice(2);
      const help: string[] = [];
      const code = await runCli([words[0], '--help'], {
        out: (t) => help.push(t),
        err: () => undefined,
      });
      expect([command, code]).toEqual([command, 0]);
      for (const option of words.filter((w) => w.startsWith('--')))
        expect([command, option, help.join('\n').includes(option)]).toEqual([
          command,
          option,
          true,
        ]);
    }
  });

  it('links only to files that exist', () => {
    const text = fs.readFileSync(README, 'utf8');
    const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1].split('#')[0])
      .filter((t) => t !== '' && !/^[a-z]+:/.test(t));
    expect(targets.length).toBeGreaterThan(10);
    expect(targets.filter((t) => !fs.existsSync(path.join(ROOT, t)))).toEqual([]);
  });
});
