/**
 * The browser test page. It imports tfjs, the wasm and webgpu backends and our browser bundle as
 * bare specifiers, resolved by the page's import map — the way a plain `<script type="module">`
 * page uses the package — and exposes `window.harness` to the Node runner.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import type {Initializer} from '@tensorflow/tfjs-layers/dist/initializers';
import type * as Lib from '../../../src';
import {
  CASE_SEED,
  DEFAULTS_SEED,
  caseModel,
  defaultsModel,
  inputShapeFor,
  stringLayerIndex,
  type InitializerCase,
} from '../../helpers/case-model';
import {trainingRun, type TrainingRun} from '../../helpers/training-run';
import type {BackendInfo, HarnessApi, InPlaceCase, LoadedCase, SavedCase} from './protocol';

const LIBRARY: string = 'tfjs-initializers';
const WASM_PATH = '/node_modules/@tensorflow/tfjs-backend-wasm/dist/';

/** The gradient kernel training a layer of each kind needs beyond the dense ones every backend has. */
const GRADIENT_KERNEL: Record<InitializerCase['kind'], string | null> = {
  dense: null,
  conv1d: 'Conv2DBackpropFilter',
  conv2d: 'Conv2DBackpropFilter',
  conv3d: 'Conv3DBackpropFilterV2',
  stft: 'Conv2DBackpropFilter',
};

type InitializerConstructor = new (args?: object) => Initializer;
type WithInitializers = {kernelInitializer?: Initializer};

setWasmPaths(WASM_PATH);
tf.enableProdMode();

async function describeBackend(name: string): Promise<string> {
  switch (name) {
    case 'webgl': {
      const gl = (tf.backend() as unknown as {gpgpu: {gl: WebGL2RenderingContext}}).gpgpu.gl;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const renderer: unknown =
        ext === null ? gl.getParameter(gl.RENDERER) : gl.getParameter(ext.UNMASKED_RENDERER_WEBGL);
      return (
        `WebGL ${tf.env().getNumber('WEBGL_VERSION')}, float32 ` +
        `textures ${tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED')}, ${String(renderer)}`
      );
    }
    case 'webgpu': {
      const gpu = (
        navigator as unknown as {
          gpu?: {requestAdapter(): Promise<{info?: Record<string, string>} | null>};
        }
      ).gpu;
      const info = (await gpu?.requestAdapter())?.info;
      return info === undefined
        ? 'WebGPU'
        : `WebGPU adapter: ${[info.vendor, info.architecture, info.description].filter(Boolean).join(', ')}`;
    }
    case 'wasm':
      return (
        `WASM, SIMD ${String(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'))}, ` +
        `threads ${String(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT'))}`
      );
    default:
      return 'plain JavaScript';
  }
}

async function probe(name: string): Promise<BackendInfo> {
  let started = false;
  let error: string | undefined;
  try {
    started = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    error = String(e);
  }
  const active = tf.getBackend();
  const info: BackendInfo = {
    requested: name,
    started,
    active,
    detail: started && active === name ? await describeBackend(name) : '',
  };
  if (error !== undefined) info.error = error;
  console.log(
    `[harness] backend requested ${name}: setBackend ` +
      `returned ${started}, tf.getBackend() ` +
      `= ${active}${info.detail ? `; ${info.detail}` : ''}`,
  );
  return info;
}

async function use(name: string): Promise<BackendInfo> {
  const info = await probe(name);
  if (!info.started || info.active !== name)
    throw new Error(`backend ${name} did not start: ${JSON.stringify(info)}`);
  return info;
}

async function digest(t: tf.Tensor): Promise<string> {
  const v = (await t.data()) as Float32Array;
  const hash = await crypto.subtle.digest(
    'SHA-256',
    new Uint8Array(v.buffer as ArrayBuffer, v.byteOffset, v.byteLength),
  );
  return Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, '0')).join('');
}

const digests = (ts: tf.Tensor[]): Promise<string[]> => Promise.all(ts.map(digest));
/** Every weight in layer order (`model.getWeights()` lists frozen layers' weights last). */
const weightsOf = (model: tf.LayersModel): tf.Tensor[] =>
  model.layers.flatMap((layer) => layer.getWeights());
const storeKey = (backend: string, name: string): string => `tfji-${backend}-${name}`;

