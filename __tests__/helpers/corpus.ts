/** Runs one corpus network through `analyzeInitialization` and checks its findings and that nothing leaks. */
import * as tf from '@tensorflow/tfjs-core';
import {analyzeInitialization} from '../../src/tools';
import {CORPUS, corpusBatch, type CorpusEntry} from '../../scripts/model-corpus';

export const kinds = (xs: Array<{kind: string}>): string[] =>
  [...new Set(xs.map((x) => x.kind))].sort();

export function corpusEntry(name: string): CorpusEntry {
  const entry = CORPUS.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no corpus network '${name}'`);
  return entry;
}

/** The network's findings are exactly the kinds its entry lists; `tf.memory()` is as before. */
export function expectAnalysis(name: string, batchSize: number): void {
  const entry = corpusEntry(name);
  const model = entry.build();
  const batch = corpusBatch(model, batchSize);
  const before = tf.memory().numTensors;
  const report = analyzeInitialization(model, batch);
  expect(tf.memory().numTensors).toBe(before);
  expect(kinds(report.findings)).toEqual([...entry.doctor].sort());
  tf.dispose(batch);
  model.dispose();
}
