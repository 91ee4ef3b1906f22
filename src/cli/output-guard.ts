import {promises as fs} from 'fs';
import * as path from 'path';
import {WEIGHTS_FILE, locate} from '../node/file-io';
import type {ModelFile} from './model-file';
import {CliError, EXIT} from './exit-codes';

/**
 * Where a path leads once written to: resolved as the writer resolves it (`path.resolve`, which
 * removes `..` by the letters: `b/nosuch/..` is `b`, whether or not `nosuch` exists), then its
 * longest existing part with every symbolic link resolved, then the part that does not exist yet.
 */
export async function resolvedPath(p: string): Promise<string> {
  const rest: string[] = [];
  let at = path.resolve(p);
  for (;;) {
    try {
      return path.join(await fs.realpath(at), ...rest.reverse());
    } catch {
      const parent = path.dirname(at);
      if (parent === at) return path.resolve(p);
      rest.push(path.basename(at));
      at = parent;
    }
  }
}

/** Device and inode of what `p` leads to (links followed), or null when nothing is there. */
async function identity(p: string): Promise<string | null> {
  try {
    const s = await fs.stat(p);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/** What a command reads: the model's folder, its model.json and every file its manifest names. */
async function sources(model: ModelFile): Promise<{folder: string; files: string[]}> {
  const folder = path.dirname(model.file);
  const files = [model.file];
  const manifest = model.json.weightsManifest;
  if (Array.isArray(manifest))
    for (const group of manifest as Array<{paths?: unknown}>)
      if (Array.isArray(group.paths))
        for (const p of group.paths) if (typeof p === 'string') files.push(path.join(folder, p));
  return {folder, files};
}

/** Whether two paths lead to one place: the same resolved path, or the same existing file. */
async function same(a: string, b: string): Promise<boolean> {
  if ((await resolvedPath(a)) === (await resolvedPath(b))) return true;
  const [x, y] = await Promise.all([identity(a), identity(b)]);
  return x !== null && x === y;
}

/**
 * Refuses (exit 2), before anything is written, outputs that would overwrite the model a command
 * reads: a folder that resolves to the model's folder, or a file that resolves to its model.json or
 * to any file its weights manifest names — by any spelling (`a/./b`, `b/nosuch/..`, a trailing
 * slash), through symbolic links, or as another name of the same file. `option` names the flag.
 */
export async function refuseOutputOverModel(
  model: ModelFile,
  option: string,
  value: string,
  output: {folder?: string; files: string[]},
): Promise<void> {
  const source = await sources(model);
  if (output.folder !== undefined && (await same(output.folder, source.folder))) {
    throw new CliError(
      EXIT.usage,
      `${option} ${value} is the folder the model is read from ` +
        `(${await resolvedPath(source.folder)}); write the new model to another folder`,
    );
  }
  for (const file of output.files)
    for (const read of source.files)
      if (await same(file, read))
        throw new CliError(
          EXIT.usage,
          `${option} ${value} would write ${await resolvedPath(file)}, which is ` +
            `${read === model.file ? 'the model file' : 'a weights file of the model'} being ` +
            `read (${read}); write to another place`,
        );
}

/** {@link refuseOutputOverModel} for `--out` of `reinit`: the folder and the two files fileIO writes. */
export async function refuseModelOutputOverModel(model: ModelFile, out: string): Promise<void> {
  const {dir, json} = locate(out);
  await refuseOutputOverModel(model, '--out', out, {
    folder: dir,
    files: [path.join(dir, path.basename(json)), path.join(dir, WEIGHTS_FILE)],
  });
}
