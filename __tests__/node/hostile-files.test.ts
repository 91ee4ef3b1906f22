/**
 * Hostile model folders built on disk at test time (links, FIFOs, devices, sockets cannot live in
 * git): each is loaded through fileIO, loadLayersModelSafely and the CLI, and must be refused
 * quickly with an InitializerError (or a CLI exit) that names the file, return nothing, leave no
 * tensor behind, and — for `reinit` — write nothing. Every test has a short timeout, so a read
 * that blocks (a FIFO) or never ends (/dev/zero) fails instead of hanging.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError} from '../../src';
import {loadLayersModelSafely} from '../../src/tools';
import {fileIO} from '../../src/node';
import {openChecked, readExactly} from '../../src/node/safe-read';
import {runCli} from '../../src/cli/main';
import {EXIT} from '../../src/cli/exit-codes';

/** Per test: a hang fails here, long before jest's default. */
const QUICK = 10_000;

let tmp: string;
/** A file outside every model folder, of the size the model's weights take (64 bytes). */
let secret: string;
/** A valid model: Dense(3 → 4), saved with its weights (64 bytes). */
let good: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-files-'));
  secret = path.join(tmp, 'secret.bin');
  fs.writeFileSync(secret, Buffer.alloc(64, 0x41));
  good = path.join(tmp, 'good');
  const model = tfl.sequential({
    layers: [tfl.layers.dense({units: 4, inputShape: [3], name: 'dense'})],
  });
  await model.save(fileIO(good));
  model.dispose();
});
/** Sockets listening on a model folder's weights path, closed at the end. */
const servers: net.Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  fs.rmSync(tmp, {recursive: true, force: true});
});

/** A copy of the good model folder, changed by `edit`. */
function folder(name: string, edit: (dir: string) => void): string {
  const dir = path.join(tmp, name);
  fs.cpSync(good, dir, {recursive: true});
  edit(dir);
  return dir;
}

/** Replaces the weights file of `dir` by `make(weightsPath)`. */
const replaceWeights =
  (make: (file: string) => void) =>
  (dir: string): void => {
    fs.rmSync(path.join(dir, 'weights.bin'));
    make(path.join(dir, 'weights.bin'));
  };

/** Edits the model.json of `dir`. */
const editJson =
  (
    edit: (json: {
      weightsManifest: Array<{paths: string[]; weights: Array<Record<string, unknown>>}>;
    }) => void,
  ) =>
  (dir: string): void => {
    const file = path.join(dir, 'model.json');
    const json = JSON.parse(fs.readFileSync(file, 'utf8'));
    edit(json);
    fs.writeFileSync(file, JSON.stringify(json));
  };

const mkfifo = (file: string): void => {
  execFileSync('mkfifo', [file]);
};

interface Case {
  name: string;
  build: (dir: string) => void | Promise<void>;
  /** What the error says (after the file's name). */
  reason: RegExp;
  /** What names the file in the error (default: the weights file's name). */
  names?: string;
}

