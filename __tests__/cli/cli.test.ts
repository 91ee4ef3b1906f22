import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfl from '@tensorflow/tfjs-layers';
import {EXIT} from '../../src/cli/exit-codes';
import {runCliCaptured} from '../helpers/run-cli';
import {fileIO} from '../../src/node';

const root = path.resolve(__dirname, '..', '..');
const fixtures = path.join(root, '__tests__', 'fixtures', 'cli');
const fixture = (name: string): string => path.join(fixtures, name);

const cli = (...args: string[]) => runCliCaptured(['--backend', 'cpu', ...args]);

describe('tfjs-init', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-'));
  });
  afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

  it('a bare Keras topology (model.to_json(), no modelTopology) is read alike by every command', async () => {
    const bare = path.join(tmp, 'bare');
    fs.mkdirSync(bare);
    const healthy = JSON.parse(
      fs.readFileSync(path.join(fixture('healthy'), 'model.json'), 'utf8'),
    );
    fs.writeFileSync(path.join(bare, 'model.json'), JSON.stringify(healthy.modelTopology));
    const inspect = await cli('inspect', bare);
    expect(inspect.code).toBe(EXIT.ok);
    const doctor = await cli('doctor', bare, '--batch', '4', '--out', path.join(tmp, 'bare.html'));
    expect(doctor.code).toBe(EXIT.ok);
    expect(doctor.out.split('\n')[0]).toMatch(
      /^weights: fresh, drawn from each layer's initializer config with seed 0/,
    );
    const reinit = await cli('reinit', bare, '--out', path.join(tmp, 'bare-out'), '--seed', '1');
    expect(reinit.code).toBe(EXIT.ok);
    expect(fs.existsSync(path.join(tmp, 'bare-out', 'weights.bin'))).toBe(true);
  });

  describe('inspect', () => {
    it('lists every initializer of a healthy model with shapes and gains, and exits 0', async () => {
      const r = await cli('inspect', fixture('healthy'));
      expect(r.code).toBe(EXIT.ok);
      expect(r.err).toBe(''); // the backend line only with --verbose
      // Every option of the KaimingNormal is its default: the options column is empty.
      const row =
        /^hidden1 +Dense +relu +kernel +KaimingNormal +\[16, 16\] +16 +(\d\.\d\d) +Dense$/m.exec(
          r.out,
        );
      expect(row).not.toBeNull();
      // Unseeded: Var(W)·fanIn is measured over 50 draws of 256 values; it is 2 within 5 standard
      // errors of a normal sample variance (2·√(2/12800) each), plus the printed rounding.
      expect(Math.abs(Number((row as RegExpExecArray)[1]) - 2)).toBeLessThan(
        5 * 2 * Math.sqrt(2 / 12800) + 0.005,
      );
      expect(r.out).toMatch(/^output +Dense +softmax +bias +Zeros +\[3\] +— +—$/m);
      expect(r.out).toContain('problems: none');
    });

    it('flags constant kernels and reused seeds (exit 1); two Glorot ReLU layers are no signal problem', async () => {
      const zero = await cli('inspect', fixture('zero-kernel'));
      expect(zero.code).toBe(EXIT.problems);
      expect(zero.out).toContain(
        'warning: hidden1: kernel starts constant (Zeros): every ' +
          'unit computes the same thing and symmetry never breaks',
      );
      const reuse = await cli('inspect', fixture('seed-reuse'));
      expect(reuse.code).toBe(EXIT.problems);
      expect(reuse.out).toContain(
        'XavierUniformCustom with seed 7 is reused by ' +
          'hidden1.kernel, hidden2.kernel on same-shaped kernels [16, ' +
          '16]: they start with identical weights',
      );
      // Var(W)·fanIn = 1 before ReLU halves E[x²] per layer: 4× over two layers, 2× in std — below
      // the 4× std threshold.
      // Seeded: the one kernel tfjs will draw is measured; a uniform sample variance of 256 values
      // is within 5·√(0.8/256) of 1.
      const gain =
        /^hidden1 +Dense +relu +kernel +XavierUniformCustom +seed=7 +\[16, 16\] +16 +(\d\.\d+) +Dense$/m.exec(
          reuse.out,
        );
      expect(Math.abs(Number((gain as RegExpExecArray)[1]) - 1)).toBeLessThan(
        5 * Math.sqrt(0.8 / 256),
      );
      expect(reuse.out).not.toMatch(/Signal/);
    });

    it('--json prints the inspection as JSON', async () => {
      const r = await cli('inspect', '--json', fixture('seed-reuse'));
      const parsed = JSON.parse(r.out);
      expect(parsed.entries).toHaveLength(6);
      expect(parsed.problems.map((p: {kind: string}) => p.kind)).toEqual(['seedReuse']);
    });

    it('exit 5 for unregistered classes, 4 for malformed JSON or a non-model, 3 for a missing file', async () => {
      const unknown = await cli('inspect', fixture('unknown-class'));
      expect(unknown.code).toBe(EXIT.unknownClass);
      expect(unknown.out).toContain(
        "error: hidden1.kernelInitializer: initializer 'NoSuchInit' is not registered",
      );
      expect(unknown.out).toContain(
        "error: layer 'hidden2' has class 'NoSuchLayer', which is not registered",
      );
      const malformed = await cli('inspect', fixture('malformed.json'));
      expect(malformed.code).toBe(EXIT.malformed);
      expect(malformed.err).toMatch(/model file .*malformed\.json: is not valid JSON/);
      const notModel = await cli('inspect', fixture('not-a-model.json'));
      expect(notModel.code).toBe(EXIT.malformed);
      expect(notModel.err).toContain('is not a tfjs LayersModel model.json');
      const missing = await cli('inspect', path.join(tmp, 'nothing.json'));
      expect(missing.code).toBe(EXIT.missingFile);
      expect(missing.err).toContain('model file not found');
    });
  });

  describe('doctor', () => {
    it('a healthy model: table, no findings, a self-contained HTML report, exit 0', async () => {
      const out = path.join(tmp, 'healthy.html');
      const r = await cli('doctor', fixture('healthy'), '--batch', '16', '--out', out);
      expect(r.code).toBe(EXIT.ok);
      expect(r.out).toContain('batch of 16');
      expect(r.out).toContain('findings: no problems found');
      const html = fs.readFileSync(out, 'utf8');
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      expect(html).toContain(
        '3 layers; batch of 16 in 4 groups (a finding must hold in each), run as in a training step',
      );
      expect(html).toContain('; loss = '); // the loss without labels is explained, not named
      expect(html).not.toContain('random projection');
      expect((html.match(/<svg[\s>]/g) ?? []).length).toBe(2);
      expect(html).not.toMatch(/<script|<link|<img/);
    });

    it('the zero-kernel model: symmetry findings, exit 1; a topology-only file runs its initializers', async () => {
      const r = await cli('doctor', fixture('zero-kernel'), '--out', path.join(tmp, 'zero.html'));
      expect(r.code).toBe(EXIT.problems);
      expect(r.out).toContain('all 16 units of hidden1 are identical: symmetry never breaks');
      const topo = await cli(
        'doctor',
        fixture('topology-only'),
        '--out',
        path.join(tmp, 'topo.html'),
      );
      expect(topo.code).toBe(EXIT.ok);
      expect(topo.err).toContain("has no weights file; every layer's initializers run");
    });

    it('uses --input when given, and rejects one of the wrong shape (exit 6)', async () => {
      const good = path.join(tmp, 'input.json');
      fs.writeFileSync(
        good,
        JSON.stringify(
          Array.from({length: 5}, (_, i) => Array.from({length: 16}, (_, j) => Math.sin(i + j))),
        ),
      );
      const r = await cli(
        'doctor',
        fixture('healthy'),
        '--input',
        good,
        '--out',
        path.join(tmp, 'in.html'),
      );
      expect(r.code).toBe(EXIT.ok);
      expect(r.out).toContain('batch of 5');
      const bad = path.join(tmp, 'bad.json');
      fs.writeFileSync(bad, JSON.stringify([[1, 2, 3]]));
      const b = await cli(
        'doctor',
        fixture('healthy'),
        '--input',
        bad,
        '--out',
        path.join(tmp, 'bad.html'),
      );
      expect(b.code).toBe(EXIT.failed);
      expect(b.err).toContain('does not fit model input [N, 16]');
    });

    it(
      'an --input that is a FIFO or a device is refused at once ' +
        '(it would hang or never end); a report that cannot be ' +
        'written leaves nothing',
      async () => {
        const fifo = path.join(tmp, 'input.fifo');
        execFileSync('mkfifo', [fifo]);
        const r = await cli(
          'doctor',
          fixture('healthy'),
          '--input',
          fifo,
          '--out',
          path.join(tmp, 'fifo.html'),
        );
        expect(r.code).toBe(EXIT.missingFile);
        expect(r.err).toContain(
          `tfjs-init: input file ${fifo}: is a FIFO (named pipe), not a regular file`,
        );
        const zero = await cli(
          'doctor',
          fixture('healthy'),
          '--input',
          '/dev/zero',
          '--out',
          path.join(tmp, 'zero.html'),
        );
        expect(zero.err).toContain(
          'tfjs-init: input file /dev/zero: is a character device, not a regular file',
        );
        expect(fs.existsSync(path.join(tmp, 'fifo.html'))).toBe(false);
        fs.mkdirSync(path.join(tmp, 'report-dir'));
        const taken = await cli(
          'doctor',
          fixture('healthy'),
          '--out',
          path.join(tmp, 'report-dir'),
        );
        expect(taken.code).toBe(EXIT.failed);
        expect(fs.readdirSync(path.join(tmp, 'report-dir'))).toEqual([]);
        expect(fs.readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
      },
      10000,
    );
    it(
      'shrinks a batch that would need more memory than allowed, ' +
        'saying so; --training and --inference exclude each other',
      async () => {
        const r = await cli(
          'doctor',
          fixture('healthy'),
          '--batch',
          '4000',
          '--max-memory',
          '1',
          '--out',
          path.join(tmp, 'shrunk.html'),
        );
        expect(r.code).toBe(EXIT.ok);
        const note =
          /note: a batch of 4000 needs about (\d+) MiB on cpu \(.* per example\), more than the 1 MiB allowed: using a batch of (\d+)/.exec(
            r.err,
          );
        expect(note).not.toBeNull();
        const used = Number((note as RegExpExecArray)[2]);
        expect(used).toBeGreaterThan(0);
        expect(used).toBeLessThan(4000);
        expect(r.out).toContain(`batch of ${used}`);
        const both = await cli('doctor', fixture('healthy'), '--training', '--inference');
        expect(both.code).toBe(EXIT.usage);
        expect(both.err).toContain('--training and --inference exclude each other');
      },
    );

    it('exit codes: 5 unknown class, 4 malformed, 3 missing, 2 bad option', async () => {
      expect((await cli('doctor', fixture('unknown-class'))).code).toBe(EXIT.unknownClass);
      expect((await cli('doctor', fixture('malformed.json'))).code).toBe(EXIT.malformed);
      expect((await cli('doctor', path.join(tmp, 'none'))).code).toBe(EXIT.missingFile);
      const bad = await cli('doctor', fixture('healthy'), '--batch', '0');
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.err).toContain('--batch must be an integer >= 1. Received: 0');
    });
  });

  describe('reinit', () => {
    async function weightsOf(dir: string): Promise<Float32Array[]> {
      const model = await tfl.loadLayersModel(fileIO(dir));
      const w = model.getWeights().map((t) => (t.dataSync() as Float32Array).slice());
      model.dispose();
      return w;
    }

    it(
      'writes a re-initialized, reloadable model; the same seed ' +
        'gives the same weights, another seed others',
      async () => {
        const a = path.join(tmp, 'a');
        const b = path.join(tmp, 'b');
        const c = path.join(tmp, 'c');
        const r = await cli('reinit', fixture('healthy'), '--out', a, '--seed', '3');
        expect(r.code).toBe(EXIT.ok);
        expect(r.out).toContain('reinitialized 6 weights');
        await cli('reinit', fixture('healthy'), '--out', b, '--seed', '3');
        await cli('reinit', fixture('healthy'), '--out', c, '--seed', '4');
        const [wa, wb, wc, orig] = await Promise.all([
          weightsOf(a),
          weightsOf(b),
          weightsOf(c),
          weightsOf(fixture('healthy')),
        ]);
        expect(wa).toEqual(wb);
        expect(wa[0]).not.toEqual(wc[0]);
        expect(wa[0]).not.toEqual(orig[0]);
        expect(wa[0].length).toBe(orig[0].length);
      },
    );

    it('--lsuv prints the per-layer LSUV report', async () => {
      const r = await cli(
        'reinit',
        fixture('healthy'),
        '--out',
        path.join(tmp, 'lsuv'),
        '--seed',
        '1',
        '--lsuv',
        '--batch',
        '32',
      );
      expect(r.code).toBe(EXIT.ok);
      expect(r.out).toMatch(/^hidden1 +Dense +\d+ +[\d.]+ +(0\.9|1\.0)\d* +yes$/m);
      expect(r.out).toMatch(/^output +Dense /m);
    });

    it('needs --out (exit 2) and refuses unknown classes (exit 5)', async () => {
      expect((await cli('reinit', fixture('healthy'))).code).toBe(EXIT.usage);
      expect(
        (await cli('reinit', fixture('unknown-class'), '--out', path.join(tmp, 'u'))).code,
      ).toBe(EXIT.unknownClass);
    });

    it('refuses --out onto the folder it reads from (by any spelling or link), and writes nothing', async () => {
      const source = path.join(tmp, 'source');
      fs.cpSync(fixture('healthy'), source, {recursive: true});
      fs.symlinkSync(source, path.join(tmp, 'source-link'));
      const original = fs.readFileSync(path.join(source, 'weights.bin'));
      for (const out of [
        source,
        `${source}/`,
        path.join(source, 'model.json'),
        path.join(tmp, 'source-link'),
        path.join(tmp, 'x', '..', 'source'),
      ]) {
        const r = await cli('reinit', path.join(source, 'model.json'), '--out', out, '--seed', '1');
        expect(r.code).toBe(EXIT.usage);
        expect(r.err).toContain(
          `tfjs-init: --out ${out} is the folder the model is read ` +
            `from (${fs.realpathSync(source)}); write the new model to ` +
            `another folder`,
        );
      }
      expect(fs.readFileSync(path.join(source, 'weights.bin'))).toEqual(original);
      expect(fs.readdirSync(source).sort()).toEqual(['model.json', 'weights.bin']);
    });

    it('a save that fails (exit 6) leaves no partial output', async () => {
      fs.writeFileSync(path.join(tmp, 'plain-file'), 'x');
      const r = await cli(
        'reinit',
        fixture('healthy'),
        '--out',
        path.join(tmp, 'plain-file', 'out'),
        '--seed',
        '1',
      );
      expect(r.code).toBe(EXIT.failed);
      expect(r.err).toContain(`could not save to ${path.join(tmp, 'plain-file', 'out')}`);
      expect(fs.readFileSync(path.join(tmp, 'plain-file'), 'utf8')).toBe('x');
      expect(fs.readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
    });
  });

  it('usage errors exit 2; --help exits 0 and documents the exit codes', async () => {
    expect((await cli('frobnicate')).code).toBe(EXIT.usage);
    const help = await cli('--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toContain('Exit codes: 0 ok, 1 problems found');
  });

  it('the bin shim runs from the checkout, as `npx tfjs-init` does', () => {
    let status = 0;
    let stdout: string;
    try {
      stdout = execFileSync(
        process.execPath,
        [
          path.join(root, 'bin', 'tfjs-init.cjs'),
          '--backend',
          'cpu',
          'inspect',
          fixture('seed-reuse'),
        ],
        {cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60000},
      );
    } catch (e) {
      const err = e as {status: number; stdout: string};
      status = err.status;
      stdout = err.stdout;
    }
    expect(status).toBe(EXIT.problems);
    expect(stdout).toContain('XavierUniformCustom with seed 7 is reused');
    expect(fs.statSync(path.join(root, 'bin', 'tfjs-init.cjs')).mode & 0o111).not.toBe(0);
  });
});
