#!/usr/bin/env node
'use strict';
// The `tfjs-init` command. In an installed package it runs the build, dist/cli.js. In a source
// checkout (where the devDependency tsx is installed) it runs the TypeScript source through tsx,
// so `npx tfjs-init` works right after `npm ci`, without a build step, and never runs stale code.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const source = path.join(root, 'src', 'cli', 'bin.ts');
const built = path.join(root, 'dist', 'cli.js');

function tsxApi() {
  try {
    return require.resolve('tsx/cjs/api', {paths: [root]});
  } catch {
    return null;
  }
}

const tsx = fs.existsSync(source) ? tsxApi() : null;
if (tsx !== null) {
  require(tsx).register();
  require(source);
} else if (fs.existsSync(built)) {
  require(built);
} else {
  process.stderr.write('tfjs-init: no build found (dist/cli.js); run `npm run build` first\n');
  process.exitCode = 6;
}