const CASES: Case[] = [
  {
    name: 'weights.bin a symbolic link to a file outside the folder',
    build: replaceWeights((f) => fs.symlinkSync(secret, f)),
    reason:
      /resolves to .*secret\.bin, outside .*; name a wider folder with the option `allowedRoot`/,
  },
  {
    name: 'weights.bin a relative link ../secret.bin',
    build: replaceWeights((f) => fs.symlinkSync('../secret.bin', f)),
    reason: /resolves to .*secret\.bin, outside/,
  },
  {
    name: 'weights.bin a link to /dev/zero',
    build: replaceWeights((f) => fs.symlinkSync('/dev/zero', f)),
    reason: /resolves to \/dev\/zero, outside/,
  },
  {
    name: 'weights.bin a link to /proc/self/environ',
    build: replaceWeights((f) => fs.symlinkSync('/proc/self/environ', f)),
    reason: /resolves to \/proc\/\d+\/environ, outside/,
  },
  {
    name: 'weights.bin a FIFO',
    build: replaceWeights(mkfifo),
    reason: /is a FIFO \(named pipe\), not a regular file/,
  },
  {
    name: 'weights.bin a folder',
    build: replaceWeights((f) => fs.mkdirSync(f)),
    reason: /is a folder, not a regular file/,
  },
  {
    name: 'weights.bin a dangling link',
    build: replaceWeights((f) => fs.symlinkSync(path.join(tmp, 'nothing-here'), f)),
    reason: /not found/,
  },
  {
    name: 'weights.bin a link to itself',
    build: replaceWeights((f) => fs.symlinkSync('weights.bin', f)),
    reason: /is a loop of symbolic links/,
  },
  {
    name: 'weights.bin in a link loop a → b → a',
    build: replaceWeights((f) => {
      fs.symlinkSync('b', path.join(path.dirname(f), 'a'));
      fs.symlinkSync('a', path.join(path.dirname(f), 'b'));
      fs.symlinkSync('a', f);
    }),
    reason: /is a loop of symbolic links/,
  },
  {
    name: 'weights.bin a hard link to a file outside',
    build: replaceWeights((f) => fs.linkSync(secret, f)),
    reason: /has 2 hard links: its other names may lie outside/,
  },
  {name: 'weights.bin removed', build: replaceWeights(() => undefined), reason: /: not found$/},
  {
    name: 'weights.bin one byte short',
    build: (d) => fs.truncateSync(path.join(d, 'weights.bin'), 63),
    reason: /hold 63 bytes \("weights\.bin": 63\), but its weights need exactly 64/,
    names: 'weights.bin',
  },
  {
    name: 'weights.bin one byte long',
    build: (d) => fs.appendFileSync(path.join(d, 'weights.bin'), Buffer.alloc(1)),
    reason: /hold 65 bytes .*need exactly 64/,
    names: 'weights.bin',
  },
  {
    name: 'weights.bin 100 MB long',
    build: (d) => fs.truncateSync(path.join(d, 'weights.bin'), 100e6),
    reason: /hold 100000000 bytes .*need exactly 64/,
    names: 'weights.bin',
  },
  {
    name: 'a weights path through a linked sub-folder that leads outside',
    build: (d) => {
      fs.mkdirSync(path.join(tmp, 'elsewhere'), {recursive: true});
      fs.copyFileSync(path.join(good, 'weights.bin'), path.join(tmp, 'elsewhere', 'w.bin'));
      fs.symlinkSync(path.join(tmp, 'elsewhere'), path.join(d, 'sub'));
      editJson((j) => {
        j.weightsManifest[0].paths = ['sub/w.bin'];
      })(d);
    },
    reason: /resolves to .*elsewhere\/w\.bin, outside/,
    names: 'sub/w.bin',
  },
  {
    name: "a weights path with '..'",
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['../secret.bin'];
    }),
    reason: /contains '\.\.'; weights paths must stay below the model folder/,
    names: '../secret.bin',
  },
  {
    name: "a weights path with '..' that stays inside",
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['sub/../weights.bin'];
    }),
    reason: /contains '\.\.'/,
    names: 'sub/../weights.bin',
  },
  {
    name: "a weights path with '..' behind backslashes",
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['..\\secret.bin'];
    }),
    reason: /contains '\.\.'/,
    names: 'secret.bin',
  },
  {
    name: 'an absolute weights path',
    build: (d) =>
      editJson((j) => {
        j.weightsManifest[0].paths = [secret];
      })(d),
    reason: /is an absolute path; weights paths are relative to the model folder/,
    names: 'secret.bin',
  },
  {
    name: 'a URL-encoded ../ (read as a file name, not decoded)',
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['%2e%2e%2fsecret.bin'];
    }),
    reason: /: not found$/,
    names: '%2e%2e%2fsecret.bin',
  },
  {
    name: 'a NUL byte in a weights path',
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['weights.bin\u0000.txt'];
    }),
    reason: /its name contains a NUL byte/,
    names: 'weights.bin\\u0000.txt',
  },
  {
    name: 'a weights path through a file (weights.bin/x)',
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['weights.bin/x'];
    }),
    reason: /not found \(a part of its path is not a folder\)/,
    names: 'weights.bin/x',
  },
  {
    name: 'a weights file name of 5000 characters',
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['w'.repeat(5000)];
    }),
    reason: /has a name too long for the file system/,
    names: 'www',
  },
  {
    name: 'weights.bin a link to a folder inside the model folder',
    build: replaceWeights((f) => {
      fs.mkdirSync(path.join(path.dirname(f), 'inner'));
      fs.symlinkSync('inner', f);
    }),
    reason: /is a folder, not a regular file/,
  },
  {
    name: 'a weights path that names the model folder itself',
    build: editJson((j) => {
      j.weightsManifest[0].paths = ['.'];
    }),
    reason: /is a folder, not a regular file/,
    names: '"."',
  },
  {
    name: 'the same file named twice through two spellings',
    build: (d) => {
      fs.writeFileSync(path.join(d, 'weights.bin'), Buffer.alloc(32));
      editJson((j) => {
        j.weightsManifest[0].paths = ['weights.bin', './weights.bin'];
      })(d);
    },
    reason: /is the same file as weights file "weights\.bin"/,
    names: './weights.bin',
  },
  {
    name: 'the same file named twice through a link',
    build: (d) => {
      fs.writeFileSync(path.join(d, 'weights.bin'), Buffer.alloc(32));
      fs.symlinkSync('weights.bin', path.join(d, 'again.bin'));
      editJson((j) => {
        j.weightsManifest[0].paths = ['weights.bin', 'again.bin'];
      })(d);
    },
    reason: /is the same file as weights file "weights\.bin"/,
    names: 'again.bin',
  },
  {
    name: '5000 tiny weights files',
    build: (d) => {
      const names = Array.from({length: 5000}, (_, i) => `w${i}.bin`);
      editJson((j) => {
        j.weightsManifest[0].paths = names;
      })(d);
    },
    reason: /names more than 4096 weights files \(limit maxWeightFiles\)/,
    names: 'weightsManifest[0].paths[4096]',
  },
  {
    name: 'a socket as weights.bin',
    build: async (d) => {
      const server = net.createServer();
      const file = path.join(d, 'weights.bin');
      fs.rmSync(file);
      await new Promise<void>((resolve) => server.listen(file, resolve));
      servers.push(server); // closing it would remove the socket file
    },
    reason: /is a socket, not a regular file/,
  },
  {
    name: 'model.json a FIFO',
    build: (d) => {
      fs.rmSync(path.join(d, 'model.json'));
      mkfifo(path.join(d, 'model.json'));
    },
    reason: /is a FIFO \(named pipe\), not a regular file/,
    names: 'model.json',
  },
  {
    name: 'model.json a link to /dev/zero',
    build: (d) => {
      fs.rmSync(path.join(d, 'model.json'));
      fs.symlinkSync('/dev/zero', path.join(d, 'model.json'));
    },
    reason: /resolves to \/dev\/zero, outside/,
    names: 'model.json',
  },
  {
    name: 'model.json a link to a model outside the folder',
    build: (d) => {
      fs.copyFileSync(path.join(good, 'model.json'), path.join(tmp, 'outside-model.json'));
      fs.rmSync(path.join(d, 'model.json'));
      fs.symlinkSync(path.join(tmp, 'outside-model.json'), path.join(d, 'model.json'));
    },
    reason: /resolves to .*outside-model\.json, outside/,
    names: 'model.json',
  },
  {
    name: 'model.json a folder',
    build: (d) => {
      fs.rmSync(path.join(d, 'model.json'));
      fs.mkdirSync(path.join(d, 'model.json'));
    },
    reason: /is a folder, not a regular file/,
    names: 'model.json',
  },
  {
    name: 'model.json of 70 MB',
    build: (d) => fs.appendFileSync(path.join(d, 'model.json'), Buffer.alloc(70e6, 0x20)),
    reason: /holds 70000\d{3} bytes, more than the 67108864 allowed \(option maxJsonBytes\)/,
    names: 'model.json',
  },
  {
    name: 'model.json a hard link',
    build: (d) =>
      fs.linkSync(path.join(d, 'model.json'), path.join(tmp, `hard-${path.basename(d)}.json`)),
    reason: /has 2 hard links/,
    names: 'model.json',
  },
];

