/**
 * Node only: `@tensorflow/tfjs-data` as this package resolves it (the copy `@tensorflow/tfjs`
 * loads next to it), or `undefined` where it is not installed — tfjs-data belongs to the full
 * `@tensorflow/tfjs`, and an app on tfjs-core + tfjs-layers alone has none. Loaded on the first
 * `setSeed`, not at import. The browser build replaces this module with one that finds nothing
 * (tsup.config.ts): a bundler must not see a `require` of a package the app may not have.
 */
export function loadTfjsData(): unknown {
  if (typeof require !== 'function') return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('@tensorflow/tfjs-data') as unknown;
  } catch {
    return undefined;
  }
}
