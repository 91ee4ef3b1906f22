import {resolveSeed} from '../seed';
import {engineClass, type Engine} from './engine-class';
import {replace, restore} from './replace';

/**
 * `setSeed` for tfjs's random ops (docs/seeding.md, "A training run").
 *
 * tfjs-core draws every random tensor on the host with seedrandom's `alea`, seeded by the op's
 * `seed` argument or, when there is none, by one call to `Math.random()` inside the op: in
 * `randomUniform`, `randomNormal`, `truncatedNormal`, `randomGamma` and `multinomial`, which
 * `randomUniformInt`, `randomStandardNormal` and `dropout` call — and so does every layer that
 * draws at run time (Dropout, SpatialDropout1D/2D, AlphaDropout, GaussianDropout, GaussianNoise,
 * the dropout masks of SimpleRNN/GRU/LSTM cells, RandomWidth/RandomHeight). That `Math.random()`
 * call is the op's only source of entropy, and it is made inside the op's own engine scope: tfjs
 * wraps every op in `ENGINE.startScope('<op>__op')` … `ENGINE.endScope()`.
 *
 * So while the stream is seeded, this module wraps the engine's `startScope` and `endScope` (on
 * its class, `engine-class.ts`) and, for exactly as long as the
 * innermost open scope is one of those five ops, sets `Math.random` to a function that answers
 * `deriveSeed(n, k) / 2^53` for the k-th draw of the stream (and advances it); the moment that
 * scope ends, or a nested op's scope starts, the application's own `Math.random` is back. No
 * application code runs inside those scopes (they are synchronous tfjs code), so the application
 * never sees another `Math.random`, and its own calls are neither replaced nor consumed.
 *
 * The op then draws **tfjs's own distribution with tfjs's own code**: the k-th unseeded random op
 * after `setSeed(n)` gives exactly what the same op gives when called with
 * `seed = deriveSeed(n, k) / 2^53`. An op called with its own seed never calls `Math.random` and
 * keeps tfjs's behaviour (seed 0 is "no seed" for tfjs's normal, gamma and multinomial draws, so
 * those take the stream, as tfjs would take `Math.random`).
 */

/** The ops whose body takes its entropy from `Math.random` (the scope names tfjs's `op()` gives them). */
export const RANDOM_OP_SCOPES: ReadonlySet<string> = new Set([
  'randomUniform__op',
  'randomNormal__op',
  'truncatedNormal__op',
  'randomGamma__op',
  'multinomial__op',
]);

const TWO_POW_M53 = 1 / 9007199254740992;

/** What tfjs's random ops read instead of `Math.random` inside their scope: the stream's next seed / 2^53. */
function streamRandom(): number {
  return resolveSeed(null) * TWO_POW_M53;
}

type StartScope = Engine['startScope'];
type EndScope = Engine['endScope'];

/** Names of the scopes opened since installation and not yet closed, innermost last. */
const open: string[] = [];
/** The application's `Math.random` while a random op's scope is innermost, else null. */
let appRandom: (() => number) | null = null;

/** Puts the stream's function in `Math.random` iff the innermost open scope is a random op. */
function sync(): void {
  const inRandomOp = open.length > 0 && RANDOM_OP_SCOPES.has(open[open.length - 1]);
  if (inRandomOp && appRandom === null) {
    appRandom = Math.random;
    Math.random = streamRandom;
  } else if (!inRandomOp && appRandom !== null) {
    Math.random = appRandom;
    appRandom = null;
  }
}

/** Starts routing tfjs's unseeded random ops through the stream. */
export function installRandomOps(): void {
  const target = engineClass();
  replace(
    target,
    'startScope',
    (original: StartScope): StartScope =>
      function startScope(this: Engine, name?: string): void {
        original.call(this, name);
        open.push(String(name));
        sync();
      },
  );
  replace(
    target,
    'endScope',
    (original: EndScope): EndScope =>
      function endScope(this: Engine, result?: Parameters<EndScope>[0]): void {
        try {
          original.call(this, result);
        } finally {
          open.pop();
          sync();
        }
      },
  );
}

/** Gives the engine its own `startScope`/`endScope` back; `Math.random` is the application's. */
export function uninstallRandomOps(): void {
  const target = engineClass();
  restore(target, 'startScope');
  restore(target, 'endScope');
  open.length = 0;
  sync();
}
