/**
 * Renders the architecture × finding table of docs/model-tools.md: every network of the corpus
 * (scripts/model-corpus.ts) inspected from its saved topology and diagnosed on a batch, as
 * `tfjs-init inspect` and `doctor` would. `npx tsx scripts/model-corpus-table.ts [--batch 8]`.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '../src/index';
import {analyzeInitialization} from '../src/tools/analyze';
import {inspectModel} from '../src/tools/inspect';
import {CORPUS, corpusBatch} from './model-corpus';

async function main(): Promise<void> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const batchArg = process.argv.indexOf('--batch');
  const size = batchArg > 0 ? Number(process.argv[batchArg + 1]) : 8;
  const rows: string[] = [];
  for (const entry of CORPUS) {
    const model = entry.build();
    const t0 = Date.now();
    const inspection = await inspectModel({modelTopology: model.toJSON(null, false)});
    const t1 = Date.now();
    const batch = corpusBatch(model, size);
    const report = analyzeInitialization(model, batch);
    const t2 = Date.now();
    tf.dispose(batch);
    const kinds = (xs: Array<{kind: string}>): string =>
      [...new Set(xs.map((x) => x.kind))].join(', ') || '—';
    const convs = model.layers.filter((l) =>
      /Conv|Dense|LSTM|GRU|Bidirectional/.test(l.getClassName()),
    ).length;
    rows.push(
      `| ${entry.description} | ${model.layers.length} / ${convs} ` +
        `| ${entry.weightsOnly === true ? '(weights: not visible)' : kinds(inspection.problems)} ` +
        `| ${kinds(report.findings)} | ${t1 - t0} / ${t2 - t1} |`,
    );
    console.error(
      entry.name,
      kinds(inspection.problems),
      '|',
      kinds(report.findings),
      `${t1 - t0} ms / ${t2 - t1} ms`,
    );
    for (const f of [...inspection.problems, ...report.findings])
      console.error('   ', f.message.slice(0, 240));
    model.dispose();
  }
  console.log(
    `| network | layers / weighted | \`inspect\` problems | ` +
      `\`doctor\` findings (batch ${size}) | ms inspect / doctor |`,
  );
  console.log('|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}

void main();
