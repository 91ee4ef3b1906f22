/**
 * Crash consistency of every save, as databases test it: a writer process is killed (SIGKILL) at
 * every step of a save — deterministically, by a step hook that kills it there, also while it is
 * cleaning up after an earlier crash — and at random moments of a loop of saves; after each kill
 * the folder must hold the old model or the new one, complete (the JSON read raw names weights
 * that are there and agree with it; `fileIO(dir).load()` accepts it), and after the next
 * successful save nothing else may be left: no temporary file or folder, beside it or inside.
 * A last test reads the system calls of a save with strace: every data file and every folder is
 * fsynced before and after the renames that publish it.
 */
import {execFileSync, spawn, spawnSync} from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {buildSync} from 'esbuild';
import * as tf from '@tensorflow/tfjs-core';
import {fileIO} from '../../src/node';
import {UNITS, modelText, modelWeights} from '../helpers/crash-writer';
import {saveModelFiles, setWriteStepHook} from '../../src/node/atomic-write';

let tmp: string;
let writer: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'crash-'));
  writer = path.join(tmp, 'crash-writer.js');
  buildSync({
    entryPoints: [path.join(__dirname, '..', 'helpers', 'crash-writer.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: writer,
    external: ['@tensorflow/*'],
    logLevel: 'silent',
  });
  // The bundle resolves tfjs from the repository's node_modules.
  fs.symlinkSync(path.join(__dirname, '..', '..', 'node_modules'), path.join(tmp, 'node_modules'));
});
afterAll(() => fs.rmSync(tmp, {recursive: true, force: true}));

/** Runs the writer to completion or to its death; returns its stdout and how it ended. */
function run(...args: string[]): {out: string; killed: boolean} {
  const r = spawnSync(process.execPath, [writer, ...args], {encoding: 'utf8'});
  if (r.signal !== 'SIGKILL' && r.status !== 0) throw new Error(`writer failed: ${r.stderr}`);
  return {out: r.stdout, killed: r.signal === 'SIGKILL'};
}

/** The version of the model in `dir`, read raw: the JSON's weights file must exist and agree with it. */
function rawVersion(dir: string): number {
  const json = JSON.parse(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')) as {
    version?: number;
    weightsManifest: Array<{paths: string[]}>;
  };
  const bytes = fs.readFileSync(path.join(dir, json.weightsManifest[0].paths[0]));
  const values = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  expect(values.length).toBe(UNITS * UNITS + UNITS);
  const v = values[0];
  expect(values.every((x) => x === v)).toBe(true);
  if (json.version !== undefined) expect(json.version).toBe(v);
  return v;
}

/** The version `fileIO(dir).load()` reads (all its checks pass), no tensor left behind. */
async function loadedVersion(dir: string): Promise<number> {
  const before = tf.memory().numTensors;
  const artifacts = await (fileIO(dir).load as () => Promise<tf.io.ModelArtifacts>)();
  const data = new Float32Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []));
  expect(tf.memory().numTensors).toBe(before);
  return data[0];
}

/** Old or new, read raw and through fileIO, and the same both ways. */
async function expectOldOrNew(dir: string, old: number | null, next: number): Promise<number> {
  if (old === null && !fs.existsSync(dir)) return -1; // a new folder: not there yet is "old"
  const raw = rawVersion(dir);
  expect([old, next]).toContain(raw);
  expect(await loadedVersion(dir)).toBe(raw);
  return raw;
}

