import {randomBytes} from 'crypto';
import {promises as fs} from 'fs';
import * as path from 'path';
import {InitializerError} from '../core/errors';

/** A name for a temporary file or folder next to `name`, hidden and unique. */
const temporary = (name: string): string => `.${name}.tmp-${randomBytes(6).toString('hex')}`;

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
 * Writes `files` (name → content) into the folder `dir` so that a failure leaves nothing behind:
 *
 * - `dir` does not exist yet: everything is written into a temporary folder next to the first
 *   missing folder of its path, which is renamed into place at the end (one atomic step: the
 *   folder appears complete or not at all);
 * - `dir` exists: each file is written to a temporary name in `dir` first; once all are written
 *   they are renamed over the old ones (each rename atomic).
 *
 * On failure every temporary file or folder is removed and the error rethrown (as an
 * InitializerError of `owner` when `dir` is not a folder).
 */
export async function writeFilesAtomically(
  owner: string,
  dir: string,
  files: ReadonlyArray<readonly [string, Uint8Array | string]>,
): Promise<void> {
  const target = path.resolve(dir);
  if (await exists(target)) {
    const stats = await fs.stat(target);
    if (!stats.isDirectory())
      throw new InitializerError(owner, 'target', `${dir} exists and is not a folder`);
    await replaceFiles(target, files);
    return;
  }
  // The nearest folder that exists, and the first missing one below it.
  let base = path.dirname(target);
  let first = path.basename(target);
  while (!(await exists(base))) {
    first = path.basename(base);
    base = path.dirname(base);
  }
  const tmp = path.join(base, temporary(first));
  await fs.mkdir(tmp);
  try {
    const inner = path.join(tmp, path.relative(path.join(base, first), target));
    await fs.mkdir(inner, {recursive: true});
    for (const [name, data] of files)
      await fs.writeFile(path.join(inner, name), data, {flag: 'wx'});
    await fs.rename(tmp, path.join(base, first));
  } catch (e) {
    await fs.rm(tmp, {recursive: true, force: true});
    throw e;
  }
}

/** Writes each file to a temporary name in `dir`, then renames them all into place. */
async function replaceFiles(
  dir: string,
  files: ReadonlyArray<readonly [string, Uint8Array | string]>,
): Promise<void> {
  // A rename can only fail part-way if a name is taken by something a file cannot replace: check first.
  for (const [name] of files) {
    const stats = await fs.lstat(path.join(dir, name)).catch(() => null);
    if (stats !== null && stats.isDirectory())
      throw new Error(`${path.join(dir, name)} is a folder; a file cannot replace it`);
  }
  const written: Array<[string, string]> = [];
  try {
    for (const [name, data] of files) {
      const tmp = path.join(dir, temporary(name));
      written.push([tmp, path.join(dir, name)]);
      await fs.writeFile(tmp, data, {flag: 'wx'}); // never through an existing name or link
    }
    while (written.length > 0) {
      const [tmp, final] = written[0];
      await fs.rename(tmp, final);
      written.shift();
    }
  } catch (e) {
    await Promise.all(written.map(([tmp]) => fs.rm(tmp, {force: true})));
    throw e;
  }
}

/** Writes one file so that a failure leaves nothing behind (see {@link writeFilesAtomically}). */
export async function writeFileAtomically(
  owner: string,
  file: string,
  data: Uint8Array | string,
): Promise<void> {
  await writeFilesAtomically(owner, path.dirname(file), [[path.basename(file), data]]);
}
