/** Messages between the Node test runner and the harness page (plain JSON). */
import type {InitializerCase} from '../../helpers/case-model';
import type {TrainingRun} from '../../helpers/training-run';

/** Which backend a page asked for, and which one tfjs actually runs. */
export interface BackendInfo {
  requested: string;
  /** What `tf.setBackend` returned. */
  started: boolean;
  /** `tf.getBackend()` afterwards. */
  active: string;
  /** Renderer, adapter or WASM features, for the log. */
  detail: string;
  error?: string;
}

/** What the save round measured for one case. SHA-256 digests (hex) stand for tensor values. */
export interface SavedCase {
  name: string;
  /** `apply(valueShape)` read back. */
  applied: string;
  /** The same tensor after `x · 1` computed by the backend. */
  computed: string;
  /** The model's first kernel (built from the instance) before training. */
  initialKernel: string;
  /** First kernel of a model rebuilt from the saved topology alone (initializers run again). */
  reinitKernel: string;
  /** Class name of the initializer of the layer built from the string name. */
  stringLayerClass: string;
  losses: number[];
  /** Digests of every weight in layer order, before and after training. */
  initialWeights: string[];
  trainedWeights: string[];
  /** `model.toJSON()` as saved. */
  topology: string;
}

/** What loading one saved model back gave. */
export interface LoadedCase {
  name: string;
  store: 'indexeddb' | 'localstorage';
  topology: string;
  weights: string[];
  kernelClass: string;
  /** `layer.kernelInitializer instanceof` the exported class of the same name. */
  kernelIsInstance: boolean;
}

/** One in-place function on a variable the backend had already used in a matMul. */
export interface InPlaceCase {
  name: string;
  /** Digest of the variable's values afterwards. */
  values: string;
  /** Whether the variable kept its data id (written in its own memory) rather than being assigned. */
  kept: boolean;
  /** Tensors the call left behind (`tf.memory().numTensors` after minus before). */
  leftTensors: number;
  /** Whether a matMul with the variable afterwards equals one with a new tensor of its values. */
  opsSeeNewValues: boolean;
}

export interface SaveRound {
  backend: BackendInfo;
  tfjsVersion: string;
  names: string[];
  cases: SavedCase[];
  /** Digests of the initial weights of `defaultsModel` (tfjs's own initializers) after `setSeed(DEFAULTS_SEED)`. */
  defaultsWeights: string[];
  inPlace: InPlaceCase[];
}

export interface LoadRound {
  backend: BackendInfo;
  cases: LoadedCase[];
}

/** Issue 19's training run (helpers/training-run.ts), `runs` times on one page, each after `setSeed(seed)`. */
export interface TrainingRound {
  backend: BackendInfo;
  tfjsVersion: string;
  runs: TrainingRun[];
  /** What differed from the page's tfjs (and `Math.random`) while seeded, checked by identity. */
  patchedWhileSeeded: string[];
  /** The same after `clearSeed()` (must be nothing). */
  patchedAfterClear: string[];
}

/** What the harness page puts on `window.harness`. */
export interface HarnessApi {
  probe(backend: string): Promise<BackendInfo>;
  save(backend: string, cases: InitializerCase[]): Promise<SaveRound>;
  load(backend: string, cases: InitializerCase[]): Promise<LoadRound>;
  train(backend: string, seed: number, runs: number): Promise<TrainingRound>;
}

declare global {
  interface Window {
    harness?: HarnessApi;
  }
}
