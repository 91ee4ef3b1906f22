/**
 * The real-model corpus (`__tests__/fixtures/corpus/`): `npm run corpus` runs every model and every
 * planted fault and checks them (its own tier in .ci/run); here, the parts that need a test runner:
 * the same findings in three runs and in two processes, fresh topologies without findings on a
 * sample of small models, and each planted fault found on a small architecture.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import {
  CORPUS_DIR,
  FAULTS,
  doctorFolder,
  inspectFolder,
  plantedRow,
} from '../../scripts/real-corpus';

// The commands run as a user runs them: without tfjs's IS_TEST flag (set by the test setup), whose
// per-kernel leak check trips over the wasm backend's own fusedMatMul gradient (plain tfjs 4.22:
// a Dense layer's tf.grad on wasm throws "internal memory leak (3 data ids)" under IS_TEST).
beforeAll(() => tf.env().set('IS_TEST', false));
afterAll(() => tf.env().set('IS_TEST', true));

const SMALL = [
  'ml5-doodlenet',
  'ml5-cvae-quickdraw-decoder',
  'tfjs-examples-balance',
  'tfjs-layers-bidirectional-lstm',
  'tensorspace-lenet-tfjs-0.8',
  'anomagram-ecg-autoencoder',
];

describe('fresh topologies of healthy published networks: no finding', () => {
  it.each(SMALL)('%s', async (name) => {
    const dir = path.join(CORPUS_DIR, name);
    expect((await inspectFolder(dir)).kinds).toEqual([]);
    const doctor = await doctorFolder(dir);
    expect(doctor.kinds).toEqual([]);
    expect(doctor.weights).toMatch(
      /^weights: fresh, drawn from each layer's initializer config with seed 0/,
    );
  });
});

describe('the same findings in three runs and in two processes', () => {
  it.each(['ml5-doodlenet', 'tensorspace-lenet-tfjs-0.8'])('%s', async (name) => {
    const dir = path.join(CORPUS_DIR, name);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(JSON.stringify((await doctorFolder(dir)).messages));
    expect(new Set(runs).size).toBe(1);
    // A second process, as a user runs it: the bin shim, the default backend.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'real-corpus-'));
    const other = execFileSync(
      process.execPath,
      [
        path.join(__dirname, '..', '..', 'bin', 'tfjs-init.cjs'),
        '--allow-missing-weights',
        'doctor',
        dir,
        '--json',
        '--out',
        path.join(tmp, 'report.html'),
      ],
      {encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore']},
    );
    fs.rmSync(tmp, {recursive: true, force: true});
    const findings = (JSON.parse(other) as {findings: Array<{message: string}>}).findings;
    expect(JSON.stringify(findings.map((f) => f.message))).toBe(runs[0]);
  });

  it('a planted fault, too', async () => {
    const runs = [];
    for (let i = 0; i < 3; i++)
      runs.push(
        JSON.stringify((await plantedRow('tiny-std tanh stack', 'ml5-doodlenet'))?.doctor.messages),
      );
    expect(new Set(runs).size).toBe(1);
    expect(runs[0]).toContain('vanishing');
  });
});

/** A small architecture each fault applies to (Xavier needs depth: DoodleNet's 7 layers are healthy). */
const SMALL_FOR: Record<string, string> = {
  'zero kernel': 'ml5-doodlenet',
  'constant kernel': 'tfjs-layers-mlp',
  'tiny-std tanh stack': 'ml5-doodlenet',
  'Xavier on a deep ReLU stack': 'ml5-darknet-tiny',
  'huge gain': 'tensorspace-lenet-keras',
  'duplicated units': 'ml5-crepe',
};

describe('planted faults are found on a small real architecture', () => {
  it.each(Object.entries(SMALL_FOR))('%s on %s', async (fault, name) => {
    // A batch of 4 (4 groups of 1): what the test needs, in a fraction of the time budget's batch.
    const r = await plantedRow(fault, name, ['--batch', '4']);
    expect(r).not.toBeNull();
    const f = FAULTS.find((x) => x.name === fault);
    const doctorKinds = f?.doctor ?? ['symmetricUnits'];
    expect(r?.doctor.kinds.filter((k) => doctorKinds.includes(k)).length).toBeGreaterThan(0);
    if (f !== undefined && r?.inspect !== null)
      expect(r?.inspect.kinds.filter((k) => f.inspect.includes(k)).length).toBeGreaterThan(0);
  });
});
