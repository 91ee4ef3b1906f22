import type {Tensor} from '@tensorflow/tfjs-core';
import {LayersModel} from '@tensorflow/tfjs-layers';
import {shuffleLikeTfjs} from '../permutation';
import {resolveSeed} from '../seed';
import {engineClass, type Engine} from './engine-class';
import {replace, restore} from './replace';

/**
 * `setSeed` for `model.fit`'s shuffling (docs/seeding.md, "A training run").
 *
 * tfjs-layers' `LayersModel.fitLoop` (which `fit` calls, for `Sequential` models through their
 * inner `LayersModel`) keeps an index array 0…n−1 over the training samples (after the
 * `validationSplit` cut), and at the start of every epoch — after the callbacks' `onEpochBegin`,
 * before the first batch — shuffles it in place with `tf.util.shuffle` (`Math.random`) and turns
 * it into a float32 tensor with `tensor1d`; every batch gathers its samples by that tensor's
 * entries. Neither the array nor `util.shuffle` can be reached from outside, but the tensor can:
 * it is made by the engine's `makeTensor`.
 *
 * So while the stream is seeded, `LayersModel.prototype.fitLoop` is wrapped: for a fit that
 * shuffles (`shuffle` true or left out), the wrapper adds one callback at the end of the user's
 * list whose `onEpochBegin` arms a one-shot hook on the engine's `makeTensor` (wrapped on
 * the engine's class while seeded). The next float32 tensor of shape [n] whose values are a
 * permutation of 0…n−1 — the epoch's index tensor — is made from this package's permutation
 * instead: the previous epoch's order (0…n−1 at first, as in tfjs) shuffled by
 * {@link shuffleLikeTfjs} — tfjs's algorithm — with the next seed of the stream. One seed per
 * epoch, taken before the epoch's first batch. tfjs's own shuffle still runs (and calls the
 * application's `Math.random`, as without this package); its result is replaced. A fit with
 * `shuffle: false` takes no seed. If a future tfjs makes the index tensor differently, the hook
 * finds nothing, the epoch keeps tfjs's shuffle and a warning says so once.
 */

type FitLoop = LayersModel['fitLoop'];
type Callbacks = NonNullable<Parameters<FitLoop>[6]>;
type MakeTensor = Engine['makeTensor'];

/** One running `fitLoop` that shuffles. */
interface Session {
  /** Training samples: the index tensor's length. */
  n: number;
  /** The current order (tfjs's index array), made on the first epoch. */
  order: Int32Array | null;
  /** Set by the epoch's `onEpochBegin`, cleared when the index tensor is made. */
  armed: boolean;
}

const sessions = new Set<Session>();
let warned = false;

/** Whether `values` holds each of 0…n−1 exactly once. */
function isPermutation(values: Float32Array, n: number): boolean {
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!(v >= 0 && v < n) || v !== Math.floor(v) || seen[v] === 1) return false;
    seen[v] = 1;
  }
  return true;
}

/** The armed session whose index tensor `makeTensor(values, shape, dtype)` is making, if any. */
function sessionFor(values: unknown, shape: unknown, dtype: unknown): Session | undefined {
  if (dtype !== 'float32' || !(values instanceof Float32Array)) return undefined;
  if (!Array.isArray(shape) || shape.length !== 1) return undefined;
  for (const s of sessions) {
    if (s.armed && shape[0] === s.n && values.length === s.n && isPermutation(values, s.n))
      return s;
  }
  return undefined;
}

/** The epoch's order: the previous one shuffled with the stream's next seed. */
function nextOrder(session: Session): Float32Array {
  session.armed = false;
  session.order ??= Int32Array.from({length: session.n}, (_, i) => i);
  shuffleLikeTfjs(session.order, resolveSeed(null));
  return Float32Array.from(session.order);
}

/** The callback `fitLoop` gets at the end of the list: it arms the session at each epoch's start. */
function armingCallback(session: Session): Callbacks[number] {
  const none = async (): Promise<void> => undefined;
  const callback = {
    validationData: null,
    params: {},
    setParams: () => undefined,
    setModel: () => undefined,
    onTrainBegin: none,
    onTrainEnd: none,
    onBatchBegin: none,
    onBatchEnd: none,
    onEpochBegin: async (): Promise<void> => {
      session.armed = true;
    },
    onEpochEnd: async (): Promise<void> => {
      if (session.armed && sessions.has(session) && !warned) {
        warned = true;
        console.warn(
          'tfjs-initializers: setSeed could not reach the shuffling of model.fit in this tfjs ' +
            'version; this fit shuffles with Math.random (pass shuffle: false, or shuffle your ' +
            'data yourself, for a reproducible run)',
        );
      }
      session.armed = false;
    },
  };
  return callback as unknown as Callbacks[number];
}

/** Whether tfjs's fitLoop shuffles with this `shuffle` argument (null/undefined mean true; 'batch' throws). */
const shuffles = (shuffle: unknown): boolean =>
  shuffle === undefined || shuffle === null || (Boolean(shuffle) && shuffle !== 'batch');

/** Starts routing `model.fit`'s per-epoch shuffle through the stream. */
export function installFitShuffle(): void {
  replace(
    LayersModel.prototype,
    'fitLoop',
    (original: FitLoop): FitLoop =>
      async function fitLoop(this: LayersModel, ...args: Parameters<FitLoop>) {
        const [, ins, , , , , callbacks, , , shuffle, , , stepsPerEpoch] = args;
        const first = Array.isArray(ins) ? (ins[0] as Tensor | undefined) : undefined;
        if (!shuffles(shuffle) || stepsPerEpoch != null || first?.shape?.length === undefined)
          return original.apply(this, args);
        const session: Session = {n: first.shape[0], order: null, armed: false};
        args[6] = [...(callbacks ?? []), armingCallback(session)];
        sessions.add(session);
        try {
          return await original.apply(this, args);
        } finally {
          sessions.delete(session);
        }
      },
  );
  replace(
    engineClass(),
    'makeTensor',
    (original: MakeTensor): MakeTensor =>
      function makeTensor(this: Engine, ...args: Parameters<MakeTensor>): Tensor {
        if (sessions.size > 0) {
          const session = sessionFor(args[0], args[1], args[2]);
          if (session !== undefined) args[0] = nextOrder(session);
        }
        return original.apply(this, args);
      },
  );
}

/** Gives `fitLoop` and the engine's `makeTensor` back; running fits shuffle as tfjs does. */
export function uninstallFitShuffle(): void {
  restore(LayersModel.prototype, 'fitLoop');
  restore(engineClass(), 'makeTensor');
  sessions.clear();
}
