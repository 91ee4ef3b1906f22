/**
 * `npm run test:consumers`, once before the tests: builds the package as `prepack` does, then packs
 * it the way `npm publish` would into a fresh temporary folder, where each test file then makes its
 * apps. The build runs on its own so that its output cannot mix with `npm pack --json`'s. The
 * folder is removed afterwards unless TFJS_INIT_KEEP_CONSUMERS=1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {npm, ROOT} from './npm';

export default async function globalSetup(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-consumers-'));
  const t0 = Date.now();
  npm(ROOT, ['run', 'build']);
  const packed = npm(ROOT, ['pack', '--json', '--ignore-scripts', '--pack-destination', work]);
  const [{filename}] = JSON.parse(packed) as Array<{filename: string}>;
  process.env.TFJS_INIT_CONSUMERS = work;
  process.env.TFJS_INIT_TARBALL = path.join(work, filename);
  process.stdout.write(
    `\n[consumers] packed ${filename} in ${((Date.now() - t0) / 1000).toFixed(1)} s; apps in ${work}\n`,
  );
}
