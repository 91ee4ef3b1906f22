/**
 * The in-place functions against PyTorch's, side by side in one run: `npm run bench:inplace`.
 *
 *     npm run bench:inplace                          # 9 runs per case, table into docs/benchmarks.md
 *     npm run bench:inplace -- --runs 15 --no-write --no-before
 *
 * Ours: `uniform_`, `normal_`, `kaimingNormal_`, `xavierUniform_`, `truncNormal_` on a
 * `[1000, 10000]` tf.Variable, `orthogonal_` on `[1024, 1024]`, and `reinitialize` of Keras's
 * InceptionV3 without top (21.8 M weights in 376 tensors, bench/inception-v3.ts) — each on the cpu
 * and on the wasm backend, the weights made once, before the runs, on that backend; the
 * model is also timed as the bare writes `reinitialize` makes (`writeInitializer` per weight, the
 * initializers from its config), to separate them from its rebuilding of each layer. PyTorch
 * (bench/in-place-torch.py, one thread): `torch.nn.init.*_` on tensors allocated once, and for the
 * model its loop of in-place inits over the same shapes (PyTorch's layout), `kaiming_normal_`
 * (fan-out, ReLU) for the kernels, `zeros_`/`ones_` for BatchNormalization's beta, moving mean and
 * moving variance. Unseeded on both sides (ours draw from the `setSeed` stream).
 *
 * "Before" columns: the same calls on the allocating path, forced by a reshape of each weight held
 * during the call (tfjs then counts two references to its data, and the write assigns a new
 * tensor, as every write did before issue 24). The cases run interleaved run by run — PyTorch, ours
 * on cpu, ours on wasm (and before), the order rotating — after one untimed warm-up of each, with a
 * garbage collection before each of our runs. Reported: medians (fastest–slowest) of wall-clock
 * time, the ratio PyTorch / ours (> 1: we are faster), the medians of the calling thread's CPU time,
 * and the load average before and after. A benchmark, not a test: nothing here asserts a time.
 */
import {join} from 'node:path';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type {LayersModel} from '@tensorflow/tfjs-layers';
import {
  kaimingNormal_,
  normal_,
  orthogonal_,
  truncNormal_,
  uniform_,
  xavierUniform_,
  type Initializer,
} from '../src';
import {reinitialize} from '../src/tools';
import {replayBuild} from '../src/tools/replay-build';
import {leafLayers} from '../src/tools/graph';
import {writeInitializer} from '../src/initializers/write-values';
import {inceptionV3} from './inception-v3';
import {
  PYTHONS,
  TorchSide,
  cpuTimes,
  findPython,
  loadAverage,
  machine,
  median,
  ms,
  spread,
  timed,
  walls,
  writeDocsBlock,
  type Timing,
} from './side-by-side';

tf.env().set('IS_TEST', true);

const BACKENDS = ['cpu', 'wasm'] as const;
type Backend = (typeof BACKENDS)[number];

/** What one backend's runs write: the two variables and the model. */
interface Targets {
  wide: tf.Variable;
  square: tf.Variable;
  model: LayersModel;
  /** The model's weights with the initializers `reinitialize` finds for them. */
  plan: Array<{variable: tf.Variable; init: Initializer; dtype: tf.DataType}>;
}

interface Case {
  /** The case bench/in-place-torch.py runs. */
  torch: string;
  label: string;
  torchCall: string;
  shape: string;
  /** The variables it writes (held shared for the "before" runs). */
  weights: (t: Targets) => tf.Variable[];
  run: (t: Targets) => void;
}