async function library(): Promise<typeof Lib> {
  return (await import(LIBRARY)) as typeof Lib;
}

/** The class exported under `name`, else (an alias registered without its own export) the one tfjs's registry holds. */
function classOf(lib: typeof Lib, name: string): InitializerConstructor {
  const exported = (lib as unknown as Record<string, unknown>)[name];
  if (typeof exported === 'function') return exported as InitializerConstructor;
  const registered = tf.serialization.SerializationMap.getMap().classNameMap[name]?.[0];
  if (registered === undefined)
    throw new Error(`${name} is neither exported by the browser bundle nor registered with tfjs`);
  return registered as unknown as InitializerConstructor;
}

async function saveCase(lib: typeof Lib, backend: string, c: InitializerCase): Promise<SavedCase> {
  const Cls = classOf(lib, c.name);
  const t = new Cls(c.config).apply(c.valueShape);
  const applied = await digest(t);
  const product = tf.mul(t, tf.scalar(1));
  const computed = await digest(product);
  tf.dispose([t, product]);

  lib.setSeed(CASE_SEED);
  const model = caseModel(tf, (name, config) => new (classOf(lib, name))(config), c);
  const initialWeights = await digests(weightsOf(model));
  const stringLayerClass =
    (
      model.layers[stringLayerIndex(c)] as unknown as WithInitializers
    ).kernelInitializer?.getClassName() ?? 'none';
  // tfjs's wasm backend has no conv gradient kernels: there the case layers stay frozen and only the head trains.
  const missing = GRADIENT_KERNEL[c.kind];
  const frozen = missing !== null && tf.getKernel(missing, backend) === undefined;
  if (frozen)
    model.layers.slice(0, stringLayerIndex(c) + 1).forEach((layer) => (layer.trainable = false));
  model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
  const x = tf.randomUniform([8, ...inputShapeFor(c)], -1, 1, 'float32', 11);
  const y = tf.randomUniform([8, 2], -1, 1, 'float32', 12);
  const history = await model.fit(x, y, {epochs: 3, batchSize: 8, shuffle: false, verbose: 0});
  tf.dispose([x, y]);
  const trainedWeights = await digests(weightsOf(model));
  const topologyJson = model.toJSON(null, false) as tf.io.ModelArtifacts['modelTopology'];
  const topology = JSON.stringify(topologyJson);
  await model.save(`indexeddb://${storeKey(backend, c.name)}`);
  await model.save(`localstorage://${storeKey(backend, c.name)}`);
  model.dispose();

  const fresh = await tf.loadLayersModel(tf.io.fromMemory({modelTopology: topologyJson}));
  const reinitKernel = await digest(fresh.layers[0].getWeights()[0]);
  fresh.dispose();
  const losses = history.history.loss.map(Number);
  const note = frozen ? ` (${c.kind} layers frozen: ${backend} has no ${missing} kernel)` : '';
  console.log(
    `[harness] ${backend}: ${c.name} (${c.kind}) trained${note}, ` +
      `loss ${losses.map((l) => l.toFixed(4)).join(' -> ')}, saved ` +
      `to IndexedDB and localStorage`,
  );
  return {
    name: c.name,
    applied,
    computed,
    initialKernel: initialWeights[0],
    reinitKernel,
    stringLayerClass,
    losses,
    initialWeights,
    trainedWeights,
    topology,
  };
}

async function loadCase(
  lib: typeof Lib,
  backend: string,
  c: InitializerCase,
  store: LoadedCase['store'],
): Promise<LoadedCase> {
  const url = `${store}://${storeKey(backend, c.name)}`;
  const model = await tf.loadLayersModel(url);
  const kernel = (model.layers[0] as unknown as WithInitializers).kernelInitializer;
  const result: LoadedCase = {
    name: c.name,
    store,
    topology: JSON.stringify(model.toJSON(null, false)),
    weights: await digests(weightsOf(model)),
    kernelClass: kernel?.getClassName() ?? 'none',
    kernelIsInstance: kernel instanceof classOf(lib, c.name),
  };
  model.dispose();
  await tf.io.removeModel(url);
  return result;
}

