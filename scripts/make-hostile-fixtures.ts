/**
 * Writes the hostile model files the CLI and fileIO rows of the error table load
 * (`npm run fixtures:hostile`): one directory per entry of `scripts/hostile-models.ts` under
 * __tests__/fixtures/hostile/, holding its model.json (and extra files). Committed; a test checks
 * they match the texts, so rerun this after changing them.
 */
import {promises as fs} from 'fs';
import * as path from 'path';
import {HOSTILE, HOSTILE_FILES} from './hostile-models';

/** Directory the fixtures live in. */
export const HOSTILE_DIR = path.join(__dirname, '..', '__tests__', 'fixtures', 'hostile');

async function main(): Promise<void> {
  await fs.rm(HOSTILE_DIR, {recursive: true, force: true});
  for (const [name, {text}] of Object.entries(HOSTILE)) {
    const dir = path.join(HOSTILE_DIR, name);
    await fs.mkdir(dir, {recursive: true});
    await fs.writeFile(path.join(dir, 'model.json'), text);
    for (const [file, bytes] of Object.entries(HOSTILE_FILES[name] ?? {}))
      await fs.writeFile(path.join(dir, file), bytes);
  }
  console.log(
    `wrote ${Object.keys(HOSTILE).length} fixtures to ${path.relative(process.cwd(), HOSTILE_DIR)}`,
  );
}

if (require.main === module) void main();
