import {getBackend, ready, setBackend} from '@tensorflow/tfjs-core';
import {InitializerError, fail} from '../core/errors';
import {knownOptions} from '../core/options';

/** Backends {@link selectBackend} knows in Node, fastest first. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What {@link selectBackend} chose and why. */
export interface BackendChoice {
  /** The backend now active (checked with `tf.getBackend()`). */
  name: BackendName;
  /** One line for the user, e.g. `backend: wasm (@tensorflow/tfjs-node not installed)`. */
  note: string;
}

/** The package that provides each backend; `cpu` ships with tfjs itself. */
const PACKAGES: Record<Exclude<BackendName, 'cpu'>, string> = {
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
};

/** Options of {@link selectBackend}. */
export interface SelectBackendOptions {
  /** Force one backend instead of trying the fastest first. */
  force?: BackendName;
  /** How a backend package is loaded; tests replace it. Default: dynamic `import()`. */
  load?: (pkg: string) => Promise<unknown>;
}

const BACKENDS: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

/**
 * Picks the fastest tfjs backend present in Node: `@tensorflow/tfjs-node` ("tensorflow") when it
 * is installed, else WASM (`@tensorflow/tfjs-backend-wasm`, which finds its `.wasm` files by itself
 * in Node), else the plain CPU backend. A backend counts as chosen only when `tf.setBackend`
 * returns true and `tf.getBackend()` then names it.
 *
 * @example
 * ```ts
 * const {note} = await selectBackend();            // or selectBackend({force: 'cpu'})
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
        `backend '${name}' is not available: ${why}`,
      );
    }
    skipped.push(why);
  }
  /* istanbul ignore next -- the cpu backend ships with tfjs */
  throw new InitializerError(
    'selectBackend',
    'force',
    `no backend could be started: ${skipped.join('; ')}`,
  );
}

/** Returns null when `name` is now the active backend, else the reason it is not. */
async function tryBackend(
  name: BackendName,
  load: (pkg: string) => Promise<unknown>,
): Promise<string | null> {
  if (name !== 'cpu') {
    const pkg = PACKAGES[name];
    try {
      await load(pkg);
    } catch {
      return `${pkg} not installed`;
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