/** The in-place functions of IN_PLACE_CASES (matrix.test.ts) on variables the backend has used. */
async function inPlaceRound(lib: typeof Lib): Promise<InPlaceCase[]> {
  const fills: Array<[string, (w: tf.Variable) => unknown]> = [
    ['uniform_', (w) => lib.uniform_(w, -1, 1, {seed: 1})],
    ['kaimingNormal_', (w) => lib.kaimingNormal_(w, {seed: 2})],
    ['orthogonal_', (w) => lib.orthogonal_(w, 1, {seed: 3})],
  ];
  const results: InPlaceCase[] = [];
  for (const [name, fill] of fills) {
    const w = tf.tidy(() => tf.variable(tf.ones([37, 29])));
    const x = tf.randomUniform([2, 37], -1, 1, 'float32', 5);
    tf.dispose(tf.matMul(x, w)); // the backend has uploaded, packed or cached the old values
    const dataId = w.dataId;
    const before = tf.memory().numTensors;
    fill(w);
    const leftTensors = tf.memory().numTensors - before;
    const values = await digest(w);
    const copy = tf.tensor(await w.data(), w.shape);
    const [got, expected] = [tf.matMul(x, w), tf.matMul(x, copy)];
    const opsSeeNewValues = (await digest(got)) === (await digest(expected));
    results.push({name, values, kept: w.dataId === dataId, leftTensors, opsSeeNewValues});
    tf.dispose([w, x, copy, got, expected]);
  }
  return results;
}

/** The tfjs methods setSeed may replace, Math.random, and the engine's own property names. */
function tfjsMethods(): Record<string, unknown> {
  const engine = tf.engine() as unknown as Record<string, unknown>;
  const scoped = ['startScope', 'endScope', 'makeTensor'];
  return {
    ...Object.fromEntries(scoped.map((m) => [`engine.${m}`, engine[m]])),
    'own properties of the engine': Object.getOwnPropertyNames(engine).join(),
    'LayersModel.prototype.fitLoop': tf.LayersModel.prototype.fitLoop,
    'Dataset.prototype.shuffle': tf.data.Dataset.prototype.shuffle,
    'Math.random': Math.random,
  };
}

const changed = (a: Record<string, unknown>, b: Record<string, unknown>): string[] =>
  Object.keys(a).filter((k) => a[k] !== b[k]);

const api: HarnessApi = {
  probe,
  async save(backend, cases) {
    const info = await use(backend);
    const lib = await library();
    const saved: SavedCase[] = [];
    for (const c of cases) saved.push(await saveCase(lib, backend, c));
    // tfjs's own initializers, seeded through setSeed.
    lib.setSeed(DEFAULTS_SEED);
    const defaults = defaultsModel(tf);
    const defaultsWeights = await digests(weightsOf(defaults));
    defaults.dispose();
    lib.clearSeed();
    return {
      backend: info,
      tfjsVersion: tf.version.tfjs,
      names: lib.registeredNames(),
      cases: saved,
      defaultsWeights,
      inPlace: await inPlaceRound(lib),
    };
  },
  async load(backend, cases) {
    const info = await use(backend);
    const lib = await library();
    const loaded: LoadedCase[] = [];
    for (const c of cases) {
      for (const store of ['indexeddb', 'localstorage'] as const)
        loaded.push(await loadCase(lib, backend, c, store));
    }
    console.log(
      `[harness] ${backend}: reloaded ${cases.length} models from IndexedDB and localStorage`,
    );
    return {backend: info, cases: loaded};
  },
  async train(backend, seed, count) {
    const info = await use(backend);
    const lib = await library();
    const before = tfjsMethods();
    const runs: TrainingRun[] = [];
    let patchedWhileSeeded: string[] = [];
    for (let i = 0; i < count; i++) {
      lib.setSeed(seed);
      patchedWhileSeeded = changed(before, tfjsMethods());
      runs.push(await trainingRun(tf));
    }
    lib.clearSeed();
    const patchedAfterClear = changed(before, tfjsMethods());
    console.log(
      `[harness] ${backend}: ${count} training runs after setSeed(${seed}), ` +
        `fit loss ${runs.map((r) => r.fitLoss.map((l) => l.toFixed(6)).join(' -> ')).join(' | ')}`,
    );
    return {
      backend: info,
      tfjsVersion: tf.version.tfjs,
      runs,
      patchedWhileSeeded,
      patchedAfterClear,
    };
  },
};
window.harness = api;
