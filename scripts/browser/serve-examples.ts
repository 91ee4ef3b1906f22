/**
 * `npm run demo:browser`: builds the package if needed and serves the repository root on
 * 127.0.0.1, so examples/browser/ can be opened in a browser. Ctrl-C stops it.
 */
import {execFileSync} from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {ROOT, startServer} from './server';

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'browser', 'tfjs-initializers.mjs')))
    execFileSync('npx', ['tsup', '--silent'], {cwd: ROOT, stdio: 'inherit'});
  const server = await startServer();
  console.log(
    `demo: ${server.origin}/examples/browser/  (add ?backend=wasm, cpu or webgpu; Ctrl-C stops)`,
  );
  process.on('SIGINT', () => {
    void server.close().then(() => process.exit(0));
  });
}

void main();