const CASES: Case[] = [
  {
    torch: 'uniform',
    label: '`uniform_(w, -1, 1)`',
    torchCall: '`uniform_(t, -1, 1)`',
    shape: '[1000, 10000]',
    weights: (t) => [t.wide],
    run: (t) => uniform_(t.wide, -1, 1),
  },
  {
    torch: 'normal',
    label: '`normal_(w)`',
    torchCall: '`normal_(t)`',
    shape: '[1000, 10000]',
    weights: (t) => [t.wide],
    run: (t) => normal_(t.wide),
  },
  {
    torch: 'kaimingNormal',
    label: '`kaimingNormal_(w)`',
    torchCall: '`kaiming_normal_(t)`',
    shape: '[1000, 10000]',
    weights: (t) => [t.wide],
    run: (t) => kaimingNormal_(t.wide),
  },
  {
    torch: 'xavierUniform',
    label: '`xavierUniform_(w)`',
    torchCall: '`xavier_uniform_(t)`',
    shape: '[1000, 10000]',
    weights: (t) => [t.wide],
    run: (t) => xavierUniform_(t.wide),
  },
  {
    torch: 'truncNormal',
    label: '`truncNormal_(w)`',
    torchCall: '`trunc_normal_(t)`',
    shape: '[1000, 10000]',
    weights: (t) => [t.wide],
    run: (t) => truncNormal_(t.wide),
  },
  {
    torch: 'orthogonal',
    label: '`orthogonal_(w)`',
    torchCall: '`orthogonal_(t)`',
    shape: '[1024, 1024]',
    weights: (t) => [t.square],
    run: (t) => orthogonal_(t.square),
  },
  {
    torch: 'model',
    label: '`reinitialize(model)`',
    torchCall: 'loop of in-place inits',
    shape: 'InceptionV3, 21.8 M',
    weights: (t) => t.model.weights.map((w) => w.read() as tf.Variable),
    run: (t) => reinitialize(t.model),
  },
  {
    torch: 'model',
    label: "`reinitialize`'s writes alone",
    torchCall: 'loop of in-place inits',
    shape: 'InceptionV3, 21.8 M',
    weights: (t) => t.plan.map((p) => p.variable),
    run: (t) => {
      for (const {variable, init, dtype} of t.plan) writeInitializer(variable, init, dtype);
    },
  },
];

/** The model's weights as bench/in-place-torch.py takes them: kind and PyTorch shape. */
function torchModel(model: LayersModel): Array<[string, number[]]> {
  return model.weights.map((w) => {
    const shape = w.shape as number[];
    if (w.originalName.endsWith('/kernel')) {
      const [kh, kw, cin, cout] = shape;
      return ['kaimingNormal', [cout, cin, kh, kw]];
    }
    return [w.originalName.endsWith('/moving_variance') ? 'ones' : 'zeros', shape];
  });
}

async function targetsOn(backend: Backend): Promise<Targets> {
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
  const variable = (shape: number[]): tf.Variable => tf.tidy(() => tf.variable(tf.zeros(shape)));
  const model = inceptionV3();
  const plan = leafLayers(model).flatMap(({layer}) => {
    if (layer.weights.length === 0) return [];
    const records = replayBuild('bench', layer);
    return layer.weights.map((w, i) => ({
      variable: w.read() as tf.Variable,
      init: records[i].initializer,
      dtype: records[i].dtype,
    }));
  });
  return {wide: variable([1000, 10000]), square: variable([1024, 1024]), model, plan};
}

/** One timed run of ours; `before`: on the allocating path (each weight's data held shared). */
async function ours(c: Case, backend: Backend, t: Targets, before: boolean): Promise<Timing> {
  await tf.setBackend(backend);
  const variables = c.weights(t);
  const held = before ? variables.map((v) => tf.reshape(v, [-1])) : [];
  const ids = variables.map((v) => v.dataId);
  const timing = timed(() => c.run(t));
  tf.dispose(held);
  const moved = variables.filter((v, i) => v.dataId !== ids[i]).length;
  const expected = before ? variables.length : 0;
  if (moved !== expected) {
    throw new Error(
      `${c.label} on ${backend}${before ? ' (before)' : ''}: ${moved} of ` +
        `${variables.length} weights got new memory, expected ${expected}`,
    );
  }
  return timing;
}

