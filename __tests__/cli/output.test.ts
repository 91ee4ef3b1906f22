/**
 * What tfjs-init prints reads well: counts in the right number, every figure explained in words, the
 * backend line only with --verbose and only where a backend runs, and a mistyped initializer name
 * in a model file answered with the names it may have meant.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {EXIT} from '../../src/cli/exit-codes';
import {runCliCaptured} from '../helpers/run-cli';
import {fileIO} from '../../src/node';
import {analyzeInitialization, renderTextReport} from '../../src/tools';

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', 'cli', name);

const cli = (...args: string[]) => runCliCaptured(args);

describe('tfjs-init output', () => {
  let tmp: string;
  let one: string;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-output-'));
    one = path.join(tmp, 'one-layer');
    const model = tfl.sequential({
      layers: [tfl.layers.dense({units: 2, inputShape: [3], useBias: false})],
    });
    await model.save(fileIO(one));
    model.dispose();
  });
  afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

  it('counts in the right number: 1 layer, 1 weight, 1 rule', async () => {
    const inspect = await cli('--backend', 'cpu', 'inspect', one);
    expect(inspect.out.split('\n')[0]).toBe(
      `${path.join(one, 'model.json')}: Sequential, 1 layer, 1 weight`,
    );
    const reinit = await cli('--backend', 'cpu', 'reinit', one, '--out', path.join(tmp, 'a'));
    expect(reinit.out.split('\n')[0]).toBe('reinitialized 1 weight of sequential_1');
    const ruled = await cli(
      '--backend',
      'cpu',
      'reinit',
      one,
      '--out',
      path.join(tmp, 'b'),
      '--rule',
      '*.kernel=zeros',
    );
    expect(ruled.code).toBe(EXIT.ok);
    expect(ruled.out.split('\n')[0]).toMatch(
      /^applied 1 rule to 1 of 1 weight of sequential_\d+; the others keep their values$/,
    );
  });

  it('inspect explains its columns; doctor its loss and its columns', async () => {
    const inspect = await cli('--backend', 'cpu', 'inspect', fixture('healthy'));
    expect(inspect.out).toContain(
      'columns: fanIn: inputs feeding each output unit (kh·kw for a depthwise kernel); ' +
        'Var(W)·fanIn: variance of the initial weights times fanIn',
    );
    // doctor prints renderTextReport's text (its HTML report: cli.test.ts).
    const model = tfl.sequential({layers: [tfl.layers.dense({units: 2, inputShape: [3]})]});
    const x = tf.ones([8, 3]);
    const text = renderTextReport(analyzeInitialization(model, x));
    x.dispose();
    model.dispose();
    const [first, second] = text.split('\n');
    expect(first).toBe(
      "weights: fresh, drawn by the layers' initializers — the findings describe this initialization",
    );
    expect(second).toMatch(
      /^model sequential_\d+: batch of 8 \(4 groups\), seed 0, loss = -?\d\.\d+(e-\d+)? \(no labels: the outputs times a fixed random N\(0, 1\) direction, summed and divided by the batch size, so that every output unit gets a gradient of the same scale\)$/,
    );
    expect(text).toContain(
      "columns: act mean, act std: mean and standard deviation of the layer's output",
    );
  });

  it('the backend line: only with --verbose, never for --help', async () => {
    const quiet = await cli('--backend', 'cpu', 'reinit', one, '--out', path.join(tmp, 'q'));
    expect(quiet.err).toBe('');
    const verbose = await cli(
      '--verbose',
      '--backend',
      'cpu',
      'reinit',
      one,
      '--out',
      path.join(tmp, 'v'),
    );
    expect(verbose.err).toBe('backend: cpu (forced)');
    const inspect = await cli('--backend', 'cpu', 'inspect', fixture('healthy'));
    expect(inspect.err).toBe('');
    const help = await cli('--verbose', '--help');
    expect(help.err).toBe('');
  });

  it('a mistyped initializer in a model file: exit 5 with the names it may have meant', async () => {
    const meant =
      "output.kernelInitializer: initializer 'XavierUniformCustm' is not registered: the model " +
      "will not load. Did you mean 'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)?";
    const inspect = await cli('--backend', 'cpu', 'inspect', fixture('typo-initializer'));
    expect(inspect.code).toBe(EXIT.unknownClass);
    expect(inspect.out).toContain(`error: ${meant}`);
    for (const command of [
      ['doctor', fixture('typo-initializer')],
      ['reinit', fixture('typo-initializer'), '--out', path.join(tmp, 'never')],
    ]) {
      const r = await cli('--backend', 'cpu', ...command);
      expect(r.code).toBe(EXIT.unknownClass);
      expect(r.err).toContain(`tfjs-init: ${meant}`);
      expect(fs.existsSync(path.join(tmp, 'never'))).toBe(false);
    }
  });
});
