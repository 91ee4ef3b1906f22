/**
 * The corpus of real architectures (scripts/model-corpus.ts): `inspectModel` on every network's
 * saved topology, and `analyzeInitialization` on the small ones. Clean networks, initialized as
 * Keras would, get no warning and no finding; every planted fault is found. The large networks'
 * analyses are in corpus.slow.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../../src';
import {analyzeInitialization, inspectModel} from '../../src/tools';
import {CORPUS, corpusBatch, type CorpusEntry} from '../../scripts/model-corpus';

const kinds = (xs: Array<{kind: string}>): string[] => [...new Set(xs.map((x) => x.kind))].sort();
const byName = (name: string): CorpusEntry => CORPUS.find((e) => e.name === name) as CorpusEntry;

/** Networks whose forward and backward pass takes well under a second or two here. */
const FAST = ['mobilenet_v2', 'transformer', 'zero_ffn', 'tiny_tanh', 'xavier_relu_30', 'mobilenet_v2_no_bn', 'huge_gain_relu', 'huge_gain_tanh'];

describe('inspectModel on the corpus (topology only, as saved)', () => {
  it.each(CORPUS.map((e) => e.name))('%s', async (name) => {
    const entry = byName(name);
    const model = entry.build();
    const inspection = await inspectModel({modelTopology: model.toJSON(null, false)});
    expect(kinds(inspection.problems)).toEqual([...entry.inspect].sort());
    // Every weight tfjs creates is listed with its exact shape, and nothing else is.
    const shapes = (xs: number[][]): string[] => xs.map((x) => JSON.stringify(x)).sort();
    expect(shapes(inspection.entries.map((e) => e.shape))).toEqual(shapes(model.weights.map((w) => w.shape as number[])));
    model.dispose();
  });
});

describe('analyzeInitialization on the small networks of the corpus', () => {
  it.each(FAST)('%s', (name) => {
    const entry = byName(name);
    const model = entry.build();
    const batch = corpusBatch(model, 2);
    const before = tf.memory().numTensors;
    const report = analyzeInitialization(model, batch);
    expect(tf.memory().numTensors).toBe(before);
    expect(kinds(report.findings)).toEqual([...entry.doctor].sort());
    tf.dispose(batch);
    model.dispose();
  });
});
