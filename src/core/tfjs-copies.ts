/**
 * Node only: other copies of `@tensorflow/tfjs-core` or `@tensorflow/tfjs-layers` than the ones
 * this package imports. tfjs keeps its engine and its class registry in module state, so a second
 * copy is a second tfjs: a backend registered there, a model built there, or an initializer looked
 * up there never sees ours. Two places are searched:
 * - modules loaded in this process (`require.cache`; Node loads tfjs's CommonJS build also for
 *   `import`, since tfjs has no `exports` map);
 * - the tfjs packages installed next to this one (`@tensorflow/tfjs`, `tfjs-node`, the backends,
 *   ...): the tfjs-core and tfjs-layers each of them resolves, compared with ours by real path
 *   (Node's resolver returns real paths, so a symlinked install counts once).
 *
 * The browser build replaces this module with one that finds nothing (tsup.config.ts), so no
 * bundler sees a `require.resolve`.
 */

/** The packages that must exist once per process. */
const SHARED = ['@tensorflow/tfjs-core', '@tensorflow/tfjs-layers'] as const;

/** tfjs packages that bring their own dependency on tfjs-core (and some on tfjs-layers). */
const NEIGHBOURS = [
  '@tensorflow/tfjs',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
  '@tensorflow/tfjs-layers',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgl',
  '@tensorflow/tfjs-backend-webgpu',
  '@tensorflow/tfjs-converter',
  '@tensorflow/tfjs-data',
];

/** A second copy of a shared tfjs package. */
export interface TfjsCopy {
  /** `@tensorflow/tfjs-core` or `@tensorflow/tfjs-layers`. */
  name: string;
  /** Directory of the copy this package uses. */
  ours: string;
  /** Directory of the other copy. */
  other: string;
  /** Who uses the other copy: a package name, or `'a module loaded in this process'`. */
  usedBy: string;
}

/** Resolves `request` from directory `from` (from this module when omitted); null when not installed. */
export type Resolve = (request: string, from?: string) => string | null;

/**
 * The directory of package `name` that `file` belongs to (up to the last `node_modules/<name>/`),
 * or null when `file` is not inside it.
 */
export function packageDir(file: string, name: string): string | null {
  const marker = `/node_modules/${name}/`;
  const at = file.replace(/\\/g, '/').lastIndexOf(marker);
  return at < 0 ? null : file.slice(0, at + marker.length - 1);
}

/**
 * Every copy of tfjs-core or tfjs-layers, other than ours, among the loaded files and what the
 * tfjs packages next to ours resolve. Empty when tfjs is shared.
 */
export function findOtherCopies(resolve: Resolve, loadedFiles: Iterable<string>): TfjsCopy[] {
  const ours = new Map<string, string>();
  for (const name of SHARED) {
    const file = resolve(name);
    const dir = file === null ? null : packageDir(file, name);
    if (dir !== null) ours.set(name, dir);
  }
  const found = new Map<string, TfjsCopy>();
  const note = (name: string, other: string | null, usedBy: string): void => {
    const mine = ours.get(name);
    if (mine === undefined || other === null || other === mine || found.has(other)) return;
    found.set(other, {name, ours: mine, other, usedBy});
  };
  for (const file of loadedFiles) {
    for (const name of SHARED)
      note(name, packageDir(file, name), 'a module loaded in this process');
  }
  for (const neighbour of NEIGHBOURS) {
    const file = resolve(neighbour);
    const dir = file === null ? null : packageDir(file, neighbour);
    if (dir === null) continue;
    for (const name of SHARED) {
      const theirs = resolve(name, dir);
      note(name, theirs === null ? null : packageDir(theirs, name), neighbour);
    }
  }
  return [...found.values()];
}

/** {@link findOtherCopies} with Node's resolver from this module and `require.cache`; empty outside Node. */
export function otherTfjsCopies(): TfjsCopy[] {
  if (typeof require !== 'function' || typeof require.resolve !== 'function') return [];
  const resolve: Resolve = (request, from) => {
    try {
      return from === undefined
        ? require.resolve(request)
        : require.resolve(request, {paths: [from]});
    } catch {
      return null;
    }
  };
  return findOtherCopies(resolve, Object.keys(require.cache ?? {}));
}
