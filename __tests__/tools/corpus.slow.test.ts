/**
 * The corpus's large networks through `analyzeInitialization` (seconds each on a CPU): the clean
 * ResNet-, MobileNetV2-, Inception-style networks, the text classifier and the Transformer give no
 * finding; the faults planted in them are found. See corpus.test.ts for the rest.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../../src';
import {analyzeInitialization} from '../../src/tools';
import {CORPUS, corpusBatch, type CorpusEntry} from '../../scripts/model-corpus';

const kinds = (xs: Array<{kind: string}>): string[] => [...new Set(xs.map((x) => x.kind))].sort();
const SLOW = ['resnet', 'mobilenet_v2', 'inception', 'text_classifier', 'zero_conv', 'zero_ffn', 'depthwise_keras_fans', 'mobilenet_v2_no_bn', 'duplicated_units'];

describe('analyzeInitialization on the large networks of the corpus', () => {
  it.each(SLOW)('%s', (name) => {
    const entry = CORPUS.find((e) => e.name === name) as CorpusEntry;
    const model = entry.build();
    const batch = corpusBatch(model, 4);
    const before = tf.memory().numTensors;
    const report = analyzeInitialization(model, batch);
    expect(tf.memory().numTensors).toBe(before);
    if (entry.doctor.length === 0) expect(report.findings).toEqual([]);
    else expect(kinds(report.findings)).toEqual(expect.arrayContaining(entry.doctor));
    tf.dispose(batch);
    model.dispose();
  }, 180000);
});
