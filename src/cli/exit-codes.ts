/**
 * Exit codes of `tfjs-init`, the same for every command:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | done, nothing to report |
 * | 1 | done, problems found (`inspect` warnings, `doctor` findings) |
 * | 2 | usage error: unknown command or option, bad option value |
 * | 3 | the model file (or an input file) is missing or cannot be read safely |
 * | 4 | the file is not valid JSON, not a tfjs LayersModel `model.json`, or its manifest or weights
 * files do not fit the model |
 * | 5 | the model names a layer or initializer class that is not registered |
 * | 6 | the model could not be loaded, run or saved (e.g. input of the wrong shape) |
 */
export const EXIT = Object.freeze({
  ok: 0,
  problems: 1,
  usage: 2,
  missingFile: 3,
  malformed: 4,
  unknownClass: 5,
  failed: 6,
});

/** An error that ends the command with a given exit code and a one-line message. */
export class CliError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Where a command writes: stdout and stderr, or buffers in tests. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Lines shown only with `--verbose` (on stderr), such as which backend runs; absent: dropped. */
  verbose?: (text: string) => void;
  /**
   * Progress of a long step, one line rewritten in place (null: erase it). Only set where stderr
   * is a terminal; commands call it when present.
   */
  progress?: (line: string | null) => void;
}
