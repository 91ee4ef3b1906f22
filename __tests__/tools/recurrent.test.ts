/**
 * LSTM, GRU and Bidirectional models with only tfjs-core and tfjs-layers loaded (not the full
 * `@tensorflow/tfjs` bundle), where tfjs's own `Orthogonal` — every recurrent layer's default —
 * cannot run ("rMat.flatten is not a function"): importing the package makes it draw with this
 * package's Haar sampler instead, so layers build, and reinitialize, lsuv, analyzeInitialization
 * and the CLI's reinit and doctor (with and without weights) work.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '../../src';
import {analyzeInitialization, lsuv, reinitialize} from '../../src/tools';
import {chainedOpsLoaded} from '../../src/core/tfjs';
import {runCli} from '../../src/cli/main';
import {EXIT} from '../../src/cli/exit-codes';
import {fileIO} from '../../src/node';

const L = tfl.layers;

/** A saved text model whose recurrent kernels name tfjs's Orthogonal, as Keras and tfjs save them. */
async function savedModel(): Promise<tf.io.ModelArtifacts> {
  const model = tfl.sequential({
    layers: [
      L.embedding({inputDim: 50, outputDim: 8, inputLength: 6, inputShape: [6]}),
      L.bidirectional({
        layer: L.lstm({
          units: 6,
          returnSequences: true,
          recurrentInitializer: 'glorotUniform',
        }) as never,
      }),
      L.gru({units: 5, recurrentInitializer: 'glorotUniform'}),
      L.dense({units: 3, activation: 'softmax'}),
    ],
  });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }),
  );
  model.dispose();
  const text = JSON.stringify((artifacts as tf.io.ModelArtifacts).modelTopology).replace(
    /"recurrent_initializer":\{"class_name":"VarianceScaling","config":\{[^}]*\}\}/g,
    '"recurrent_initializer":{"class_name":"Orthogonal","config":{"gain":1,"seed":null}}',
  );
  expect(text.match(/"Orthogonal"/g)).toHaveLength(2); // the LSTM inside the Bidirectional (saved once for both directions) and the GRU
  return {...(artifacts as tf.io.ModelArtifacts), modelTopology: JSON.parse(text)};
}

/** W·Wᵀ = I for a [units, gates·units] recurrent kernel with orthonormal rows. */
function expectOrthonormalRows(w: tf.Tensor): void {
  const gram = tf.tidy(() => tf.matMul(w as tf.Tensor2D, w as tf.Tensor2D, false, true));
  const eye = tf.tidy(() => tf.eye(w.shape[0]));
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(gram, eye))).dataSync()[0]);
  expect(diff).toBeLessThan(1e-5);
  tf.dispose([gram, eye]);
}

describe('recurrent models with tfjs-core + tfjs-layers only', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-rnn-'));
  });
  afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

  it(
    "this process has no chained ops, where tfjs's own " +
      'Orthogonal cannot run; an LSTM built here still gets an ' +
      'orthogonal recurrent kernel',
    () => {
      expect(chainedOpsLoaded()).toBe(false);
      const before = tf.memory().numTensors;
      const model = tfl.sequential({layers: [L.lstm({units: 4, inputShape: [3, 2]})]});
      expectOrthonormalRows(model.layers[0].getWeights()[1]);
      const seeded = tfl.initializers.orthogonal({gain: 2, seed: 5});
      const [a, b] = [seeded.apply([4, 16]), seeded.apply([4, 16])];
      expect(a.dataSync()).toEqual(b.dataSync()); // an instance's own seed repeats its values, as in tfjs
      expect(Math.abs(tf.tidy(() => tf.sum(tf.mul(a, a)).dataSync()[0]) - 4 * 4)).toBeLessThan(
        1e-3,
      ); // gain² · rows
      tf.dispose([a, b]);
      model.dispose();
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('reinitialize, lsuv and analyzeInitialization work on a loaded LSTM/GRU/Bidirectional model', async () => {
    const model = await tfl.loadLayersModel(tf.io.fromMemory(await savedModel()));
    const before = tf.memory().numTensors;
    const report = reinitialize(model, {seed: 3});
    expect(report.filter((r) => /recurrent_kernel/.test(r.name)).map((r) => r.initializer)).toEqual(
      ['Orthogonal', 'Orthogonal', 'Orthogonal'],
    );
    for (const w of model.weights.filter((v) => /recurrent_kernel/.test(v.name)))
      expectOrthonormalRows(w.read());
    const again = model.weights.map((w) => (w.read().dataSync() as Float32Array).slice());
    reinitialize(model, {seed: 3});
    expect(model.weights.map((w) => (w.read().dataSync() as Float32Array).slice())).toEqual(again);
    const ids = tf.tensor2d([
      [1, 2, 3, 4, 5, 6],
      [7, 8, 9, 10, 11, 12],
      [2, 4, 6, 8, 10, 12],
      [1, 3, 5, 7, 9, 11],
    ]);
    expect((await lsuv(model, ids, {seed: 1})).map((r) => r.layer)).toEqual([model.layers[3].name]);
    expect(analyzeInitialization(model, ids).layers.map((l) => l.className)).toEqual([
      'Embedding',
      'Bidirectional',
      'GRU',
      'Dense',
    ]);
    ids.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('tfjs-init reinit and doctor work on it, with its weights and from the topology alone', async () => {
    const artifacts = await savedModel();
    const withWeights = path.join(tmp, 'weights');
    await (await tfl.loadLayersModel(tf.io.fromMemory(artifacts))).save(fileIO(withWeights));
    const topologyOnly = path.join(tmp, 'topology');
    fs.mkdirSync(topologyOnly);
    fs.writeFileSync(
      path.join(topologyOnly, 'model.json'),
      JSON.stringify({modelTopology: artifacts.modelTopology}),
    );
    const io = {out: (): void => undefined, err: (): void => undefined};
    for (const dir of [withWeights, topologyOnly]) {
      expect(
        await runCli(
          ['--backend', 'cpu', 'reinit', dir, '--out', path.join(dir, 'out'), '--seed', '1'],
          io,
        ),
      ).toBe(EXIT.ok);
      expect(fs.existsSync(path.join(dir, 'out', 'weights.bin'))).toBe(true);
      expect([EXIT.ok, EXIT.problems]).toContain(
        await runCli(
          [
            '--backend',
            'cpu',
            'doctor',
            dir,
            '--batch',
            '4',
            '--out',
            path.join(dir, 'report.html'),
          ],
          io,
        ),
      );
    }
  });
});
