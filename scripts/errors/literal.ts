/**
 * Arguments of an error-table row, written once as data: shown in docs/errors.md as JavaScript
 * source and turned into real values when the row runs, so the call the doc shows is the call
 * the test makes. Values that are not plain data (a variable, a tensor, a model, a class) are
 * markers with a fixed display text.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** A marker: shown as `text`, made by `make` when the row runs (disposed afterwards if a tensor or model). */
export class Shown {
  constructor(
    readonly text: string,
    readonly make: () => unknown,
  ) {}
}

/** `tf.variable(tf.zeros(shape, dtype))`. */
export const variable = (shape: number[], dtype: tf.DataType = 'float32'): Shown =>
  new Shown(
    `tf.variable(tf.zeros(${show(shape)}${dtype === 'float32' ? '' : `, ${show(dtype)}`}))`,
    () => tf.variable(tf.zeros(shape, dtype)),
  );

/** A `tf.variable` that has been disposed. */
export const disposedVariable = (shape: number[]): Shown =>
  new Shown(`disposedVariable /* tf.variable(tf.zeros(${show(shape)})), then .dispose() */`, () => {
    const v = tf.variable(tf.zeros(shape));
    v.dispose();
    return v;
  });

/** `tf.zeros(shape)`: a plain (immutable) tensor. */
export const zerosTensor = (shape: number[]): Shown =>
  new Shown(`tf.zeros(${show(shape)})`, () => tf.zeros(shape));

/** `tf.randomNormal(shape)` stands for a batch of real data. */
export const batch = (shape: number[]): Shown =>
  new Shown(`tf.randomNormal(${show(shape)})`, () => tf.randomNormal(shape, 0, 1, 'float32', 1));

/** The small models the table uses, by name; docs/errors.md describes each under its table. */
export const MODELS: Readonly<Record<string, {text: string; make: () => tfl.LayersModel}>> = {
  mlp: {
    text: 'tf.sequential: Dense(4 → 8, relu), Dense(8 → 2)',
    make: () =>
      tfl.sequential({
        layers: [
          tfl.layers.dense({units: 8, inputShape: [4], activation: 'relu'}),
          tfl.layers.dense({units: 2}),
        ],
      }),
  },
  flat: {
    text: 'tf.sequential: Flatten([2, 2] → 4), no Dense or Conv layer',
    make: () => tfl.sequential({layers: [tfl.layers.flatten({inputShape: [2, 2]})]}),
  },
  bilstm: {
    text: "tf.sequential: Bidirectional(LSTM 'enc', 2 units, recurrentInitializer OrthogonalInitializer) on [3, 2]",
    make: () =>
      tfl.sequential({
        layers: [
          tfl.layers.bidirectional({
            layer: tfl.layers.lstm({
              units: 2,
              name: 'enc',
              recurrentInitializer: {className: 'OrthogonalInitializer', config: {}} as never,
            }) as tfl.RNN,
            inputShape: [3, 2],
          }),
        ],
      }),
  },
  sepconv: {
    text: 'tf.sequential: SeparableConv2D(3×3, 2 → 4 channels) on [5, 5, 2]',
    make: () =>
      tfl.sequential({
        layers: [tfl.layers.separableConv2d({filters: 4, kernelSize: 3, inputShape: [5, 5, 2]})],
      }),
  },
};

/** One of {@link MODELS}, shown as `mlp` etc. */
export const model = (name: keyof typeof MODELS & string): Shown =>
  new Shown(name, MODELS[name].make);

/** One of {@link MODELS}, disposed before the call. */
export const disposedModel = (name: keyof typeof MODELS & string): Shown =>
  new Shown(`disposed /* ${name}, then .dispose() */`, () => {
    const m = MODELS[name].make();
    m.dispose();
    return m;
  });

/** Any value shown by a description instead of its source (long JSON, classes, functions). */
export const described = (text: string, value: unknown): Shown => new Shown(text, () => value);

/** JavaScript source for a value: numbers as written (NaN, Infinity, 1e+40 → 1e40), strings single-quoted. */
export function show(value: unknown): string {
  if (value instanceof Shown) return value.text;
  if (value instanceof RegExp) return String(value);
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    if (Number.isInteger(value) && Math.abs(value) >= 1e21) return String(value).replace('e+', 'e');
    if (
      Number.isInteger(value) &&
      Math.abs(value) >= 1e6 &&
      /^[1-9]0+$/.test(String(Math.abs(value)))
    )
      return `${value < 0 ? '-' : ''}1e${String(Math.abs(value)).length - 1}`;
    return String(value).replace('e+', 'e');
  }
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || value === undefined || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value).map(
      ([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : `'${k}'`}: ${show(v)}`,
    );
    return entries.length === 0 ? '{}' : `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** The value a row's argument stands for; markers are made fresh (and recorded in `made`). */
export function materialize(value: unknown, made: unknown[]): unknown {
  if (value instanceof Shown) {
    const v = value.make();
    made.push(v);
    return v;
  }
  if (Array.isArray(value)) return value.map((v) => materialize(v, made));
  if (
    typeof value === 'object' &&
    value !== null &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, {
        value: materialize(v, made),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out;
  }
  return value;
}

/** Disposes what {@link materialize} made: variables, tensors, models. */
export function disposeMade(made: unknown[]): void {
  for (const v of made) {
    if (v instanceof tfl.LayersModel) {
      try {
        v.dispose();
      } catch {
        // a row's model that was disposed on purpose (disposedModel)
      }
    } else if (v instanceof tf.Tensor && !v.isDisposed) v.dispose();
  }
}
