import {constants, promises as fs, type Stats} from 'fs';
import * as path from 'path';
import {InitializerError} from '../core/errors';

/**
 * Reading model files that may be hostile. A file is opened once, and what was opened is checked
 * before a byte is read: a regular file (not a folder, FIFO, socket or device), whose real path
 * (symbolic links resolved) lies inside the allowed folder, with one name only (a hard link's other
 * name could lie anywhere), of the size the caller expects; then exactly that many bytes are read
 * from the opened descriptor. Opening is non-blocking, so a FIFO cannot hang it.
 */

/** How a refusal names the file: `<owner>: <label>: <reason>`, with `parameter` the file's place. */
export interface FilePlace {
  owner: string;
  parameter: string;
  /** `model file m/model.json`, `weights file m/weights.bin (weightsManifest[0].paths[0])`. */
  label: string;
}

/** A file opened by {@link openChecked}: its handle and its size as `fstat` gave it. */
export interface OpenedFile {
  handle: fs.FileHandle;
  size: number;
  /** Device and inode, to tell two names of one file apart. */
  id: string;
}

/** Text that tells how to widen the allowed folder, for every message that refuses a path outside it. */
export const WIDEN_ROOT =
  'name a wider folder with the option `allowedRoot` (tfjs-init: --allowed-root) to allow it';

/** Largest piece one `read` call asks for. */
const CHUNK = 2 ** 26;

const OPEN_FLAGS =
  constants.O_RDONLY |
  (constants.O_NONBLOCK ?? 0) |
  (constants.O_NOFOLLOW ?? 0) |
  (constants.O_NOCTTY ?? 0);

export function refuse(place: FilePlace, reason: string): InitializerError {
  return new InitializerError(place.owner, place.parameter, `${place.label}: ${reason}`);
}

/** Why a file system call failed, in words. */
function errnoReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'not found';
    case 'ENOTDIR':
      return 'not found (a part of its path is not a folder)';
    case 'ELOOP':
      return 'is a loop of symbolic links (or too many of them)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    case 'ENAMETOOLONG':
      return 'has a name too long for the file system';
    case 'EMFILE':
    case 'ENFILE':
      return 'cannot be opened: too many files are open';
    default:
      return `cannot be opened (${code ?? (e as Error).message})`;
  }
}

/** What kind of file a stat describes, for a refusal. */
function kind(stats: Stats): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

