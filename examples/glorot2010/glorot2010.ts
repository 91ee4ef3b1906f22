/**
 * Glorot & Bengio (2010), "Understanding the difficulty of training deep feedforward neural
 * networks", Figs. 6–7, on 1,000 real MNIST digits (`npm run example:glorot2010`).
 *
 * Five tanh layers of 1000 units and a softmax output, biases 0, initialized two ways:
 *   - "standard":   W ~ U[−1/√n, 1/√n], n = fan-in (the paper's eq. 1), Var(W) = 1/(3n);
 *   - "normalized": XavierUniformCustom, W ~ U[−√6/√(n_in + n_out), √6/√(n_in + n_out)] (eq. 16).
 * For each, one forward and one backward pass (cross-entropy on the true labels) with
 * analyzeInitialization: per-layer activation and back-propagated gradient statistics and
 * normalized histograms, written to docs/examples/glorot2010-*.svg.
 *
 * Flags: --batch N (default 1000), --backend tensorflow|wasm|cpu.
 */
import * as tf from '@tensorflow/tfjs';
import {XavierUniformCustom, ZeroBias, type Initializer} from '../../src';
import {histogramChart, layerChart, type LayerValue} from '../shared/charts';
import {analyzeInitialization, type InitializationReport} from '../../src/tools';
import {loadDigits} from '../shared/mnist-data';
import {fmt, printTable, start, writeSvg} from '../shared/setup';

const WIDTH = 1000;
const DEPTH = 5;

function build(kernel: (fanIn: number, layer: number) => Initializer): tf.Sequential {
  const model = tf.sequential({name: 'glorot2010'});
  for (let i = 0; i < DEPTH; i++) {
    const fanIn = i === 0 ? 784 : WIDTH;
    model.add(
      tf.layers.dense({
        units: WIDTH,
        activation: 'tanh',
        kernelInitializer: kernel(fanIn, i),
        biasInitializer: new ZeroBias(),
        name: `layer${i + 1}`,
        ...(i === 0 ? {inputShape: [784]} : {}),
      }),
    );
  }
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: kernel(WIDTH, DEPTH),
      biasInitializer: new ZeroBias(),
      name: 'softmax',
    }),
  );
  return model;
}

const SCHEMES = [
  {
    name: 'standard U[−1/√n, 1/√n]',
    make: (n: number, i: number) =>
      tf.initializers.randomUniform({
        minval: -1 / Math.sqrt(n),
        maxval: 1 / Math.sqrt(n),
        seed: 2010 + i,
      }),
  },
  {
    name: 'normalized (XavierUniformCustom)',
    make: (_n: number, i: number) => new XavierUniformCustom({seed: 2010 + i}),
  },
];

async function main(): Promise<void> {
  const flags = await start({batch: '1000'});
  const batchSize = Number(flags.batch);
  const {train} = loadDigits();
  const x = tf.tensor2d(train.x.subarray(0, batchSize * 784), [batchSize, 784]);
  const y = tf.oneHot(tf.tensor1d(train.labels.subarray(0, batchSize), 'int32'), 10);
  console.log(
    `data: the first ${batchSize} training digits of the npm ` +
      `package 'mnist'; 5 tanh layers of ${WIDTH} units + softmax\n`,
  );

  const reports: Array<{name: string; report: InitializationReport}> = [];
  for (const scheme of SCHEMES) {
    const model = build(scheme.make);
    const report = analyzeInitialization(model, x, {labels: y, bins: 60});
    reports.push({name: scheme.name, report});
    model.dispose();
  }

  for (const {name, report} of reports) {
    console.log(`${name}: loss ${report.loss.name} = ${report.loss.value.toFixed(4)}`);
    printTable(
      [
        'layer',
        'activation mean',
        'activation std',
        'saturated (|a| > 0.99)',
        'back-prop gradient std',
        'weight gradient std',
      ],
      report.layers
        .filter((l) => l.activation === 'tanh')
        .map((l) => [
          l.name,
          fmt(l.activationMean),
          fmt(l.activationStd),
          `${(100 * (l.saturated ?? 0)).toFixed(2)}%`,
          fmt(l.gradientStd),
          fmt(l.weightGradientStd),
        ]),
    );
    console.log(
      report.findings.length === 0
        ? 'findings: none\n'
        : `findings:\n${report.findings.map((f) => `  - ${f.message}`).join('\n')}\n`,
    );
  }

  const ratio = (
    r: InitializationReport,
    pick: (l: InitializationReport['layers'][number]) => number | null,
  ): string => {
    const hidden = r.layers.filter((l) => l.activation === 'tanh');
    return ((pick(hidden[0]) as number) / (pick(hidden[hidden.length - 1]) as number)).toFixed(2);
  };
  console.log('std(layer 1) / std(layer 5):');
  printTable(
    ['init', 'activations', 'back-propagated gradients'],
    reports.map(({name, report}) => [
      name,
      ratio(report, (l) => l.activationStd),
      ratio(report, (l) => l.gradientStd),
    ]),
  );
  console.log(
    '(1.00 = level across depth; the paper: standard init shrinks activations going up and gradients going down)\n',
  );

  const hidden = (r: InitializationReport) => r.layers.filter((l) => l.activation === 'tanh');
  await writeSvg(
    'glorot2010-activations',
    histogramChart([], {
      title: 'Activation values, tanh layers 1–5 (Glorot & Bengio 2010, Fig. 6)',
      xTitle: 'activation value',
      height: 180,
      groups: reports.map(({name, report}) => ({
        label: name,
        series: hidden(report).map((l) => ({name: l.name, histogram: l.activationHistogram})),
      })),
    }),
  );
  await writeSvg(
    'glorot2010-gradients',
    histogramChart([], {
      title: 'Back-propagated gradients ∂loss/∂activation (Glorot & Bengio 2010, Fig. 7)',
      xTitle: 'gradient',
      height: 180,
      groups: reports.map(({name, report}) => ({
        label: name,
        series: hidden(report).flatMap((l) =>
          l.gradientHistogram === null ? [] : [{name: l.name, histogram: l.gradientHistogram}],
        ),
      })),
    }),
  );
  const points: LayerValue[] = reports.flatMap(({name, report}) =>
    hidden(report).flatMap((l, i) => [
      {index: i + 1, layer: l.name, series: `${name}: activation std`, value: l.activationStd},
      {
        index: i + 1,
        layer: l.name,
        series: `${name}: gradient std ×1000`,
        value: (l.gradientStd ?? 0) * 1000,
      },
    ]),
  );
  await writeSvg(
    'glorot2010-std',
    layerChart(points, {title: 'Std per layer', yTitle: 'std (log scale)'}),
  );
  tf.dispose([x, y]);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
