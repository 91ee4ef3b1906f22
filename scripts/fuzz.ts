/**
 * Fuzzing (a script, not a test; `npm run fuzz`):
 *
 * 1. 10,000 random configs through `fromConfig` of every registered initializer and fixed tfjs
 *    built-in — known options with valid, invalid or absent values, unknown and hostile keys
 *    (`__proto__`, `constructor`, ...), configs that are not objects — and, when one is accepted,
 *    an `apply` on a random valid or invalid shape and dtype;
 * 2. 10,000 random hostile topologies (edits of valid models: reserved names, wrong types,
 *    non-finite and huge numbers, deep nesting) through `validateModelJSON`; the accepted ones are
 *    then loaded by tfjs to check that the report matched what tfjs built.
 *
 * Every outcome is counted; anything but an `InitializerError` (a TypeError, a tfjs error, a hang
 * without end, NaN values, a wrong shape, a leaked tensor, a changed Object.prototype) is a crash.
 * Fixed seed: the same 20,000 cases every run. Writes docs/fuzz.md; exits 1 on any crash.
 *
 *     npm run fuzz                     # 10,000 + 10,000 cases
 *     npm run fuzz -- --configs 1000 --topologies 200 --no-write
 */
import {promises as fs} from 'node:fs';
import * as path from 'node:path';
import {parseArgs} from 'node:util';
import * as tf from '@tensorflow/tfjs';
import fc from 'fast-check';
import {InitializerError, restoreBuiltins, useFixedBuiltins} from '../src';
import {validateModelJSON} from '../src/tools';
import {
  FIXED_BUILTIN_SPECS,
  INITIALIZER_SPECS,
  invalidDtype,
  invalidShape,
  invalidValue,
  unknownOption,
  validValue,
  type InitializerSpec,
} from '../__tests__/helpers/arbitraries';
import {baseModel} from './hostile-models';
import {classCases, runClassCase} from './fuzz-classes';

tf.env().set('IS_TEST', true);

const SEED = 20240607;
const SPECS: readonly InitializerSpec[] = [...INITIALIZER_SPECS, ...FIXED_BUILTIN_SPECS];
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'has_own_property',
  'customObjects',
];

interface ConfigCase {
  spec: InitializerSpec;
  config: unknown;
  shape: unknown;
  dtype: unknown;
}

