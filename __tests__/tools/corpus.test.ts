/**
 * The corpus of real architectures (scripts/model-corpus.ts): `inspectModel` on every network's
 * saved topology, and `analyzeInitialization` on the small ones. Clean networks, initialized as
 * Keras would, get no warning and no finding; every planted fault is found. The large networks'
 * analyses are in corpus.slow.test.ts.
 */
import '../../src';
import {inspectModel} from '../../src/tools';
import {CORPUS} from '../../scripts/model-corpus';
import {corpusEntry, expectAnalysis, kinds} from '../helpers/corpus';

/** Networks whose forward and backward pass takes well under a second or two here. */
const FAST = [
  'mobilenet_v2',
  'transformer',
  'zero_ffn',
  'tiny_tanh',
  'xavier_relu_30',
  'mobilenet_v2_no_bn',
  'huge_gain_relu',
  'huge_gain_tanh',
];

describe('inspectModel on the corpus (topology only, as saved)', () => {
  it.each(CORPUS.map((e) => e.name))('%s', async (name) => {
    const entry = corpusEntry(name);
    const model = entry.build();
    const inspection = await inspectModel({modelTopology: model.toJSON(null, false)});
    expect(kinds(inspection.problems)).toEqual([...entry.inspect].sort());
    // Every weight tfjs creates is listed with its exact shape, and nothing else is.
    const shapes = (xs: number[][]): string[] => xs.map((x) => JSON.stringify(x)).sort();
    expect(shapes(inspection.entries.map((e) => e.shape))).toEqual(
      shapes(model.weights.map((w) => w.shape as number[])),
    );
    model.dispose();
  });
});

describe('analyzeInitialization on the small networks of the corpus', () => {
  it.each(FAST)('%s', (name) => expectAnalysis(name, 2));
});
