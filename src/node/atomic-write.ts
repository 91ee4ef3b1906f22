import {randomBytes} from 'crypto';
import {constants, promises as fs} from 'fs';
import * as path from 'path';
import {InitializerError} from '../core/errors';
import {readCheckedFile, type FilePlace} from './safe-read';

/**
 * Writes that survive a crash at any point (a SIGKILL, a power loss): after one, a reader finds the
 * old content or the new, complete, never a mix; what an interrupted write left behind is cleaned
 * (or finished) by the next write to the same place. docs/untrusted-models.md ("Saving") gives the
 * reasoning; `__tests__/node/crash.slow.test.ts` kills writers at every step and at random.
 *
 * The tools: data is written to a new hidden file (`.<name>.tmp-<12 hex>`) next to its final name
 * and `fsync`ed; then renamed over the final name (one atomic step), and the folder `fsync`ed so the
 * rename itself is on disk. A folder that does not exist yet is written in full as a hidden sibling
 * folder and renamed into place. A model is two files that must change together — `model.json`
 * names its weights file — so one rename cannot replace both; its commit point is the rename of
 * `model.json`, which at that moment names the new weights under their temporary name (see
 * {@link saveModelFiles}).
 */

/** Called after each step of a write, with the step's name; crash tests kill the process there. */
let stepHook: ((step: string) => void) | null = null;

/**
 * Installs (or, with null, removes) a function called after every step of every write in this
 * process — for crash tests, which kill the writer at a chosen step. Not part of the public API.
 */
export function setWriteStepHook(hook: ((step: string) => void) | null): void {
  stepHook = hook;
}

const step = (name: string): void => stepHook?.(name);

/** `.<name>.tmp-<12 hex>`: a temporary of ours (also the form earlier versions used). */
const TEMPORARY = /^\.(.+)\.tmp-[0-9a-f]{12}$/;

/** A name for a temporary file or folder next to `name`, hidden and unique. */
const temporary = (name: string): string => `.${name}.tmp-${randomBytes(6).toString('hex')}`;

/** Whether `entry` is a temporary of ours for the final name `name`. */
const isTemporaryOf = (entry: string, name: string): boolean => TEMPORARY.exec(entry)?.[1] === name;

