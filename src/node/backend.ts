import {
  findBackendFactory,
  getBackend,
  ready,
  setBackend,
  version_core,
} from '@tensorflow/tfjs-core';
import {InitializerError, fail} from '../core/errors';
import {knownOptions} from '../core/options';

/** Backends {@link selectBackend} knows in Node, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/**
 * What {@link selectBackend} resolves to: exactly these two fields.
 *
 * @example
 * ```ts
 * const choice: BackendChoice = await selectBackend();
 * // {name: 'wasm', note: 'backend: wasm (@tensorflow/tfjs-node not installed)'}
 * ```
 */
export interface BackendChoice {
  /** The backend now active (checked with `tf.getBackend()`). */
  name: BackendName;
  /**
   * One line for the user: `backend: <name>`, followed in parentheses by why each faster backend
   * was skipped, or `(forced)`; e.g. `backend: wasm (@tensorflow/tfjs-node not installed)`.
   */
  note: string;
}

/**
 * The package that provides each backend. `@tensorflow/tfjs` registers `cpu` itself (it depends on
 * `@tensorflow/tfjs-backend-cpu`); an app on tfjs-core + tfjs-layers installs that package alone.
 */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Force one backend instead of trying the fastest first. */
  force?: BackendName;
  /** How a backend package is loaded; tests replace it. Default: dynamic `import()`. */
  load?: (pkg: string) => Promise<unknown>;
}

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

const NOT_INSTALLED = ' not installed';

/**
 * The install command for a backend's package at the version of the tfjs-core in use (every tfjs
 * package of one release shares its version): `npm install @tensorflow/tfjs-backend-cpu@4.22.0`.
 */
export function installCommand(name: BackendName): string {
  return `npm install ${BACKEND_PACKAGES[name]}@${version_core}`;
}

/**
 * Picks the fastest tfjs backend present in Node and starts it: `@tensorflow/tfjs-node`
 * ("tensorflow") when it is installed, else WASM (`@tensorflow/tfjs-backend-wasm`, which finds its
 * `.wasm` files by itself in Node), else the plain CPU backend — the one `@tensorflow/tfjs`
 * registers, or, in an app on `@tensorflow/tfjs-core` + `@tensorflow/tfjs-layers` alone, the one
 * `@tensorflow/tfjs-backend-cpu` registers when it is installed (imported here). A backend counts
 * as chosen only when `tf.setBackend` returns true and `tf.getBackend()` then names it.
 *
 * @returns `Promise<{name, note}>` ({@link BackendChoice}): the backend's name and one line saying
 * what was chosen and why.
 * @throws InitializerError when the forced backend, or no backend at all, can start; the message
 * says why each failed and names the package to install at the app's tfjs version, e.g.
 * `npm install @tensorflow/tfjs-backend-cpu@4.22.0`.
 *
 * @example
 * ```ts
 * const {name, note} = await selectBackend();      // or selectBackend({force: 'cpu'})
 * console.log(note);                                // "backend: wasm (@tensorflow/tfjs-node not installed)"
 * ```
 */
export async function selectBackend(options: SelectBackendOptions = {}): Promise<BackendChoice> {
  options = knownOptions('selectBackend', options, ['force', 'load']);
  if (options.load !== undefined && typeof options.load !== 'function')
    fail('selectBackend', 'load', 'a function', options.load);
  const load = options.load ?? ((pkg: string) => import(pkg));
  if (options.force !== undefined && !BACKENDS.includes(options.force)) {
    throw new InitializerError(
      'selectBackend',
      'force',
      `option \`force\` must be one of ${BACKENDS.join(', ')}. Received: force=${String(options.force)}`,
    );
  }
  const order = options.force === undefined ? BACKENDS : [options.force];
  const skipped: string[] = [];
  for (const name of order) {
    const why = await tryBackend(name, load);
    if (why === null) {
      const reason =
        skipped.length > 0
          ? ` (${skipped.join('; ')})`
          : options.force !== undefined
            ? ' (forced)'
            : '';
      return {name, note: `backend: ${name}${reason}`};
    }
    if (options.force !== undefined) {
      throw new InitializerError(
        'selectBackend',
        'force',
        `backend '${name}' is not available: ${why}` +
          (why.endsWith(NOT_INSTALLED) ? `; install it with \`${installCommand(name)}\`` : ''),
      );
    }
    skipped.push(why);
  }
  throw new InitializerError(
    'selectBackend',
    'backend',
    `no tfjs backend could be started (${skipped.join('; ')}); ` +
      `install one at your tfjs version (${version_core}): ` +
      `\`${installCommand('cpu')}\` (plain JavaScript) or ` +
      `\`${installCommand('wasm')}\` (faster), or use @tensorflow/tfjs, which includes cpu`,
  );
}

/** Whether a backend of this name is registered with the tfjs-core in use. */
function registered(name: BackendName): boolean {
  return findBackendFactory(name) != null;
}

/** Returns null when `name` is now the active backend, else the reason it is not. */
async function tryBackend(
  name: BackendName,
  load: (pkg: string) => Promise<unknown>,
): Promise<string | null> {
  const pkg = BACKEND_PACKAGES[name];
  // cpu comes registered with @tensorflow/tfjs; load its package only when it is not.
  if (name !== 'cpu' || !registered(name)) {
    try {
      await load(pkg);
    } catch {
      return `${pkg}${NOT_INSTALLED}`;
    }
    if (!registered(name)) {
      return (
        `${pkg} was loaded but registered no '${name}' backend with the ` +
        `@tensorflow/tfjs-core ${version_core} in use (it uses another copy; ` +
        `see \`npm ls @tensorflow/tfjs-core\`)`
      );
    }
  }
  let ok: boolean;
  try {
    ok = await setBackend(name);
    await ready();
  } catch (e) {
    return `${name} failed to start: ${(e as Error).message}`;
  }
  return ok && getBackend() === name ? null : `${name} failed to start`;
}
