/** `tfjs-init` run in-process with its stdout and stderr captured, for the CLI tests. */
import type {CliIo} from '../../src/cli/exit-codes';
import {runCli} from '../../src/cli/main';

/** What one command printed, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs `tfjs-init <args>` with `extra` io hooks (e.g. `progress`), capturing out and err. */
export async function runCliCaptured(args: string[], extra: Partial<CliIo> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {out: (t) => out.push(t), err: (t) => err.push(t), ...extra});
  return {code, out: out.join('\n'), err: err.join('\n')};
}
