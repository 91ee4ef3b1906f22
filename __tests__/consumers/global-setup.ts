/**
 * `npm run test:consumers`, once before the tests: packs the package the way `npm publish` would
 * (`npm pack` runs `prepack`, the build) into a fresh temporary folder, where each test file then
 * makes its apps. The folder is removed afterwards unless TFJS_INIT_KEEP_CONSUMERS=1.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {npm, ROOT} from './npm';

export default async function globalSetup(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-init-consumers-'));
  const t0 = Date.now();
  const packed = npm(ROOT, ['pack', '--json', '--pack-destination', work]);
  const [{filename}] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{filename: string}>;
  process.env.TFJS_INIT_CONSUMERS = work;
  process.env.TFJS_INIT_TARBALL = path.join(work, filename);
  process.stdout.write(`\n[consumers] packed ${filename} in ${((Date.now() - t0) / 1000).toFixed(1)} s; apps in ${work}\n`);
}
