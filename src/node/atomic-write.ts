import {randomBytes} from 'crypto';
import {constants, promises as fs, renameSync} from 'fs';
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

/** Whether the JSON file in `dir` holds exactly `text` (read as {@link namedPaths} reads it). */
async function sameText(dir: string, json: string, text: string): Promise<boolean> {
  const place: FilePlace = {owner: 'fileIO', parameter: 'modelJSON', label: json};
  try {
    const bytes = await readCheckedFile(place, path.join(dir, json), await fs.realpath(dir), {
      bytes: 2 ** 26,
      option: 'maxJsonBytes',
    });
    return Buffer.from(bytes).equals(Buffer.from(text, 'utf8'));
  } catch {
    return false;
  }
}

/** A second name for `source` at `second`: a hard link, or an `fsync`ed copy where there are none. */
async function secondName(source: string, second: string): Promise<void> {
  try {
    await fs.link(source, second);
  } catch {
    await fs.copyFile(source, second, constants.COPYFILE_EXCL);
    const handle = await fs.open(second, 'r+');
    await handle.sync().finally(() => handle.close());
  }
}

/**
 * Publishes a prepared model with three renames made back to back, with no wait between them
 * (synchronous calls: a kill lands before, between or after them, and nothing else runs there):
 *
 * 1. `bridge` over the JSON file — **the commit**: a JSON that names the new weights by their
 *    temporary name `weights`, which exist;
 * 2. `second` (another name of the new weights) over the weights file: the JSON on disk still
 *    names `weights`, the same data;
 * 3. `final` over the JSON file: a JSON that names the weights file.
 *
 * After each, the JSON on disk names weights that are there and belong to it. The folder is
 * `fsync`ed after them (a journaling file system applies a folder's renames in order, so a power
 * loss keeps a prefix of the three), then the temporary name `weights` is removed.
 */
async function publish(
  dir: string,
  files: ModelFiles,
  names: {bridge: string; second: string; final: string; weights: string},
): Promise<void> {
  const json = path.join(dir, files.json);
  renameSync(path.join(dir, names.bridge), json);
  step(`committed: renamed a ${files.json} naming the new weights into place`);
  renameSync(path.join(dir, names.second), path.join(dir, files.weightsFile));
  step(`renamed the new weights to ${files.weightsFile}`);
  renameSync(path.join(dir, names.final), json);
  step(`renamed the final ${files.json} into place`);
  await syncFolder(dir);
  step('synced the folder');
  await fs.unlink(path.join(dir, names.weights));
  step('removed the temporary weights name');
  await syncFolder(dir);
}

/**
 * Cleans up after a save to `dir` that was interrupted: when its JSON file names weights by a
 * temporary name of ours, the save had committed, and it is finished — the weights get their final
 * name and the JSON is rewritten to name it, as {@link publish} would have; every other temporary
 * of ours for the two names is removed.
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
    const second = temporary(files.weightsFile);
    const final = temporary(files.json);
    await secondName(path.join(dir, committed), path.join(dir, second));
    await writeNewFile(path.join(dir, final), JSON.stringify(json));
    await syncFolder(dir);
    renameSync(path.join(dir, second), path.join(dir, files.weightsFile));
    step(`finishing: renamed the committed weights to ${files.weightsFile}`);
    renameSync(path.join(dir, final), path.join(dir, files.json));
    step(`finishing: renamed the final ${files.json} into place`);
    await syncFolder(dir);
  }
  await removeTemporaries(dir, names);
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
 *   ({@link recover}). When the JSON file already holds exactly the new JSON (new values for the
 *   same model, as `reinit` writes), only the weights file is replaced, in one rename
 *   ({@link writeFileAtomically}). Otherwise everything is prepared under temporary names, each file `fsync`ed: the
 *   new weights, a second name of them, a JSON naming the weights by their temporary name (the
 *   bridge) and the final JSON; the folder is `fsync`ed; {@link publish} then renames the bridge
 *   over the JSON file (the commit), the second name over the weights file and the final JSON over
 *   the JSON file, back to back. Before the commit a failure removes the temporaries and rethrows.
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
  const final = files.text(files.weightsFile);
  // The JSON unchanged (new values for the same model): only the weights file changes, in one rename.
  if (
    (await namedPaths(target, files.json)).length > 0 &&
    (await sameText(target, files.json, final))
  )
    return writeFileAtomically(owner, path.join(target, files.weightsFile), files.weights);
  const names = {
    weights: temporary(files.weightsFile),
    second: temporary(files.weightsFile),
    bridge: temporary(files.json),
    final: temporary(files.json),
  };
  const written: string[] = [];
  try {
    written.push(path.join(target, names.weights));
    await writeNewFile(written[0], files.weights);
    step('wrote the weights under a temporary name');
    written.push(path.join(target, names.second));
    await secondName(written[0], written[1]);
    step('gave them a second temporary name');
    written.push(path.join(target, names.bridge));
    await writeNewFile(written[2], files.text(names.weights));
    step(`wrote a ${files.json} naming them by their temporary name`);
    written.push(path.join(target, names.final));
    await writeNewFile(written[3], final);
    step(`wrote the final ${files.json}`);
    await syncFolder(target);
    step('synced the folder');
  } catch (e) {
    await Promise.all(written.map((f) => fs.rm(f, {force: true})));
    throw e;
  }
  await publish(target, files, names);
}
