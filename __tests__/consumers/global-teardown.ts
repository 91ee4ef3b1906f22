import * as fs from 'fs';

/** Removes the apps and the tarball (kept with TFJS_INIT_KEEP_CONSUMERS=1, to look into a failure). */
export default async function globalTeardown(): Promise<void> {
  const work = process.env.TFJS_INIT_CONSUMERS;
  if (work !== undefined && process.env.TFJS_INIT_KEEP_CONSUMERS !== '1')
    fs.rmSync(work, {recursive: true, force: true});
}
