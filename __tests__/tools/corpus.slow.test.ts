/**
 * The rest of the corpus through `analyzeInitialization` (seconds each on a CPU): the clean
 * ResNet- and Inception-style networks and the text classifier give no finding; the faults planted
 * in them are found. See corpus.test.ts for the rest.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../../src';
import {analyzeInitialization} from '../../src/tools';
import {CORPUS, corpusBatch, type CorpusEntry} from '../../scripts/model-corpus';

const kinds = (xs: Array<{kind: string}>): string[] => [...new Set(xs.map((x) => x.kind))].sort();
const SLOW = ['resnet', 'inception', 'text_classifier', 'zero_conv', 'depthwise_keras_fans', 'duplicated_units'];

describe('analyzeInitialization on the large networks of the corpus', () => {
  it.each(SLOW)('%s', (name) => {
    const entry = CORPUS.find((e) => e.name === name) as CorpusEntry;
    const model = entry.build();
    const batch = corpusBatch(model, 4);
    const before = tf.memory().numTensors;
    const report = analyzeInitialization(model, batch);
    expect(tf.memory().numTensors).toBe(before);
    expect(kinds(report.findings)).toEqual([...entry.doctor].sort());
    tf.dispose(batch);
    model.dispose();
  }, 180000);
});