type Side = 'torch' | `${Backend}` | `${Backend} before`;

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      runs: {type: 'string', default: '9'},
      'no-write': {type: 'boolean', default: false},
      'no-before': {type: 'boolean', default: false},
    },
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs must be an integer >= 1, got ${values.runs}`);
  const python = findPython();
  if (python === null) {
    console.log(
      `bench:inplace skipped: no python3 with PyTorch (tried ${PYTHONS.join(', ')}; ` +
        `on Debian: apt-get install python3-torch)`,
    );
    return;
  }
  const targets = new Map<Backend, Targets>();
  for (const backend of BACKENDS) targets.set(backend, await targetsOn(backend));
  const torch = new TorchSide(python, join(__dirname, 'in-place-torch.py'));
  const info = JSON.parse(await torch.line()) as {
    torch: string;
    python: string;
    threads: number;
    lapack: string;
  };
  torch.send(JSON.stringify(torchModel((targets.get('cpu') as Targets).model)));
  const model = JSON.parse(await torch.line()) as {tensors: number; weights: number};
  const load = loadAverage();
  console.log(
    `PyTorch ${info.torch} (Python ${info.python}, ${info.threads} thread, ${python}) vs ` +
      `tfjs-initializers on tfjs ${tf.version.tfjs} (cpu and wasm backends), Node ${process.version}; ` +
      `${runs} runs per case; model: ${model.tensors} tensors, ${model.weights} weights; load average ${load}`,
  );
  console.log(`PyTorch's BLAS/LAPACK (its orthogonal_ is LAPACK's QR): ${info.lapack}`);
  const sides: Side[] = [
    'torch',
    ...BACKENDS,
    ...(values['no-before'] ? [] : BACKENDS.map((b) => `${b} before` as const)),
  ];
  const run = async (c: Case, side: Side): Promise<Timing> => {
    if (side === 'torch') return torch.ask(c.torch);
    const [backend, before] = side.split(' ') as [Backend, string | undefined];
    return ours(c, backend, targets.get(backend) as Targets, before !== undefined);
  };
  const times = new Map<Case, Map<Side, Timing[]>>(
    CASES.map((c) => [c, new Map(sides.map((s) => [s, []]))]),
  );
  for (const c of CASES) for (const side of sides) await run(c, side); // warm-up
  for (let r = 0; r < runs; r++) {
    for (const c of CASES) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(k + r) % sides.length];
        (times.get(c)?.get(side) as Timing[]).push(await run(c, side));
      }
    }
  }
  torch.close();
  const loadAfter = loadAverage();
  const med = (c: Case, side: Side): number => median(walls(times.get(c)?.get(side) ?? []));
  const cpuOf = (c: Case, side: Side): number => median(cpuTimes(times.get(c)?.get(side) ?? []));
  const cpuMed = (c: Case, side: Side): string => ms(cpuOf(c, side));
  const rows = CASES.map((c) => {
    const get = (side: Side): Timing[] => times.get(c)?.get(side) ?? [];
    const ratio = (b: Backend): string => `**${(med(c, 'torch') / med(c, b)).toFixed(2)}×**`;
    const cpuRatio = (b: Backend): string => `${(cpuOf(c, 'torch') / cpuOf(c, b)).toFixed(2)}×`;
    const before = values['no-before']
      ? ''
      : ` ${ms(med(c, 'cpu before'))} / ${ms(med(c, 'wasm before'))} |`;
    return (
      `| ${c.label} | ${c.shape} | ${c.torchCall} | ${spread(walls(get('torch')))} ` +
      `| ${spread(walls(get('cpu')))} | ${spread(walls(get('wasm')))} | ${ratio('cpu')} | ` +
      `${ratio('wasm')} | ${cpuMed(c, 'torch')} / ${cpuMed(c, 'cpu')} / ${cpuMed(c, 'wasm')} ` +
      `| ${cpuRatio('cpu')} / ${cpuRatio('wasm')} |` +
      before
    );
  });
  const {cpu, date} = machine();
  const section = [
    `Measured ${date} UTC on ${cpu}, load average ${load} before and ${loadAfter} after; ` +
      `PyTorch ${info.torch} (Python ${info.python}, ${info.threads} thread), LAPACK ${info.lapack}; ` +
      `tfjs ${tf.version.tfjs}, ` +
      `Node ${process.version}; ${runs} interleaved runs per case (\`npm run bench:inplace\`). ` +
      'Wall-clock milliseconds: median (fastest–slowest); "vs PyTorch" is PyTorch\'s median over ours ' +
      "(> 1: we are faster); CPU: medians of the calling thread's CPU time, which other jobs on " +
      'the machine disturb less than wall-clock time, and their ratios' +
      (values['no-before']
        ? '.'
        : '; "before": the same call on the allocating path (a new tensor, assigned), cpu / wasm.'),
    '',
    '| call | shape | PyTorch 1.13 in place | PyTorch ms | ours, cpu ms | ours, wasm ms ' +
      '| cpu vs PyTorch | wasm vs PyTorch | CPU ms PyTorch / cpu / wasm | CPU ratio cpu / wasm |' +
      (values['no-before'] ? '' : ' before, ms cpu / wasm |'),
    `|---|---|---|---:|---:|---:|---:|---:|---:|---:|${values['no-before'] ? '' : '---:|'}`,
    ...rows,
  ].join('\n');
  console.log(`\n${section}`);
  if (!values['no-write']) writeDocsBlock('inplace', section);
  for (const t of targets.values()) {
    tf.dispose([t.wide, t.square]);
    t.model.dispose();
  }
}

void main();