async function exists(p: string): Promise<boolean> {
  try {
    await fs.lstat(p);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/**
 * `fsync` of a folder, so that the entries created, renamed or removed in it are on disk. Where
 * the platform cannot open or sync a folder (Windows), nothing is done.
 */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(dir, constants.O_RDONLY);
  } catch (e) {
    if (['EISDIR', 'EPERM', 'EACCES'].includes((e as NodeJS.ErrnoException).code ?? '')) return;
    throw e;
  }
  try {
    await handle.sync();
  } catch (e) {
    if (!['EINVAL', 'EPERM', 'EBADF'].includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await handle.close();
  }
}

/** Writes a new file (never through an existing name or link) and `fsync`s it before closing. */
async function writeNewFile(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes the temporaries of ours for the final names `names` in `dir`; true if there were any. */
async function removeTemporaries(
  dir: string,
  names: readonly string[],
  keep: ReadonlySet<string> = new Set(),
): Promise<boolean> {
  const found = (await fs.readdir(dir)).filter(
    (e) => !keep.has(e) && names.some((n) => isTemporaryOf(e, n)),
  );
  for (const entry of found) await fs.rm(path.join(dir, entry), {recursive: true, force: true});
  return found.length > 0;
}

/**
 * Writes `files` into the folder `target`, which does not exist: everything goes into a hidden
 * sibling of its first missing folder, each file and folder `fsync`ed, which is then renamed into
 * place (and its parent `fsync`ed): the folder appears complete or not at all. Leftovers of an
 * earlier interrupted attempt beside it are removed first; a failure removes its own.
 */
async function createFolder(
  target: string,
  files: ReadonlyArray<readonly [string, Uint8Array | string]>,
): Promise<void> {
  // The nearest folder that exists, and the first missing one below it.
  let base = path.dirname(target);
  let first = path.basename(target);
  while (!(await exists(base))) {
    first = path.basename(base);
    base = path.dirname(base);
  }
  if (await removeTemporaries(base, [first])) await syncFolder(base);
  const tmp = path.join(base, temporary(first));
  await fs.mkdir(tmp);
  try {
    const inner = path.join(tmp, path.relative(path.join(base, first), target));
    await fs.mkdir(inner, {recursive: true});
    for (const [name, data] of files) {
      await writeNewFile(path.join(inner, name), data);
      step(`wrote ${name}`);
    }
    // Each folder holds the entries below it: sync from the deepest up.
    for (let dir = inner; ; dir = path.dirname(dir)) {
      await syncFolder(dir);
      if (dir === tmp) break;
    }
    step('synced the new folder');
    await fs.rename(tmp, path.join(base, first));
    step('renamed the new folder into place');
    await syncFolder(base);
    step('synced its parent');
  } catch (e) {
    await fs.rm(tmp, {recursive: true, force: true});
    throw e;
  }
}

/** Fails (as an InitializerError of `owner`) when `dir` exists and is not a folder. */
async function existingFolder(owner: string, dir: string): Promise<boolean> {
  if (!(await exists(dir))) return false;
  if (!(await fs.stat(dir)).isDirectory())
    throw new InitializerError(owner, 'target', `${dir} exists and is not a folder`);
  return true;
}

/** Fails when `file` is a folder: a file cannot replace it. */
async function replaceable(file: string): Promise<void> {
  const stats = await fs.lstat(file).catch(() => null);
  if (stats !== null && stats.isDirectory())
    throw new Error(`${file} is a folder; a file cannot replace it`);
}

/**
 * Writes one file so that a crash or failure leaves the old file or the new one, complete: the
 * new content goes to a hidden temporary beside it, `fsync`ed, then renamed over the file, and the
 * folder `fsync`ed. A missing folder is created as {@link createFolder} does. Temporaries an
 * interrupted earlier write left for this file are removed first.
 */
export async function writeFileAtomically(
  owner: string,
  file: string,
  data: Uint8Array | string,
): Promise<void> {
  const dir = path.resolve(path.dirname(file));
  const name = path.basename(file);
  if (!(await existingFolder(owner, dir))) return createFolder(dir, [[name, data]]);
  await removeTemporaries(dir, [name]);
  await replaceable(path.join(dir, name));
  const tmp = path.join(dir, temporary(name));
  try {
    await writeNewFile(tmp, data);
    step(`wrote ${name}`);
    await syncFolder(dir);
    await fs.rename(tmp, path.join(dir, name));
    step(`renamed ${name} into place`);
  } catch (e) {
    await fs.rm(tmp, {force: true});
    throw e;
  }
  await syncFolder(dir);
  step('synced the folder');
}

/** A model as {@link saveModelFiles} writes it. */
export interface ModelFiles {
  /** The JSON file's name (`model.json`). */
  json: string;
  /** The weights file's name (`weights.bin`). */
  weightsFile: string;
  weights: Uint8Array;
  /** The JSON text, naming the weights file `weightsPath` in its manifest. */
  text: (weightsPath: string) => string;
}

/** The weights paths the JSON file in `dir` names, or [] when it cannot be read as a model. */
async function namedPaths(dir: string, json: string): Promise<string[]> {
  const place: FilePlace = {owner: 'fileIO', parameter: 'modelJSON', label: json};
  try {
    const root = await fs.realpath(dir);
    const bytes = await readCheckedFile(place, path.join(dir, json), root, {
      bytes: 2 ** 26,
      option: 'maxJsonBytes',
    });
    const manifest = (
      JSON.parse(Buffer.from(bytes).toString('utf8')) as {weightsManifest?: unknown}
    ).weightsManifest;
    if (!Array.isArray(manifest)) return [];
    return manifest.flatMap((g: {paths?: unknown}) =>
      Array.isArray(g?.paths) ? g.paths.filter((p): p is string => typeof p === 'string') : [],
    );
  } catch {
    return [];
  }
}

/**
 * The second half of a save, after its commit: `model.json` names the new weights by their
 * temporary name `committed`. Gives them their final name (a second name by a hard link — a copy
 * where the file system has none — renamed over the old weights file), then renames a `model.json`
 * that names the final name over the one that names the temporary, then removes the temporary
 * name. Every step leaves a model whose JSON names weights that are there; each is `fsync`ed.
 * Run by the save itself and, after a crash, by the next save ({@link recover}).
 */
async function finish(
  dir: string,
  files: ModelFiles,
  committed: string,
  text: string,
): Promise<void> {
  const source = path.join(dir, committed);
  const second = path.join(dir, temporary(files.weightsFile));
  try {
    await fs.link(source, second);
  } catch {
    await fs.copyFile(source, second, constants.COPYFILE_EXCL);
    const handle = await fs.open(second, 'r+');
    await handle.sync().finally(() => handle.close());
  }
  step('linked the weights to a second temporary name');
  await fs.rename(second, path.join(dir, files.weightsFile));
  step(`renamed the weights to ${files.weightsFile}`);
  await syncFolder(dir);
  const json = path.join(dir, temporary(files.json));
  await writeNewFile(json, text);
  step(`wrote the final ${files.json}`);
  await fs.rename(json, path.join(dir, files.json));
  step(`renamed the final ${files.json} into place`);
  await syncFolder(dir);
  await fs.unlink(source);
  step('removed the temporary weights name');
  await syncFolder(dir);
}

/**
 * Cleans up after a save to `dir` that was interrupted: when its `model.json` names weights by a
 * temporary name of ours, the save had committed — it is finished ({@link finish}); every other
 * temporary of ours for these two names is removed.
 */
async function recover(dir: string, files: ModelFiles): Promise<void> {
  const names = [files.json, files.weightsFile];
  const temporaries = (await fs.readdir(dir)).filter((e) => names.some((n) => isTemporaryOf(e, n)));
  if (temporaries.length === 0) return;
  const named = await namedPaths(dir, files.json);
  const committed = temporaries.find(
    (e) => named.includes(e) && isTemporaryOf(e, files.weightsFile),
  );
  if (committed !== undefined) {
    // Its JSON as it is, naming the final weights file instead of the temporary.
    const place: FilePlace = {owner: 'fileIO', parameter: 'modelJSON', label: files.json};
    const text = Buffer.from(
      await readCheckedFile(place, path.join(dir, files.json), await fs.realpath(dir), {
        bytes: 2 ** 26,
        option: 'maxJsonBytes',
      }),
    ).toString('utf8');
    const json = JSON.parse(text) as {weightsManifest: Array<{paths: string[]}>};
    for (const group of json.weightsManifest)
      group.paths = group.paths.map((p) => (p === committed ? files.weightsFile : p));
    await finish(dir, files, committed, JSON.stringify(json));
  }
  await removeTemporaries(dir, names, new Set(committed === undefined ? [] : [committed]));
  await syncFolder(dir);
  step('cleaned up after an interrupted save');
}

/**
 * Saves a model — its JSON file and one weights file — into `dir` so that after a crash at any
 * point (a SIGKILL, a power loss) the folder holds the old model or the new one, complete, and the
 * next save cleans up:
 *
 * - `dir` missing: written in full as a hidden sibling folder, then renamed into place
 *   ({@link createFolder}).
 * - `dir` a folder: first an interrupted earlier save is finished or its temporaries removed
 *   ({@link recover}). The new weights are written to a temporary name and `fsync`ed, the new JSON
 *   — naming the weights by that temporary name — too, and the folder `fsync`ed; the JSON is then
 *   renamed over `model.json`: the commit, one atomic rename, after which the new model is the one
 *   on disk. {@link finish} then moves it to its final names without ever leaving a JSON that names
 *   missing weights. Before the commit a failure removes the temporaries and rethrows.
 *
 * One writer at a time per folder: two saves into one folder at once may fail (never tear it).
 */
export async function saveModelFiles(owner: string, dir: string, files: ModelFiles): Promise<void> {
  const target = path.resolve(dir);
  if (!(await existingFolder(owner, target)))
    return createFolder(target, [
      [files.weightsFile, files.weights],
      [files.json, files.text(files.weightsFile)],
    ]);
  await recover(target, files);
  await replaceable(path.join(target, files.json));
  await replaceable(path.join(target, files.weightsFile));
  const weights = temporary(files.weightsFile);
  const written = [path.join(target, weights), path.join(target, temporary(files.json))];
  try {
    await writeNewFile(written[0], files.weights);
    step('wrote the weights under a temporary name');
    await writeNewFile(written[1], files.text(weights));
    step(`wrote a ${files.json} naming them`);
    await syncFolder(target);
    step('synced the folder');
    await fs.rename(written[1], path.join(target, files.json));
    written.pop();
    step(`committed: renamed the new ${files.json} into place`);
    await syncFolder(target);
    step('synced the commit');
  } catch (e) {
    await Promise.all(written.map((f) => fs.rm(f, {force: true})));
    throw e;
  }
  await finish(target, files, weights, files.text(files.weightsFile));
}
