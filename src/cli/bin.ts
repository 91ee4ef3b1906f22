#!/usr/bin/env node
/** The `tfjs-init` executable: runs the CLI on the process arguments and exits with its code. */
import {enableProdMode} from '@tensorflow/tfjs-core';
import {runCli} from './main';

enableProdMode();
runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