/** Nothing but the model's two files in `dir`, and no temporary beside it. */
function expectClean(dir: string): void {
  expect(fs.readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
  expect(fs.readdirSync(path.dirname(dir)).filter((e) => e.includes('.tmp-'))).toEqual([]);
}

/** Saves version `v` into `dir` in this process, as the writer does; returns the number of steps. */
async function save(dir: string, v: number): Promise<number> {
  let steps = 0;
  setWriteStepHook(() => steps++);
  try {
    await saveModelFiles('test', dir, {
      json: 'model.json',
      weightsFile: 'weights.bin',
      weights: modelWeights(v),
      text: (p) => modelText(v, p),
    });
  } finally {
    setWriteStepHook(null);
  }
  return steps;
}

/** A folder holding version `v` alone, written in-process. */
async function folderWith(name: string, v: number): Promise<string> {
  const dir = path.join(tmp, name);
  fs.rmSync(dir, {recursive: true, force: true});
  await save(dir, v);
  return dir;
}

let kills = 0;

describe('a save killed at every step', () => {
  it('over an existing model: old or new after each kill, clean after the next save', async () => {
    const steps = await save(await folderWith('count', 1), 2);
    expect(steps).toBeGreaterThanOrEqual(10);
    for (let k = 1; k <= steps; k++) {
      const dir = await folderWith('existing', 1);
      expect(run('save', dir, '2', String(k)).killed).toBe(true);
      kills++;
      await expectOldOrNew(dir, 1, 2);
      await save(dir, 3);
      expect(rawVersion(dir)).toBe(3);
      expectClean(dir);
    }
  });

  it('and then killed again at every step of the save that cleans up after it', async () => {
    // The first crash before the commit, just after it, after the weights' rename, after the final
    // JSON's (the temporary name left); the second at every step of the next save.
    for (const first of [2, 6, 7, 9]) {
      const probe = await folderWith('twice-probe', 1);
      run('save', probe, '2', String(first));
      const second = await save(probe, 3);
      for (let k = 1; k <= second; k++) {
        const dir = await folderWith('twice', 1);
        expect(run('save', dir, '2', String(first)).killed).toBe(true);
        const after = await expectOldOrNew(dir, 1, 2);
        expect(run('save', dir, '3', String(k)).killed).toBe(true);
        kills += 2;
        await expectOldOrNew(dir, after, 3);
        await save(dir, 4);
        expect(rawVersion(dir)).toBe(4);
        expectClean(dir);
      }
    }
  });

  it('new values for the same model (the JSON unchanged): old or new weights after each kill', async () => {
    const same = async (dir: string, v: number): Promise<void> => {
      await saveModelFiles('test', dir, {
        json: 'model.json',
        weightsFile: 'weights.bin',
        weights: modelWeights(v),
        text: (p) => modelText(null, p),
      });
    };
    const probe = path.join(tmp, 'same-probe');
    await same(probe, 1);
    let steps = 0;
    setWriteStepHook(() => steps++);
    await same(probe, 2).finally(() => setWriteStepHook(null));
    for (let k = 1; k <= steps; k++) {
      const dir = path.join(tmp, 'same');
      fs.rmSync(dir, {recursive: true, force: true});
      await same(dir, 1);
      expect(run('save-same', dir, '2', String(k)).killed).toBe(true);
      kills++;
      await expectOldOrNew(dir, 1, 2);
      await same(dir, 3);
      expect(rawVersion(dir)).toBe(3);
      expectClean(dir);
    }
  });

  it('into a folder that does not exist yet: absent or complete', async () => {
    const steps = await save(path.join(tmp, 'new-probe', 'a', 'b'), 1);
    for (let k = 1; k <= steps; k++) {
      fs.rmSync(path.join(tmp, 'new'), {recursive: true, force: true});
      const dir = path.join(tmp, 'new', 'a', 'b');
      expect(run('save', dir, '1', String(k)).killed).toBe(true);
      kills++;
      await expectOldOrNew(dir, null, 1);
      await save(dir, 2);
      expect(rawVersion(dir)).toBe(2);
      expectClean(dir);
      expect(fs.readdirSync(path.join(tmp, 'new'))).toEqual(['a']);
    }
  });
});

/** Starts a looping writer and kills it after `ms`; resolves to the versions it reported saved. */
function killAfter(mode: string, dir: string, first: number, ms: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writer, mode, dir, String(first)]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself: ${out}`));
      resolve([...out.matchAll(/saved (\d+)/g)].map((m) => Number(m[1])));
    });
    setTimeout(() => child.kill('SIGKILL'), ms);
  });
}

/**
 * Kills a writer that saves versions `first`, `first + 1`, ... into `dir` (which holds `current`)
 * after `ms`, and checks that `dir` then holds the last version it reported saved (`current` if
 * none) or the one it was saving; returns the version found.
 */
async function killAndCheck(
  mode: string,
  dir: string,
  current: number,
  first: number,
  ms: number,
): Promise<number> {
  const saved = await killAfter(mode, dir, first, ms);
  kills++;
  const last = saved.length === 0 ? current : saved[saved.length - 1];
  if (!fs.existsSync(dir)) {
    expect(saved).toEqual([]);
    return current;
  }
  const found = rawVersion(dir);
  expect([last, first + saved.length]).toContain(found);
  expect(await loadedVersion(dir)).toBe(found);
  // Read by name instead of through the manifest: weights.bin may lag model.json for the two
  // back-to-back renames of a commit (the manifest then names the new weights' temporary name).
  const byName = new Float32Array(fs.readFileSync(path.join(dir, 'weights.bin')).buffer)[0];
  if (byName !== found) lagging++;
  return found;
}

/** Kills after which weights.bin, read by its name, was not yet the version model.json names. */
let lagging = 0;

describe('saves killed at random moments', () => {
  /** A fixed-seed generator for the delays (xorshift32). */
  let state = 20240607;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };

  it('200 kills of a writer saving in a loop: old or new each time, clean after the next save', async () => {
    const dir = await folderWith('random', 1);
    let current = 1;
    let next = 2;
    for (let i = 0; i < 200; i++) {
      const found = await killAndCheck('loop', dir, current, next, 60 + Math.floor(random() * 80));
      current = found;
      next += 1000; // versions never repeat, so each one found tells which save wrote it
      if (i % 20 === 19) {
        await save(dir, next);
        current = next++;
        expectClean(dir);
      }
    }
  });

  it('20 kills of a writer saving through fileIO(dir).save', async () => {
    const dir = path.join(tmp, 'fileio');
    let current = 0;
    let next = 1;
    for (let i = 0; i < 20; i++) {
      current = await killAndCheck('fileio', dir, current, next, 1200 + Math.floor(random() * 600));
      next += 1000;
    }
    await save(dir, next);
    expectClean(dir);
  });

  afterAll(() => {
    // Reported in docs/untrusted-models.md.
    process.stdout.write(
      `crash tests: ${kills} kills; weights.bin by name lagging model.json after ${lagging}\n`,
    );
  });
});

describe('strace: what a save syncs', () => {
  const strace = spawnSync('strace', ['-V']).status === 0;
  (strace ? it : it.skip)(
    'every data file is fsynced before its rename, every folder after it',
    async () => {
      const dir = await folderWith('strace', 1);
      const log = path.join(tmp, 'strace.log');
      execFileSync('strace', [
        '-f',
        '-o',
        log,
        '-e',
        'trace=openat,fsync,fdatasync,rename,renameat,renameat2,link,linkat,unlink,unlinkat',
        process.execPath,
        writer,
        'save',
        dir,
        '2',
      ]);
      const lines = fs
        .readFileSync(log, 'utf8')
        .split('\n')
        .map((l) => l.replace(/^\d+ +/, ''))
        .filter((l) => l.includes(dir) || /^f(data)?sync\(/.test(l));
      /** Which path each descriptor had when it was last opened. */
      const open = new Map<string, string>();
      /** Paths whose data is on disk: fsynced, or a second name (hard link) of such a file. */
      const synced = new Set<string>();
      const events: string[] = [];
      for (const line of lines) {
        const opened = /^openat\(AT_FDCWD, "([^"]+)", [^)]*\) = (\d+)/.exec(line);
        if (opened !== null) open.set(opened[2], opened[1]);
        const sync = /^f(?:data)?sync\((\d+)\)/.exec(line);
        if (sync !== null) {
          const p = open.get(sync[1]) as string;
          synced.add(p);
          events.push(`fsync ${path.relative(tmp, p)}`);
        }
        const link = /^link(?:at)?\(.*?"([^"]+)", .*?"([^"]+)"/.exec(line);
        if (link !== null && synced.has(link[1])) synced.add(link[2]);
        const rename = /^rename(?:at2?)?\(.*?"([^"]+)", .*?"([^"]+)"/.exec(line);
        if (rename !== null) {
          // What is renamed into place is on disk already.
          expect(synced).toContain(rename[1]);
          events.push(`rename ${path.basename(rename[1])} -> ${path.basename(rename[2])}`);
        }
      }
      // After every rename, the next sync is the folder's: the rename itself is on disk.
      events.forEach((e, i) => {
        if (e.startsWith('rename'))
          expect(events.slice(i + 1).find((x) => x.startsWith('fsync'))).toBe('fsync strace');
      });
      const text = events.join('\n');
      // The temporaries' data, then the folder; the three renames back to back, then the folder.
      expect(text).toMatch(
        /^fsync strace\/\.weights\.bin\.tmp-\w+\nfsync strace\/\.model\.json\.tmp-\w+\nfsync strace\/\.model\.json\.tmp-\w+\nfsync strace\n/,
      );
      expect(text).toMatch(
        /\nrename \.model\.json\.tmp-\w+ -> model\.json\nrename \.weights\.bin\.tmp-\w+ -> weights\.bin\nrename \.model\.json\.tmp-\w+ -> model\.json\nfsync strace\n/,
      );
      expect(text).toMatch(/fsync strace$/);
      expect(rawVersion(dir)).toBe(2);
      expectClean(dir);
    },
  );
});