/** Runs the CLI in-process; returns the exit code and the last line of stderr. */
async function cli(...args: string[]): Promise<{code: number; last: string}> {
  const err: string[] = [];
  const code = await runCli(['--backend', 'cpu', ...args], {
    out: () => undefined,
    err: (t) => err.push(...t.split('\n')),
  });
  return {code, last: err.filter((l) => l.length > 0).pop() ?? ''};
}

describe('hostile model folders on disk', () => {
  it(
    'the valid model loads through every path (the cases below are refused for what they change)',
    async () => {
      const before = tf.memory().numTensors;
      for (const model of [
        await tfl.loadLayersModel(fileIO(good)),
        await loadLayersModelSafely(fileIO(good)),
      ]) {
        expect(model.countParams()).toBe(16);
        model.dispose();
      }
      expect(tf.memory().numTensors).toBe(before);
      const out = path.join(tmp, 'good-out');
      expect((await cli('reinit', good, '--out', out, '--seed', '1')).code).toBe(EXIT.ok);
      expect(fs.readdirSync(out).sort()).toEqual(['model.json', 'weights.bin']);
    },
    QUICK,
  );

  it.each(CASES.map((c): [string, Case] => [c.name, c]))(
    '%s: refused by fileIO, loadLayersModelSafely and the CLI; nothing returned, left or written',
    async (_name, c) => {
      const dir = path.join(tmp, c.name.replace(/[^a-z0-9]+/gi, '-'));
      fs.cpSync(good, dir, {recursive: true});
      await c.build(dir);
      const names = c.names ?? 'weights.bin';
      const before = tf.memory().numTensors;
      const started = Date.now();
      const attempts: Array<() => Promise<unknown>> = [
        () => (fileIO(dir).load as () => Promise<unknown>)(),
        () => tfl.loadLayersModel(fileIO(dir)),
        () => loadLayersModelSafely(fileIO(dir)),
      ];
      for (const attempt of attempts) {
        const outcome = await attempt().then(
          (value) => ({value}),
          (error: unknown) => ({error}),
        );
        expect(outcome).not.toHaveProperty('value');
        const error = (outcome as {error: unknown}).error;
        expect(error).toBeInstanceOf(InitializerError);
        expect((error as Error).message).toContain(names);
        expect((error as Error).message).toMatch(c.reason);
      }
      for (const command of [
        ['doctor', dir, '--out', path.join(dir, '..', `${path.basename(dir)}.html`)],
        ['reinit', dir, '--out', `${dir}-out`],
      ]) {
        const r = await cli(...command);
        expect([EXIT.missingFile, EXIT.malformed]).toContain(r.code);
        expect(r.last).toContain(names);
        expect(r.last).toMatch(c.reason);
      }
      expect(fs.existsSync(`${dir}-out`)).toBe(false);
      expect(fs.existsSync(path.join(dir, '..', `${path.basename(dir)}.html`))).toBe(false);
      expect(tf.memory().numTensors).toBe(before);
      expect(Date.now() - started).toBeLessThan(5000);
    },
    QUICK,
  );
});

