/**
 * The fenced code blocks of README.md, for the tests that keep them true (__tests__/readme.test.ts
 * in `npm test`, __tests__/consumers/readme.test.ts in the consumer tier, which compiles and runs
 * them against the packed package).
 *
 * A block the consumer tier must not run says so, with its reason, on the line right above its
 * opening fence (an HTML comment, invisible on GitHub and npm):
 *
 *     <!-- readme-check: skip (needs the package on the registry, which answers 404 today) -->
 *     ```sh
 *     npm install tfjs-initializers @tensorflow/tfjs
 *     ```
 */
import * as fs from 'fs';
import * as path from 'path';

export const README = path.resolve(__dirname, '..', '..', 'README.md');

/** Languages a README block may have, and what the consumer tier does with each. */
export const BLOCK_LANGUAGES = {
  ts: 'compiled with tsc (strict) against the packed package',
  sh: 'each command run in an app with the packed package and a model.json',
  html: "the import map's /node_modules/ paths checked against an app's node_modules",
} as const;

export type BlockLanguage = keyof typeof BLOCK_LANGUAGES;

export interface ReadmeBlock {
  /** The info string of the fence (`ts`, `sh`, ...). */
  lang: string;
  code: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The reason given by a skip marker right above the fence, else null. */
  skip: string | null;
}

const FENCE = /^```(\S*)\s*$/;
const MARKER = /^<!--\s*readme-check:(.*?)-->\s*$/;
const SKIP = /^\s*skip\s*\((.+)\)\s*$/;

/**
 * The fenced blocks of a Markdown text. Throws on what would silently escape the checks: a fence
 * that is never closed, a `readme-check` comment that is not a `skip (reason)` or is not right
 * above a fence.
 */
export function readmeBlocks(text: string): ReadmeBlock[] {
  const lines = text.split('\n');
  const blocks: ReadmeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const marker = MARKER.exec(lines[i]);
    if (marker !== null) {
      const skip = SKIP.exec(marker[1]);
      if (skip === null)
        throw new Error(
          `README.md:${i + 1}: write the marker as <!-- readme-check: skip (reason) -->`,
        );
      if (!FENCE.test(lines[i + 1] ?? ''))
        throw new Error(
          `README.md:${i + 1}: a readme-check marker must be right above a code fence`,
        );
      continue;
    }
    const open = FENCE.exec(lines[i]);
    if (open === null) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    if (i >= lines.length)
      throw new Error(`README.md:${start + 1}: the code fence is never closed`);
    const above = MARKER.exec(lines[start - 1] ?? '');
    blocks.push({
      lang: open[1],
      code: body.join('\n'),
      line: start + 1,
      skip: above === null ? null : (SKIP.exec(above[1]) as RegExpExecArray)[1].trim(),
    });
  }
  return blocks;
}

/** README.md's blocks. */
export function readReadmeBlocks(): ReadmeBlock[] {
  return readmeBlocks(fs.readFileSync(README, 'utf8'));
}

/**
 * The commands of a shell block: one per line, `\`-continued lines joined, blank lines and
 * comment lines dropped (a trailing `# comment` stays; the shell ignores it).
 */
export function shellCommands(code: string): string[] {
  const commands: string[] = [];
  let pending = '';
  for (const raw of code.split('\n')) {
    const line = pending + raw;
    if (/\\\s*$/.test(line)) {
      pending = line.replace(/\\\s*$/, ' ');
      continue;
    }
    pending = '';
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    commands.push(line.trim());
  }
  return commands;
}