/** Whether `file` (a real path) is `root` or lies inside it. */
export function isInside(file: string, root: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

/**
 * The real path of the folder files may come from: `folder`'s, or `allowedRoot`'s when given,
 * which must then contain `folder`. Fails (with `place`) when either does not exist.
 */
export async function allowedFolder(
  place: FilePlace,
  folder: string,
  allowedRoot: string | undefined,
): Promise<string> {
  let real: string;
  try {
    real = await fs.realpath(folder);
  } catch (e) {
    throw refuse(place, `its folder ${folder} ${errnoReason(e)}`);
  }
  if (allowedRoot === undefined) return real;
  let root: string;
  try {
    root = await fs.realpath(allowedRoot);
  } catch (e) {
    throw new InitializerError(
      place.owner,
      'allowedRoot',
      `option \`allowedRoot\` must be an existing folder. ` +
        `Received: allowedRoot=${JSON.stringify(allowedRoot)} ` +
        `(${errnoReason(e)})`,
    );
  }
  if (!isInside(real, root)) {
    throw new InitializerError(
      place.owner,
      'allowedRoot',
      `option \`allowedRoot\` must contain the model ` +
        `folder ${real}. Received: ` +
        `allowedRoot=${JSON.stringify(allowedRoot)} (${root})`,
    );
  }
  return root;
}

/** On Linux, the path of what a descriptor has open (null where /proc is not there). */
async function openedPath(handle: fs.FileHandle): Promise<string | null> {
  try {
    return await fs.readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return null;
  }
}

/**
 * Whether every name of the file `real` (a real path) is in its own folder: a save moving new
 * weights to their final name gives them a second name there for a moment (`saveModelFiles`), and
 * a file whose names are all in the folder exposes nothing outside it. Lists the folder only for a
 * file with several names.
 */
async function namesBeside(real: string, stats: Stats): Promise<boolean> {
  const dir = path.dirname(real);
  let found = 0;
  try {
    for (const entry of await fs.readdir(dir)) {
      const s = await fs.lstat(path.join(dir, entry));
      if (s.dev === stats.dev && s.ino === stats.ino) found++;
    }
  } catch {
    return false;
  }
  return found >= stats.nlink;
}

/**
 * Opens `file` for reading after checking, and checks again on the opened descriptor, that it is a
 * regular file whose real path lies inside `root` (null: anywhere, for files the user names
 * directly) with one name only, of at most `maxBytes.bytes` bytes (the option that sets it named
 * in the refusal). Nothing is read. The caller closes the
 * handle. Refusals are InitializerErrors that name the file (`place`) and the reason.
 */
export async function openChecked(
  place: FilePlace,
  file: string,
  root: string | null,
  maxBytes: {bytes: number; option: string} | null,
  hardLinks = false,
): Promise<OpenedFile> {
  if (file.includes('\0')) throw refuse(place, 'its name contains a NUL byte');
  let real: string;
  let before: Stats;
  try {
    real = await fs.realpath(file);
    before = await fs.stat(real);
  } catch (e) {
    throw refuse(place, errnoReason(e));
  }
  if (root !== null && !isInside(real, root))
    throw refuse(place, `resolves to ${real}, outside ${root}; ${WIDEN_ROOT}`);
  if (!before.isFile()) throw refuse(place, `is ${kind(before)}, not a regular file`);
  const links = (n: number): string =>
    `has ${n} hard links: its other names may lie ` +
    `outside ${root}, so it is refused; copy it into the folder, ` +
    `or pass the option \`allowHardLinks\` (tfjs-init: ` +
    `--allow-hard-links) if you trust every name it has (a pnpm ` +
    `store links files this way)`;
  if (root !== null && !hardLinks && before.nlink > 1 && !(await namesBeside(real, before)))
    throw refuse(place, links(before.nlink));
  let handle: fs.FileHandle;
  try {
    // Non-blocking (a FIFO swapped in cannot hang the open), not following a link swapped in.
    handle = await fs.open(real, OPEN_FLAGS);
  } catch (e) {
    throw refuse(
      place,
      (e as NodeJS.ErrnoException).code === 'ELOOP'
        ? 'changed while it was being opened (it is now a symbolic link)'
        : errnoReason(e),
    );
  }
  try {
    const now = await handle.stat();
    if (!now.isFile())
      throw refuse(place, `changed while it was being opened (it is now ${kind(now)})`);
    if (now.dev !== before.dev || now.ino !== before.ino)
      throw refuse(place, 'changed while it was being opened (another file took its name)');
    if (root !== null && !hardLinks && now.nlink > 1 && !(await namesBeside(real, now)))
      throw refuse(place, links(now.nlink));
    const opened = root === null ? null : await openedPath(handle);
    if (opened !== null && !isInside(opened, root as string))
      throw refuse(
        place,
        `changed while it was being opened (it is now ${opened}, outside ${root})`,
      );
    if (maxBytes !== null && now.size > maxBytes.bytes)
      throw refuse(
        place,
        `holds ${now.size} bytes, more than the ${maxBytes.bytes} allowed (option ${maxBytes.option})`,
      );
    return {handle, size: now.size, id: `${now.dev}:${now.ino}`};
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Reads exactly `bytes` bytes from an opened file, from its start, and no byte more; fails when the
 * file turns out shorter or its size changes while it is read (it was swapped or written to).
 */
export async function readExactly(
  place: FilePlace,
  file: OpenedFile,
  bytes: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(bytes);
  let done = 0;
  while (done < bytes) {
    const {bytesRead} = await file.handle.read(out, done, Math.min(CHUNK, bytes - done), done);
    if (bytesRead === 0)
      throw refuse(
        place,
        `changed while it was being read: it ended after ${done} of ${bytes} bytes`,
      );
    done += bytesRead;
  }
  const after = await file.handle.stat();
  if (after.size !== file.size)
    throw refuse(
      place,
      `changed while it was being read: it held ${file.size} bytes, now ${after.size}`,
    );
  return out;
}

/**
 * Reads a whole file through {@link openChecked}: a regular file inside `root` (null: anywhere) of
 * at most `maxBytes` bytes, read once from its descriptor.
 */
export async function readCheckedFile(
  place: FilePlace,
  file: string,
  root: string | null,
  maxBytes: {bytes: number; option: string},
  hardLinks = false,
): Promise<Uint8Array> {
  const opened = await openChecked(place, file, root, maxBytes, hardLinks);
  try {
    return await readExactly(place, opened, opened.size);
  } finally {
    await opened.handle.close();
  }
}

/** Parses UTF-8 JSON text, refusing it with `place` when it is not valid JSON. */
export function parseJson(place: FilePlace, bytes: Uint8Array): unknown {
  try {
    return JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'),
    );
  } catch (e) {
    throw refuse(place, `is not valid JSON: ${(e as Error).message}`);
  }
}

/** {@link readCheckedFile}, then {@link parseJson}: a model.json, a CLI input file. */
export async function readJsonFile(
  place: FilePlace,
  file: string,
  root: string | null,
  maxBytes: {bytes: number; option: string},
  hardLinks = false,
): Promise<unknown> {
  return parseJson(place, await readCheckedFile(place, file, root, maxBytes, hardLinks));
}