describe('allowedRoot: a wider folder for layouts that link files to a shared store', () => {
  /** A content-addressed cache: snapshots/rev1/{model.json, weights.bin} link to blobs/<name>. */
  function cache(): {root: string; snapshot: string} {
    const root = path.join(tmp, 'cache');
    fs.mkdirSync(path.join(root, 'blobs'), {recursive: true});
    fs.mkdirSync(path.join(root, 'snapshots', 'rev1'), {recursive: true});
    fs.copyFileSync(path.join(good, 'model.json'), path.join(root, 'blobs', 'json-blob'));
    fs.copyFileSync(path.join(good, 'weights.bin'), path.join(root, 'blobs', 'weights-blob'));
    fs.symlinkSync('../../blobs/json-blob', path.join(root, 'snapshots', 'rev1', 'model.json'));
    fs.symlinkSync('../../blobs/weights-blob', path.join(root, 'snapshots', 'rev1', 'weights.bin'));
    return {root, snapshot: path.join(root, 'snapshots', 'rev1')};
  }

  it(
    'refused by default, loaded with allowedRoot (fileIO, ' +
      'loadLayersModelSafely, --allowed-root); outside that root ' +
      'still refused',
    async () => {
      const {root, snapshot} = cache();
      await expect((fileIO(snapshot).load as () => Promise<unknown>)()).rejects.toThrow(
        /model file .*model\.json: resolves to .*json-blob, outside .*rev1; name a wider folder/,
      );
      const model = await loadLayersModelSafely(fileIO(snapshot, {allowedRoot: root}));
      expect(model.countParams()).toBe(16);
      model.dispose();
      const plain = await tfl.loadLayersModel(
        fileIO(path.join(snapshot, 'model.json'), {allowedRoot: root}),
      );
      plain.dispose();
      expect((await cli('doctor', snapshot, '--out', path.join(tmp, 'cache.html'))).code).toBe(
        EXIT.missingFile,
      );
      expect(
        (
          await cli(
            '--allowed-root',
            root,
            'doctor',
            snapshot,
            '--out',
            path.join(tmp, 'cache.html'),
          )
        ).code,
      ).toBe(EXIT.ok);
      // The root bounds the links: one that leaves the cache is refused even with allowedRoot.
      fs.rmSync(path.join(snapshot, 'weights.bin'));
      fs.symlinkSync(secret, path.join(snapshot, 'weights.bin'));
      await expect(
        (fileIO(snapshot, {allowedRoot: root}).load as () => Promise<unknown>)(),
      ).rejects.toThrow(
        /weights file "weights\.bin" in .*rev1 \(weightsManifest\[0\]\.paths\[0\]\): resolves to .*secret\.bin, outside .*cache;/,
      );
    },
    QUICK,
  );

  it(
    'allowedRoot must be an existing folder that contains the model folder',
    async () => {
      await expect(
        (fileIO(good, {allowedRoot: path.join(tmp, 'none')}).load as () => Promise<unknown>)(),
      ).rejects.toThrow(
        /option `allowedRoot` must be an existing folder\. Received: allowedRoot=".*none" \(not found\)/,
      );
      const other = fs.mkdtempSync(path.join(tmp, 'other-'));
      await expect(
        (fileIO(good, {allowedRoot: other}).load as () => Promise<unknown>)(),
      ).rejects.toThrow(/option `allowedRoot` must contain the model folder .*good/);
      expect(() => fileIO(good, {allowedRoot: 42 as never})).toThrow(
        'fileIO: option `allowedRoot` must be the path of an ' +
          'existing folder (a non-empty string). Received: ' +
          'allowedRoot=42',
      );
      expect((await cli('--allowed-root', other, 'inspect', good)).code).toBe(EXIT.usage);
    },
    QUICK,
  );

  it(
    'hard-linked files (a pnpm store) are refused by default and load with allowHardLinks',
    async () => {
      const store = fs.mkdtempSync(path.join(tmp, 'store-'));
      const dir = folder('pnpm-like', (d) => {
        for (const f of ['model.json', 'weights.bin']) {
          fs.renameSync(path.join(d, f), path.join(store, f));
          fs.linkSync(path.join(store, f), path.join(d, f));
        }
      });
      await expect((fileIO(dir).load as () => Promise<unknown>)()).rejects.toThrow(
        /has 2 hard links: .*the option `allowHardLinks`/,
      );
      const model = await loadLayersModelSafely(fileIO(dir, {allowHardLinks: true}));
      expect(model.countParams()).toBe(16);
      model.dispose();
      expect(() => fileIO(dir, {allowHardLinks: 'yes' as never})).toThrow(
        'fileIO: option `allowHardLinks` must be true or false. Received: allowHardLinks="yes"',
      );
      expect((await cli('inspect', dir)).code).toBe(EXIT.missingFile);
      expect((await cli('--allow-hard-links', 'inspect', dir)).code).toBe(EXIT.ok);
      expect(
        (await cli('--allow-hard-links', 'doctor', dir, '--out', path.join(tmp, 'pnpm.html'))).code,
      ).not.toBe(EXIT.missingFile);
    },
    QUICK,
  );

  it(
    'a link to a file inside the folder, and a sub-folder, are fine',
    async () => {
      const dir = folder('inner-links', (d) => {
        fs.mkdirSync(path.join(d, 'data'));
        fs.renameSync(path.join(d, 'weights.bin'), path.join(d, 'data', 'w.bin'));
        fs.symlinkSync('data/w.bin', path.join(d, 'weights.bin'));
      });
      const model = await loadLayersModelSafely(fileIO(dir));
      expect(model.countParams()).toBe(16);
      model.dispose();
    },
    QUICK,
  );
});

