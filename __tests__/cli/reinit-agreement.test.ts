/**
 * `tfjs-init reinit` keeps values, configs and files in agreement (issue 20): for plain, `--rule`
 * and `--lsuv` runs × {`--seed`, none} × {a file with weights, a topology-only file}, the written
 * folder reloaded without weights gives `weights.bin` wherever its config carries a seed (or draws
 * nothing random), and the output names every value the config does not reproduce; with `--seed`,
 * two runs write byte-identical folders.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {deriveSeed} from '../../src';
import {EXIT} from '../../src/cli/exit-codes';
import {runCliCaptured} from '../helpers/run-cli';
import {expectAgreement} from '../helpers/agreement';

const fixtures = path.join(__dirname, '..', 'fixtures', 'cli');

const cli = (...args: string[]) => runCliCaptured(['--backend', 'cpu', ...args]);

/**
 * Inputs: `seed-reuse` has weights and seeded kernels (`XavierUniformCustom` with seed 7, 7 and 99,
 * the example); `topology-only` has no weights file and unseeded `KaimingNormal` kernels.
 */
const INPUTS = ['seed-reuse', 'topology-only'] as const;
const LAYERS = ['hidden1', 'hidden2', 'output'];
const MODES: ReadonlyArray<[string, string[]]> = [
  ['plain', []],
  [
    '--rule',
    ['--rule', 'hidden1.kernel=XavierUniformCustom{"gain":2}', '--rule', '*.bias=RandomNormal'],
  ],
  ['--lsuv', ['--lsuv', '--batch', '8']],
];

let tmp: string;
let dirs = 0;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'reinit-agreement-'));
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

async function reinit(input: string, args: string[]): Promise<{dir: string; out: string}> {
  const dir = path.join(tmp, `out${dirs++}`);
  const r = await cli('reinit', path.join(fixtures, input), '--out', dir, ...args);
  expect({code: r.code, err: r.err}).toEqual({code: EXIT.ok, err: expect.any(String)});
  return {dir, out: r.out};
}

const files = (dir: string): Record<string, Buffer> =>
  Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.readFileSync(path.join(dir, f))]));

describe.each(MODES)('tfjs-init reinit %s', (mode, args) => {
  const lsuv = mode === '--lsuv';
  const declared = new Set(lsuv ? LAYERS.map((l) => `${l}/kernel`) : []);
  /** The weights a run keeps from its input: with --rule, those no rule matches, if it has values. */
  const kept = (input: string): Set<string> =>
    new Set(mode === '--rule' && input === 'seed-reuse' ? ['hidden2/kernel', 'output/kernel'] : []);

  it.each(INPUTS)(
    `with --seed, from %s: the config reproduces every drawn value${lsuv ? '' : ', and two runs write the same bytes'}`,
    async (input) => {
      const first = await reinit(input, ['--seed', '7', ...args]);
      const claims = await expectAgreement(first.dir, declared, kept(input));
      if (lsuv) {
        expect(first.out).toContain(
          'note: LSUV scaled the kernels of 3 layers (hidden1, hidden2, output) to the batch',
        );
      } else {
        const second = await reinit(input, ['--seed', '7', ...args]);
        expect(files(second.dir)).toEqual(files(first.dir));
        expect(first.out).toMatch(/^model\.json reproduces every value drawn/m);
        // Every weight the run drew was drawn under the seed (a file without weights has none to
        // keep: its unmatched weights are drawn too).
        expect([...claims.values()].every((c) => c)).toBe(true);
      }
      expect(first.out).not.toContain('drawn unseeded');
      if (mode === 'plain' && input === 'seed-reuse') {
        // The example: kernels seeded 7, 7 and 99 are redrawn with deriveSeed(7, k), and
        // model.json says so (it said "seed": 7 before).
        const json = JSON.parse(fs.readFileSync(path.join(first.dir, 'model.json'), 'utf8'));
        const seeds = json.modelTopology.config.layers.map(
          (l: {config: {kernel_initializer: {config: {seed: number}}}}) =>
            l.config.kernel_initializer.config.seed,
        );
        expect(seeds).toEqual([0, 2, 4].map((k) => deriveSeed(7, k)));
      }
    },
  );

  it.each(INPUTS)(
    'without --seed, from %s: the output names what the config does not reproduce',
    async (input) => {
      const {dir, out} = await reinit(input, args);
      const claims = await expectAgreement(dir, declared, kept(input));
      const unseeded = [...claims].filter(([name, c]) => !c && !declared.has(name)).map(([n]) => n);
      const count = `${unseeded.length} weight${unseeded.length === 1 ? '' : 's'}`;
      if (unseeded.length > 0)
        expect(out).toMatch(
          new RegExp(
            `^note: ${count} drawn unseeded \\(.*\\) (is|are) not reproducible from model\\.json`,
            'm',
          ),
        );
      else expect(out).not.toContain('drawn unseeded');
      // The topology-only file's KaimingNormal kernels are unseeded: drawn without a seed, they are
      // not reproducible (LSUV's are declared as LSUV's); a --rule's RandomNormal biases neither.
      if (input === 'topology-only' && !lsuv)
        expect(unseeded).toEqual(expect.arrayContaining(['hidden2/kernel']));
      if (mode === '--rule')
        expect(unseeded).toEqual(expect.arrayContaining(['hidden1/bias', 'output/bias']));
    },
  );
});
