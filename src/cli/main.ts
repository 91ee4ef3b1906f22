import {Command, CommanderError} from 'commander';
import '../index';
import {version as VERSION} from '../../package.json';
import {doctorCommand} from './doctor';
import {inspectCommand} from './inspect';
import {reinitCommand} from './reinit';
import {CliError, EXIT, type CliIo} from './exit-codes';
import {RULE_SYNTAX} from './rules';
import type {ModelFileAccess} from './model-file';

const processIo: CliIo = {
  out: (t) => process.stdout.write(`${t}\n`),
  err: (t) => process.stderr.write(`${t}\n`),
  // A terminal gets progress lines rewritten in place; a pipe or a file gets none.
  ...(process.stderr.isTTY === true
    ? {progress: (line: string | null) => process.stderr.write(`\r\x1b[K${line ?? ''}`)}
    : {}),
};

/**
 * Runs `tfjs-init` with the given arguments (without `node` and the script) and resolves to the
 * exit code; never calls `process.exit`, so tests run it in-process. See {@link EXIT} for codes.
 *
 * @example
 * ```ts
 * const code = await runCli(['inspect', 'model/model.json']);
 * ```
 */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('tfjs-init')
    .description('Inspect, diagnose and re-initialize the weights of TensorFlow.js LayersModels.')
    .version(VERSION)
    .option(
      '--backend <name>',
      'tfjs backend: tensorflow, wasm or cpu (default: the fastest present)',
    )
    .option(
      '--allowed-root <dir>',
      'folder the model files may resolve into through symbolic ' +
        'links (default: the model folder), e.g. a cache of ' +
        'shared blobs',
    )
    .option('--verbose', 'also say on stderr which tfjs backend runs the command')
    .option(
      '--allow-hard-links',
      'accept model files with several names (hard links), e.g. a package installed by pnpm; refused by default',
    )
    .option(
      '--allow-missing-weights',
      'read a folder whose manifest names weights files that are not there as its topology ' +
        '(fresh weights), with a note; refused by default',
    )
    .exitOverride()
    .configureOutput({writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd())})
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 problems found, 2 usage error, 3 file ' +
        'missing, 4 malformed JSON or not a model,\n5 unregistered ' +
        'class, 6 could not load/run/save.',
    );
  const backend = (): string | undefined => program.opts<{backend?: string}>().backend;
  /** The commands' output: with --verbose, the lines for it go to stderr; progress as given. */
  const commandIo = (): CliIo => ({
    out: io.out,
    err: io.err,
    ...(io.progress === undefined ? {} : {progress: io.progress}),
    ...(program.opts<{verbose?: boolean}>().verbose === true ? {verbose: io.err} : {}),
  });
  /** How model files may be reached: the global --allowed-root and --allow-hard-links. */
  const files = (): ModelFileAccess => {
    const o = program.opts<{
      allowedRoot?: string;
      allowHardLinks?: boolean;
      allowMissingWeights?: boolean;
    }>();
    return {
      allowedRoot: o.allowedRoot,
      allowHardLinks: o.allowHardLinks === true,
      allowMissingWeights: o.allowMissingWeights === true,
    };
  };
  program
    .command('inspect')
    .description("list every layer's initializers and flag problems (no weights are loaded)")
    .argument('<model>', 'model.json, or the directory holding it')
    .option('--json', 'print the inspection as JSON')
    .action(async (model: string, opts: {json?: boolean}) => {
      code = await inspectCommand(
        model,
        {...opts, backend: backend(), files: files()},
        commandIo(),
      );
    });
  program
    .command('doctor')
    .description(
      'run one forward and backward pass and report how signal and gradient flow through the layers',
    )
    .argument('<model>', 'model.json, or the directory holding it')
    .option(
      '--batch <n>',
      'size of the random batch (default: the largest, up to 32, that fits the time budget)',
    )
    .option(
      '--time-budget <seconds>',
      'seconds the analysis should take, by an estimate from the model (default: 60)',
    )
    .option(
      '--fresh',
      "ignore the weights files: analyse fresh weights drawn from the layers' initializers with --seed",
    )
    .option(
      '--input <file>',
      'JSON nested array to use as the batch instead of random N(0, 1) input',
    )
    .option(
      '--seed <n>',
      'seed of the random batch, of the random output gradient and of fresh weights',
      '0',
    )
    .option(
      '--out <file>',
      'where to write the HTML report (needs the optional packages vega and vega-lite) (default: "init-report.html")',
    )
    .option('--json', 'print the diagnostics as JSON')
    .option(
      '--training',
      'run layers as in a training step: batch statistics in batch normalization, dropout on (the default)',
    )
    .option(
      '--inference',
      'run layers as predict() does: moving statistics in batch normalization, no dropout (for trained models)',
    )
    .option(
      '--max-memory <MiB>',
      'memory the analysis may take; a larger batch is shrunk ' +
        '(default: 2048 on wasm, else a third of the machine, ' +
        'at most 8192)',
    )
    .action(
      async (
        model: string,
        opts: {
          batch?: string;
          input?: string;
          seed?: string;
          out?: string;
          json?: boolean;
          training?: boolean;
          inference?: boolean;
          maxMemory?: string;
          timeBudget?: string;
          fresh?: boolean;
        },
      ) => {
        code = await doctorCommand(
          model,
          {...opts, backend: backend(), files: files()},
          commandIo(),
        );
      },
    );
  program
    .command('reinit')
    .description('write a freshly initialized copy of the model (optionally with LSUV)')
    .argument('<model>', 'model.json, or the directory holding it')
    .requiredOption('--out <dir>', 'directory for the new model.json and weights.bin')
    .option('--seed <n>', 'seed: weight k is drawn with deriveSeed(seed, k)')
    .option('--lsuv', 'then apply LSUV (Mishkin & Matas 2016) on a batch')
    .option('--batch <n>', 'size of the random LSUV batch', '64')
    .option('--input <file>', 'JSON nested array to use as the LSUV batch')
    .option(
      '--rule <rule>',
      `instead of re-running every initializer, initialize the ` +
        `weights a rule matches (repeatable; first match ` +
        `wins): ${RULE_SYNTAX}`,
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .action(
      async (
        model: string,
        opts: {
          out: string;
          seed?: string;
          lsuv?: boolean;
          batch?: string;
          input?: string;
          rule?: string[];
        },
      ) => {
        code = await reinitCommand(
          model,
          {...opts, backend: backend(), files: files()},
          commandIo(),
        );
      },
    );
  try {
    await program.parseAsync(argv, {from: 'user'});
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      return e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
        ? EXIT.ok
        : EXIT.usage;
    }
    if (e instanceof CliError) {
      io.err(`tfjs-init: ${e.message}`);
      return e.code;
    }
    io.err(`tfjs-init: ${(e as Error).stack ?? String(e)}`);
    return EXIT.failed;
  }
}
