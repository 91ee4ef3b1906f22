/**
 * The Node build's last step (tsup.config.ts runs it): one CommonJS copy of every module, and
 * ES-module entry points that re-export it. A process that loads the package both with `import`
 * and with `require` (an ESM app with a CommonJS dependency, say) then runs every module once: one
 * seed stream, one registry, one `InitializerError` class.
 *
 * esbuild splits code into shared chunks only in ES-module output, so tsup writes ES modules with
 * a `.js` extension; this step turns each file into CommonJS in place (esbuild again, which keeps
 * `import()` of the optional packages a real dynamic import and annotates the export names for
 * Node's `cjs-module-lexer`), then writes `<entry>.mjs` and `<entry>.d.mts` next to each entry.
 */
import {promises as fs} from 'fs';
import * as path from 'path';
import {transform} from 'esbuild';
import {init, parse} from 'cjs-module-lexer';

/** Converts every `.js` file directly in `dir` to CommonJS and writes the ESM wrappers of `entries`. */
export async function toCommonJS(dir: string, entries: readonly string[]): Promise<void> {
  await init();
  const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.js'));
  await Promise.all(
    files.map(async (file) => {
      const code = await fs.readFile(path.join(dir, file), 'utf8');
      const result = await transform(code, {
        format: 'cjs',
        platform: 'node',
        target: 'node18',
        sourcefile: file,
        logLevel: 'error',
      });
      await fs.writeFile(path.join(dir, file), result.code);
    }),
  );
  for (const entry of entries) {
    const cjs = await fs.readFile(path.join(dir, `${entry}.js`), 'utf8');
    // The names Node itself will see when an ES module imports this file.
    const names = parse(cjs)
      .exports.filter((n) => n !== 'default' && n !== '__esModule')
      .sort();
    if (names.length === 0)
      throw new Error(`build: cjs-module-lexer finds no export names in dist/${entry}.js`);
    const header =
      `// ES-module entry: re-exports the CommonJS build ` +
      `(./${entry}.js) so that import and require share one copy.\n`;
    await fs.writeFile(
      path.join(dir, `${entry}.mjs`),
      `${header}export {\n  ${names.join(',\n  ')},\n} from './${entry}.js';\n`,
    );
    await fs.writeFile(
      path.join(dir, `${entry}.d.mts`),
      `${header}export * from './${entry}.js';\n`,
    );
  }
}
