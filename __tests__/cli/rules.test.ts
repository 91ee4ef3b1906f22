import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfl from '@tensorflow/tfjs-layers';
import {deriveSeed} from '../../src';
import {CliError, EXIT} from '../../src/cli/exit-codes';
import {runCliCaptured} from '../helpers/run-cli';
import {parseRule} from '../../src/cli/rules';
import {fileIO} from '../../src/node';
import {moments, varianceTolerance} from '../helpers/stats';

const healthy = path.join(__dirname, '..', 'fixtures', 'cli', 'healthy');

const cli = (...args: string[]) => runCliCaptured(['--backend', 'cpu', ...args]);

function usage(rule: string): string {
  try {
    parseRule(rule);
  } catch (e) {
    expect(e).toBeInstanceOf(CliError);
    expect((e as CliError).code).toBe(EXIT.usage);
    return (e as CliError).message;
  }
  throw new Error(`parseRule accepted ${rule}`);
}

describe('--rule syntax: LAYER[.ROLE]=INITIALIZER[{json options}]', () => {
  it('reads a class or name, *, or /regex/flags; an optional role; an identifier; optional JSON options', () => {
    expect(parseRule('Dense.kernel=XavierUniformCustom{"gain":1.6667}')).toEqual({
      layer: 'Dense',
      weight: 'kernel',
      initializer: {className: 'XavierUniformCustom', config: {gain: 1.6667}},
    });
    expect(parseRule('*.bias=ZeroBias')).toEqual({weight: 'bias', initializer: 'ZeroBias'});
    expect(parseRule('conv2d_Conv2D1=heNormal')).toEqual({
      layer: 'conv2d_Conv2D1',
      initializer: 'heNormal',
    });
    expect(parseRule('BatchNormalization.movingVariance=ones')).toEqual({
      layer: 'BatchNormalization',
      weight: 'movingVariance',
      initializer: 'ones',
    });
    const re = parseRule('/^enc\\/.*\\.x=y/i.recurrent=OrthogonalInitializer{"gates":4}');
    expect(re.layer).toEqual(/^enc\/.*\.x=y/i);
    expect(re).toEqual(
      expect.objectContaining({
        weight: 'recurrent',
        initializer: {className: 'OrthogonalInitializer', config: {gates: 4}},
      }),
    );
  });

  it('refuses malformed rules, unknown initializers and bad options with exit 2 and the expected syntax', () => {
    expect(usage('=zeros')).toBe(
      `--rule '=zeros': it must start with a layer class or name, ` +
        `* or /regex/; expected LAYER[.ROLE]=INITIALIZER[{json ` +
        `options}], e.g. 'Dense.kernel=XavierUniformCustom{"gain":1.6667}' ` +
        `or '*.bias=ZeroBias'`,
    );
    expect(usage('Dense.kernel')).toMatch(
      /^--rule 'Dense\.kernel': there is no '=INITIALIZER'; expected LAYER/,
    );
    expect(usage('Dense.kernel=Xavier Uniform')).toMatch(
      /^--rule 'Dense\.kernel=Xavier Uniform': cannot read '\.kernel=Xavier Uniform' after the layer; expected/,
    );
    expect(usage('Dense.kernel_init=zeros')).toMatch(
      /cannot read '\.kernel_init=zeros' after the layer/,
    );
    expect(usage('/dense(/=zeros')).toMatch(
      /^--rule '\/dense\(\/=zeros': the layer pattern is not a valid regular expression \(Invalid regular expression/,
    );
    expect(usage('/dense=zeros')).toMatch(/the layer pattern \/…\/ is not closed/);
    expect(usage('Dense=XavierUniformCustom{gain:2}')).toMatch(/the options are not valid JSON/);
    expect(usage('Dense=XavierUniformCustom{"gian":2}')).toBe(
      '--rule \'Dense=XavierUniformCustom{"gian":2}\': ' +
        'XavierUniformCustom: unknown option `gian`. Allowed ' +
        'options: `gain`, `seed`, `fanIn`, `fanOut`, `inAxis`, ' +
        '`outAxis`, `batchAxis`, `inputAxes`, `outputAxes`',
    );
    expect(usage('Dense=Nope')).toMatch(
      /^--rule 'Dense=Nope': unknown initializer 'Nope'\. No registered initializer name is close to it\. Names are case-sensitive: .* tfjs-initializers is imported and its initializers are registered with tf\.serialization/,
    );
    expect(usage('Dense=XavierUniformCustm')).toContain(
      "--rule 'Dense=XavierUniformCustm': unknown initializer 'XavierUniformCustm'. Did you mean " +
        "'XavierUniformCustom' or 'xavierUniformCustom' (tfjs-initializers)?",
    );
    expect(usage('Dense.kernel=glorot_uniform')).toContain(
      "Did you mean 'GlorotUniform' or 'glorotUniform' (tfjs)?",
    );
    expect(usage('Dense=toString')).toMatch(/unknown initializer 'toString'/);
  });
});

describe('tfjs-init reinit --rule', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-rules-'));
  });
  afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

  it('applies the rules, keeps the other weights, and saves a model that names the new initializers', async () => {
    const out = path.join(tmp, 'ruled');
    const r = await cli(
      'reinit',
      healthy,
      '--out',
      out,
      '--seed',
      '3',
      '--rule',
      'hidden1.kernel=XavierUniformCustom{"gain":1.6667}',
      '--rule',
      '/^hidden/.bias=constant{"value":0.5}',
    );
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain(
      'applied 2 rules to 3 of 6 weights of sequential_1 with seed 3; the others keep their values',
    );
    expect(r.out).toMatch(
      new RegExp(
        `^hidden1/kernel +kernel +0 +KaimingNormal +XavierUniformCustom gain=1\\.6667 +${deriveSeed(3, 0)}$`,
        'm',
      ),
    );
    expect(r.out).toMatch(/^hidden2\/bias +bias +1 +ZeroBias +Constant value=0\.5 +—$/m);
    const [before, after] = await Promise.all([
      tfl.loadLayersModel(fileIO(healthy)),
      tfl.loadLayersModel(fileIO(out)),
    ]);
    const w = after.getWeights().map((t) => t.dataSync() as Float32Array);
    const orig = before.getWeights().map((t) => t.dataSync() as Float32Array);
    expect([w[2], w[4], w[5]]).toEqual([orig[2], orig[4], orig[5]]); // hidden2 kernel, output kernel and bias
    expect([...w[1], ...w[3]].every((v) => v === 0.5)).toBe(true);
    const a = 1.6667 * Math.sqrt(6 / 32);
    const {variance, n} = moments(w[0]);
    expect(Math.max(...w[0].map(Math.abs))).toBeLessThanOrEqual(a);
    expect(Math.abs(variance - (a * a) / 3)).toBeLessThan(varianceTolerance((a * a) / 3, n, 9 / 5));
    const json = JSON.parse(fs.readFileSync(path.join(out, 'model.json'), 'utf8'));
    const layers = json.modelTopology.config.layers.map(
      (l: {config: Record<string, unknown>}) => l.config,
    );
    expect(layers[0].kernel_initializer).toEqual({
      class_name: 'XavierUniformCustom',
      config: {gain: 1.6667, seed: deriveSeed(3, 0)}, // the seed the kernel was drawn with
    });
    expect(layers[1].bias_initializer).toEqual({class_name: 'Constant', config: {value: 0.5}});
    expect(layers[1].kernel_initializer.class_name).toBe('KaimingNormal');
    before.dispose();
    after.dispose();
  });

  it('exits 2 for a rule the model cannot take, before writing anything', async () => {
    const out = path.join(tmp, 'never');
    const r = await cli(
      'reinit',
      healthy,
      '--out',
      out,
      '--rule',
      '*.kernel=XavierUniformCustom',
      '--rule',
      'Dense.kernel=Dirac',
    );
    expect(r.code).toBe(EXIT.usage);
    expect(r.err).toContain(
      'tfjs-init: bad --rule for this model: applyInitializers: ' +
        'rules[1] (Dense.kernel=Dirac) never applies: every weight ' +
        'it matches is taken by an earlier rule (rules[0]); put the ' +
        'more specific rule first',
    );
    const dirac = await cli('reinit', healthy, '--out', out, '--rule', 'Dense.kernel=Dirac');
    expect(dirac.code).toBe(EXIT.usage);
    expect(dirac.err).toMatch(
      /rules\[0\] \(Dense\.kernel=Dirac\) cannot initialize weight 'hidden1\/kernel(_\d+)?' \(role 'kernel', shape \[16, 16\]\) of layer 'hidden1' \(Dense\): Dirac: needs a convolution kernel/,
    );
    const shadowed = await cli('reinit', healthy, '--out', out, '--rule', 'Dense.recurrent=zeros');
    expect(shadowed.code).toBe(EXIT.usage);
    expect(shadowed.err).toContain(
      'rules[0] (Dense.recurrent=zeros): the layers it matches ' +
        "have no weight with role 'recurrent' (their roles: " +
        "'kernel', 'bias')",
    );
    expect(fs.existsSync(out)).toBe(false);
  });
});