describe('a file that changes between the check and the read', () => {
  const place = {
    owner: 'fileIO',
    parameter: 'weightsManifest[0].paths[0]',
    label: 'weights file "w.bin"',
  };

  it(
    'the bytes come from the file that was checked and opened, even when another takes its name',
    async () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'swap-'));
      const file = path.join(dir, 'w.bin');
      fs.writeFileSync(file, Buffer.alloc(8, 1));
      const opened = await openChecked(place, file, fs.realpathSync(dir), null);
      try {
        fs.rmSync(file);
        fs.symlinkSync(secret, file); // swapped after the check
        expect(Array.from(await readExactly(place, opened, 8))).toEqual(Array(8).fill(1));
      } finally {
        await opened.handle.close();
      }
    },
    QUICK,
  );

  it(
    'a file cut short or grown after it was opened is refused',
    async () => {
      const dir = fs.mkdtempSync(path.join(tmp, 'cut-'));
      const file = path.join(dir, 'w.bin');
      fs.writeFileSync(file, Buffer.alloc(64, 1));
      const root = fs.realpathSync(dir);
      const opened = await openChecked(place, file, root, null);
      fs.truncateSync(file, 10);
      await expect(readExactly(place, opened, 64)).rejects.toThrow(
        'weights file "w.bin": changed while it was being read: it ended after 10 of 64 bytes',
      );
      await opened.handle.close();
      fs.writeFileSync(file, Buffer.alloc(64, 1));
      const again = await openChecked(place, file, root, null);
      fs.appendFileSync(file, Buffer.alloc(4));
      await expect(readExactly(place, again, 64)).rejects.toThrow(
        'weights file "w.bin": changed while it was being read: it held 64 bytes, now 68',
      );
      await again.handle.close();
    },
    QUICK,
  );
});