/** A random config for a spec: each known option present with a valid, invalid or null value, plus extra keys. */
function configArb(spec: InitializerSpec): fc.Arbitrary<unknown> {
  const entries = Object.entries(spec.options).map(([key, kind]) =>
    fc
      .option(
        fc.oneof(
          {weight: 3, arbitrary: validValue(kind)},
          {weight: 1, arbitrary: invalidValue(kind)},
          {weight: 1, arbitrary: fc.constant(null)},
        ),
        {nil: undefined, freq: 3},
      )
      .map((value) => [key, value] as const),
  );
  const extra = fc.array(
    fc.tuple(
      fc.oneof(unknownOption(spec), fc.constantFrom(...HOSTILE_KEYS)),
      fc.anything({maxDepth: 1}),
    ),
    {maxLength: 2},
  );
  const object = fc
    .tuple(
      fc.tuple(...entries),
      fc.oneof(
        {weight: 4, arbitrary: fc.constant([] as Array<[string, unknown]>)},
        {weight: 1, arbitrary: extra},
      ),
    )
    .map(([known, more]) => {
      const config: Record<string, unknown> = {};
      for (const [k, v] of [...known, ...more])
        if (v !== undefined)
          Object.defineProperty(config, k, {
            value: v,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      return config;
    });
  return fc.oneof(
    {weight: 19, arbitrary: object},
    {weight: 1, arbitrary: fc.constantFrom(null, [], 'config', 7, true)},
  );
}

const configCases = fc.constantFrom(...SPECS).chain((spec) =>
  fc.record({
    spec: fc.constant(spec),
    config: configArb(spec),
    shape: fc.oneof(
      {weight: 7, arbitrary: spec.valid.map((v) => v.shape as unknown)},
      {weight: 3, arbitrary: invalidShape},
    ),
    dtype: fc.oneof(
      {weight: 8, arbitrary: fc.constantFrom(...spec.dtypes) as fc.Arbitrary<unknown>},
      {weight: 2, arbitrary: invalidDtype(spec)},
    ),
  }),
);

const protoNames = (): string => Object.getOwnPropertyNames(Object.prototype).sort().join(',');

/** The outcome of one config case. */
function runConfig(c: ConfigCase, crashes: string[]): string {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[c.spec.name];
  const [cls, fromConfig] = entry;
  const before = tf.memory().numTensors;
  let init: {apply: (s: unknown, d?: unknown) => tf.Tensor};
  try {
    init = fromConfig(cls, c.config as tf.serialization.ConfigDict) as unknown as typeof init;
  } catch (e) {
    if (e instanceof InitializerError) return 'refused at construction (InitializerError)';
    crashes.push(
      `${c.spec.name}.fromConfig(${safe(c.config)}): ${(e as Error).stack?.split('\n').slice(0, 2).join(' ')}`,
    );
    return 'CRASH at construction';
  }
  let t: tf.Tensor;
  try {
    t = init.apply(c.shape, c.dtype);
  } catch (e) {
    if (tf.memory().numTensors !== before)
      crashes.push(
        `${c.spec.name}: refused apply(${safe(c.shape)}) but left ${tf.memory().numTensors - before} tensors`,
      );
    if (e instanceof InitializerError) return 'refused at apply (InitializerError)';
    const stack = (e as Error).stack?.split('\n').slice(0, 2).join(' ');
    crashes.push(
      `${c.spec.name}(${safe(c.config)}).apply(${safe(c.shape)}, ${safe(c.dtype)}): ${stack}`,
    );
    return 'CRASH at apply';
  }
  const problems: string[] = [];
  if (JSON.stringify(t.shape) !== JSON.stringify(c.shape))
    problems.push(`shape ${JSON.stringify(t.shape)}`);
  if (t.dtype !== c.dtype && !(c.dtype === undefined || c.dtype === null))
    problems.push(`dtype ${t.dtype}`);
  if (t.dtype === 'float32' && (t.dataSync() as Float32Array).some((v) => !Number.isFinite(v)))
    problems.push('non-finite values');
  if (tf.memory().numTensors !== before + 1)
    problems.push(`${tf.memory().numTensors - before} tensors`);
  t.dispose();
  if (problems.length > 0) {
    crashes.push(
      `${c.spec.name}(${safe(c.config)}).apply(${safe(c.shape)}, ${safe(c.dtype)}): ${problems.join(', ')}`,
    );
    return 'BAD RESULT';
  }
  return 'accepted: right shape and dtype, finite values';
}

function safe(v: unknown): string {
  try {
    return (
      JSON.stringify(v, (_k, x: unknown) =>
        typeof x === 'number' && !Number.isFinite(x) ? String(x) : x,
      ) ?? String(v)
    ).slice(0, 200);
  } catch {
    return String(v);
  }
}

// --- hostile topologies ---------------------------------------------------------------------------

/** Valid starting points: the base Dense model and larger ones, as JSON. */
function bases(): Array<Record<string, unknown>> {
  const conv = tf.sequential({
    layers: [
      tf.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        inputShape: [8, 8, 2],
        kernelInitializer: 'KaimingNormal',
      }),
      tf.layers.flatten(),
      tf.layers.dense({units: 3}),
    ],
  });
  const rnn = tf.sequential({
    layers: [
      tf.layers.embedding({inputDim: 30, outputDim: 4, inputLength: 6}),
      tf.layers.lstm({
        units: 5,
        recurrentInitializer: 'OrthogonalInitializer',
        kernelInitializer: 'XavierUniformCustom',
      }),
    ],
  });
  const out = [
    baseModel(),
    ...[conv, rnn].map((m) => ({modelTopology: m.toJSON(null, false)})),
  ].map((m) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>);
  tf.dispose([conv, rnn] as never);
  return out;
}

/** Every path (list of keys) to a value inside `root`. */
function paths(
  root: unknown,
  prefix: Array<string | number> = [],
  out: Array<Array<string | number>> = [],
): Array<Array<string | number>> {
  out.push(prefix);
  if (Array.isArray(root)) root.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (typeof root === 'object' && root !== null)
    for (const [k, v] of Object.entries(root)) paths(v, [...prefix, k], out);
  return out;
}

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '__proto__',
    'constructor',
    'prototype',
    'to_string',
    'valueOf',
    'has_own_property',
    'NoSuchLayer',
    '',
    '4',
  ),
  fc.constantFrom(
    NaN,
    Infinity,
    -Infinity,
    -1,
    0,
    0.5,
    2.5,
    1e6,
    1e12,
    1e300,
    2 ** 53,
    null,
    true,
    false,
  ),
  fc.array(fc.oneof(fc.integer({min: -3, max: 1e6}), fc.constant(null)), {maxLength: 5}),
  fc.constant({}),
  fc.constant([]),
  fc
    .integer({min: 100, max: 300})
    .map((d) => JSON.parse(`${'['.repeat(d)}${']'.repeat(d)}`) as unknown),
  fc.record({
    class_name: fc.constantFrom('constructor', 'Dense', 'XavierUniformCustom', 'toString'),
    config: fc.constant({}),
  }),
);

