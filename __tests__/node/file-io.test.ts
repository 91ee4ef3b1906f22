/**
 * fileIO's save writes to temporary names and renames them at the end: a save that fails leaves no
 * partial model, file or folder behind, and one that succeeds leaves no temporary file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tfl from '@tensorflow/tfjs-layers';
import {fileIO} from '../../src/node';
import {writeFileAtomically} from '../../src/node/atomic-write';

let tmp: string;
let model: tfl.LayersModel;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'file-io-'));
  model = tfl.sequential({layers: [tfl.layers.dense({units: 4, inputShape: [3]})]});
});
afterAll(() => {
  model.dispose();
  fs.rmSync(tmp, {recursive: true, force: true});
});

/** Every name under `dir`, recursively. */
const tree = (dir: string): string[] => (fs.readdirSync(dir, {recursive: true}) as string[]).sort();

describe('fileIO save', () => {
  it('into folders that do not exist yet: they appear complete, with no temporary left', async () => {
    await model.save(fileIO(path.join(tmp, 'new', 'a', 'b')));
    expect(tree(path.join(tmp, 'new'))).toEqual(['a', 'a/b', 'a/b/model.json', 'a/b/weights.bin']);
    const back = await tfl.loadLayersModel(fileIO(path.join(tmp, 'new', 'a', 'b')));
    expect(back.countParams()).toBe(16);
    back.dispose();
  });

  it('over an existing model: both files replaced, nothing else changed or left', async () => {
    const dir = path.join(tmp, 'existing');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'model.json'), 'old');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'kept');
    await model.save(fileIO(dir));
    expect(tree(dir)).toEqual(['model.json', 'notes.txt', 'weights.bin']);
    expect(fs.readFileSync(path.join(dir, 'model.json'), 'utf8')).not.toBe('old');
  });

  it('a save that cannot complete leaves nothing: no folder, no partial file, no temporary', async () => {
    // The target's parent is a file: nothing can be created.
    fs.writeFileSync(path.join(tmp, 'a-file'), 'x');
    await expect(model.save(fileIO(path.join(tmp, 'a-file', 'model')))).rejects.toThrow();
    expect(fs.readFileSync(path.join(tmp, 'a-file'), 'utf8')).toBe('x');
    // model.json is taken by a folder: refused before either file is replaced.
    const dir = path.join(tmp, 'blocked');
    fs.mkdirSync(path.join(dir, 'model.json'), {recursive: true});
    fs.writeFileSync(path.join(dir, 'weights.bin'), 'old weights');
    await expect(model.save(fileIO(dir))).rejects.toThrow(
      /model\.json is a folder; a file cannot replace it/,
    );
    expect(tree(dir)).toEqual(['model.json', 'weights.bin']);
    expect(fs.readFileSync(path.join(dir, 'weights.bin'), 'utf8')).toBe('old weights');
    // The target is a file.
    await expect(model.save(fileIO(path.join(tmp, 'a-file')))).rejects.toThrow(
      `fileIO: ${path.join(tmp, 'a-file')} exists and is not a folder`,
    );
    expect(tree(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('writeFileAtomically: a file appears whole or not at all', async () => {
    const file = path.join(tmp, 'report', 'r.html');
    await writeFileAtomically('tfjs-init', file, 'hello');
    expect(fs.readFileSync(file, 'utf8')).toBe('hello');
    const folderInTheWay = path.join(tmp, 'report', 'taken');
    fs.mkdirSync(folderInTheWay);
    await expect(writeFileAtomically('tfjs-init', folderInTheWay, 'x')).rejects.toThrow(
      /is a folder/,
    );
    expect(tree(path.join(tmp, 'report'))).toEqual(['r.html', 'taken']);
  });
});
