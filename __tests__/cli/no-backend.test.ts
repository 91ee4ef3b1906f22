/**
 * tfjs-init in an app without any tfjs backend package (tfjs-core + tfjs-layers alone): `--help`
 * and `inspect` work, the commands that run a model fail naming the package to install, and the
 * backend line is printed only with --verbose. The backend packages are made unloadable here and
 * the cpu backend this process registered is taken away for the tests; the consumer tier runs the
 * same cases in real apps (__tests__/consumers/lean.test.ts).
 */
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import {EXIT} from '../../src/cli/exit-codes';
import {runCliCaptured} from '../helpers/run-cli';

// jest.mock is hoisted above every statement: each factory throws what Node throws for a package
// that is not installed.
jest.mock(
  '@tensorflow/tfjs-node',
  () => {
    throw new Error("Cannot find module '@tensorflow/tfjs-node'");
  },
  {virtual: true},
);
jest.mock('@tensorflow/tfjs-backend-wasm', () => {
  throw new Error("Cannot find module '@tensorflow/tfjs-backend-wasm'");
});
jest.mock('@tensorflow/tfjs-backend-cpu', () => {
  throw new Error("Cannot find module '@tensorflow/tfjs-backend-cpu'");
});

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', 'cli', name);

const cli = (...args: string[]) => runCliCaptured(args);

describe('tfjs-init without a tfjs backend', () => {
  let cpuFactory: ReturnType<typeof tf.findBackendFactory>;
  beforeAll(() => {
    cpuFactory = tf.findBackendFactory('cpu');
    tf.removeBackend('cpu');
  });
  afterAll(async () => {
    tf.registerBackend('cpu', cpuFactory);
    await tf.setBackend('cpu');
  });

  it('--help needs no backend', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toContain('--verbose');
  });

  it('inspect runs, leaves out what it would measure by drawing, and says what to install', async () => {
    const r = await cli('inspect', fixture('healthy'));
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toMatch(
      /^hidden1 +Dense +relu +kernel +KaimingNormal +\[16, 16\] +16 +— +Dense$/m,
    );
    expect(r.out).toContain('problems: none');
    expect(r.err).toBe(
      'note: no tfjs backend is installed, so Var(W)·fanIn is left out (—) for initializers ' +
        'without a formula; `npm install @tensorflow/tfjs-backend-cpu@' +
        `${tf.version_core}\` lets inspect measure them`,
    );
  });

  it('inspect reads a published model saved with its training config (optimizer), missing shards', async () => {
    const crepe = path.join(__dirname, '..', 'fixtures', 'corpus', 'ml5-crepe');
    const r = await cli('--allow-missing-weights', 'inspect', crepe);
    expect([EXIT.ok, EXIT.problems]).toContain(r.code);
    expect(r.out).toMatch(/^crepe_conv1 +Conv2D +relu +kernel +VarianceScaling /m);
    expect(r.err).toContain('note: ');
    expect(r.err).not.toContain('no tfjs backend could be started');
  });

  it.each([['doctor'], ['reinit']])(
    '%s fails (exit 6) naming the package to install at the tfjs version in use',
    async (command) => {
      const args = command === 'reinit' ? ['--out', path.join(__dirname, 'never-written')] : [];
      const r = await cli(command, fixture('healthy'), ...args);
      expect(r.code).toBe(EXIT.failed);
      expect(r.err).toContain('tfjs-init: no tfjs backend could be started (');
      expect(r.err).toContain(`\`npm install @tensorflow/tfjs-backend-cpu@${tf.version_core}\``);
      expect(r.out).toBe('');
    },
  );

  it('--backend cpu fails naming the package', async () => {
    const r = await cli('--backend', 'cpu', 'inspect', fixture('healthy'));
    expect(r.code).toBe(EXIT.failed);
    expect(r.err).toBe(
      "tfjs-init: backend 'cpu' is not available: @tensorflow/tfjs-backend-cpu not installed; " +
        `install it with \`npm install @tensorflow/tfjs-backend-cpu@${tf.version_core}\``,
    );
  });
});