/** Applies edits to a copy of a base model: replace a value, or add a key (possibly reserved) to an object. */
function mutate(
  base: Record<string, unknown>,
  edits: Array<{at: number; key: string; value: unknown; add: boolean}>,
): unknown {
  const copy = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
  for (const {at, key, value, add} of edits) {
    const all = paths(copy); // an earlier edit may have changed the structure
    const target = all[at % all.length];
    if (target.length === 0) continue;
    let parent: unknown = copy;
    for (const k of target.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
    const last = target[target.length - 1];
    const node = (parent as Record<string | number, unknown>)[last];
    const fresh = structuredClone(value); // never the same object twice: a file is a tree
    if (add && typeof node === 'object' && node !== null && !Array.isArray(node))
      Object.defineProperty(node, key, {
        value: fresh,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else
      Object.defineProperty(parent as object, last, {
        value: fresh,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return copy;
}

async function runTopology(json: unknown, crashes: string[]): Promise<string> {
  const before = tf.memory().numTensors;
  const limits = {maxTotalElements: 5_000_000};
  let report;
  try {
    report = await validateModelJSON(json, limits);
  } catch (e) {
    if (tf.memory().numTensors !== before)
      crashes.push(`validateModelJSON left ${tf.memory().numTensors - before} tensors`);
    if (e instanceof InitializerError) return 'refused (InitializerError)';
    crashes.push(
      `validateModelJSON(${safe(json)}): ${(e as Error).stack?.split('\n').slice(0, 2).join(' ')}`,
    );
    return 'CRASH in validateModelJSON';
  }
  // Accepted: tfjs must now build it, with exactly the weights the report listed.
  try {
    const model = await tf.models.modelFromJSON(JSON.parse(JSON.stringify(json)) as never);
    const built = model.weights.reduce(
      (n, w) => n + (w.shape as number[]).reduce((a, b) => a * b, 1),
      0,
    );
    model.dispose();
    if (built !== report.weightElements) {
      crashes.push(
        `validateModelJSON reported ${report.weightElements} elements, tfjs built ${built}: ${safe(json)}`,
      );
      return 'BAD REPORT';
    }
  } catch (e) {
    crashes.push(
      `accepted, but tfjs failed to build it: ${(e as Error).message.split('\n')[0]} ${safe(json)}`,
    );
    return 'CRASH: accepted but not loadable';
  }
  return 'accepted and loaded (report = what tfjs built)';
}

/** Outcome → count, most frequent first, as table rows. */
const rows = (counts: Map<string, number>): string[] => [
  '| outcome | cases |',
  '|---|---:|',
  ...[...counts.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `| ${k} | ${v} |`),
];

const count = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

/** The three campaigns on the active backend; returns the Markdown lines of its results. */
async function campaign(
  backend: string,
  n: {configs: number; topologies: number; classes: number},
  crashes: string[],
): Promise<string[]> {
  useFixedBuiltins();
  const proto = protoNames();
  const configCounts = new Map<string, number>();
  const byClass = new Map<string, number>();
  let slowest = {ms: 0, what: ''};
  const started = performance.now();
  for (const c of fc.sample(configCases, {numRuns: n.configs, seed: SEED}) as ConfigCase[]) {
    const t0 = performance.now();
    const outcome = runConfig(c, crashes);
    const ms = performance.now() - t0;
    if (ms > slowest.ms)
      slowest = {ms, what: `${c.spec.name} ${safe(c.config)} shape ${safe(c.shape)}`};
    count(configCounts, outcome);
    count(byClass, c.spec.name);
    if (protoNames() !== proto)
      crashes.push(`Object.prototype changed after ${c.spec.name} ${safe(c.config)}`);
  }
  const configSeconds = (performance.now() - started) / 1000;
  restoreBuiltins();

  const topologyCounts = new Map<string, number>();
  const models = bases();
  const edit = fc.record({
    at: fc.nat(),
    key: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'units',
      'seed',
      'x',
      'to_string',
    ),
    value: hostileValue,
    add: fc.boolean(),
  });
  const topologyCases = fc.tuple(
    fc.nat(models.length - 1),
    fc.array(edit, {minLength: 1, maxLength: 3}),
  );
  let slowestTopology = {ms: 0, what: ''};
  const t1 = performance.now();
  for (const [which, edits] of fc.sample(topologyCases, {
    numRuns: n.topologies,
    seed: SEED + 1,
  })) {
    const json = mutate(models[which], edits);
    const t = performance.now();
    const outcome = await runTopology(json, crashes);
    if (performance.now() - t > slowestTopology.ms)
      slowestTopology = {ms: performance.now() - t, what: safe(json)};
    count(topologyCounts, outcome);
    if (protoNames() !== proto || ({} as Record<string, unknown>).polluted !== undefined)
      crashes.push('Object.prototype changed by a topology');
  }
  const topologySeconds = (performance.now() - t1) / 1000;

  const classCounts = new Map<string, Map<string, number>>();
  let slowestClass = {ms: 0, what: ''};
  const t2 = performance.now();
  for (const c of fc.sample(classCases, {numRuns: n.classes, seed: SEED + 2})) {
    const t = performance.now();
    const outcome = await runClassCase(c, crashes);
    const ms = performance.now() - t;
    if (ms > slowestClass.ms) slowestClass = {ms, what: c.kind};
    const counts = classCounts.get(c.kind) ?? new Map<string, number>();
    count(counts, outcome);
    classCounts.set(c.kind, counts);
    if (protoNames() !== proto) crashes.push(`Object.prototype changed by a ${c.kind} case`);
  }
  const classSeconds = (performance.now() - t2) / 1000;
  const outcomes = [...new Set([...classCounts.values()].flatMap((m) => [...m.keys()]))].sort();

  return [
    `### ${backend}: ${n.configs} random configs through \`fromConfig\` (${configSeconds.toFixed(1)} s)`,
    '',
    ...rows(configCounts),
    '',
    `Classes: ${[...byClass.entries()].map(([k, v]) => `${k} ${v}`).join(', ')}. ` +
      `Slowest case: ${slowest.ms.toFixed(0)} ms ` +
      `(${slowest.what.slice(0, 120)}).`,
    '',
    `### ${backend}: ${n.topologies} random hostile topologies through \`validateModelJSON\` ` +
      `(${topologySeconds.toFixed(1)} s)`,
    '',
    ...rows(topologyCounts),
    '',
    `Slowest case: ${slowestTopology.ms.toFixed(0)} ms.`,
    '',
    `### ${backend}: ${n.classes} structural cases (${classSeconds.toFixed(1)} s)`,
    '',
    `| class | ${outcomes.join(' | ')} |`,
    `|---|${outcomes.map(() => '---:').join('|')}|`,
    ...[...classCounts.entries()]
      .sort()
      .map(([kind, m]) => `| ${kind} | ${outcomes.map((o) => m.get(o) ?? 0).join(' | ')} |`),
    '',
    `Slowest case: ${slowestClass.ms.toFixed(0)} ms (${slowestClass.what}).`,
    '',
  ];
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      configs: {type: 'string', default: '10000'},
      topologies: {type: 'string', default: '10000'},
      classes: {type: 'string', default: '1000'},
      backends: {type: 'string', default: 'cpu,wasm'},
      'no-write': {type: 'boolean', default: false},
    },
  });
  const n = {
    configs: Number(values.configs),
    topologies: Number(values.topologies),
    classes: Number(values.classes),
  };
  const backends = (values.backends ?? 'cpu').split(',');
  const crashes: string[] = [];
  const sections: string[] = [];
  for (const backend of backends) {
    if (backend === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend(backend)) || tf.getBackend() !== backend)
      throw new Error(`the ${backend} backend did not start`);
    sections.push(...(await campaign(backend, n, crashes)));
  }
  const lines = [
    '## Results',
    '',
    `Seed ${SEED}; Node ${process.version}; backends ${backends.join(', ')}. ` +
      (crashes.length === 0
        ? '**No crash**: every input was either accepted with a correct result or refused with an ' +
          '`InitializerError`.'
        : `**${crashes.length} crashes** (listed below).`),
    '',
    ...sections,
    ...(crashes.length === 0
      ? []
      : ['### Crashes', '', ...crashes.slice(0, 50).map((c) => `- ${c}`), '']),
  ];
  console.log(lines.join('\n'));
  if (values['no-write'] !== true) {
    const file = path.join(__dirname, '..', 'docs', 'fuzz.md');
    const page = await fs.readFile(file, 'utf8').catch(() => '# Fuzzing\n');
    const at = page.indexOf('## Results');
    await fs.writeFile(
      file,
      `${(at < 0 ? page : page.slice(0, at)).trimEnd()}\n\n${lines.join('\n')}`,
    );
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
  process.exitCode = crashes.length === 0 ? 0 : 1;
}

void main();
