import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {OrthogonalInitializer} from '../../src';
import {WEIGHT_ROLES, applyInitializers} from '../../src/tools';

const L = tfl.layers;
const orthogonal = (): OrthogonalInitializer => new OrthogonalInitializer(); // tfjs's needs the full bundle

/** Every tfjs-layers layer class that has weights, alone, wrapped, or as RNN cells. */
const LAYERS: Array<[string, number[], () => tfl.layers.Layer]> = [
  ['Dense', [4], () => L.dense({units: 3})],
  ['Conv1D', [6, 2], () => L.conv1d({filters: 3, kernelSize: 2})],
  ['Conv2D', [5, 5, 2], () => L.conv2d({filters: 3, kernelSize: 2})],
  ['Conv3D', [4, 4, 4, 2], () => L.conv3d({filters: 3, kernelSize: 2})],
  ['Conv2DTranspose', [5, 5, 2], () => L.conv2dTranspose({filters: 3, kernelSize: 2})],
  [
    'Conv3DTranspose',
    [4, 4, 4, 2],
    () =>
      (L as unknown as {conv3dTranspose: typeof L.conv3d}).conv3dTranspose({
        filters: 3,
        kernelSize: 2,
      }),
  ],
  ['SeparableConv2D', [5, 5, 2], () => L.separableConv2d({filters: 3, kernelSize: 2})],
  ['DepthwiseConv2D', [5, 5, 2], () => L.depthwiseConv2d({kernelSize: 2})],
  ['SimpleRNN', [3, 2], () => L.simpleRNN({units: 3, recurrentInitializer: orthogonal()})],
  ['GRU', [3, 2], () => L.gru({units: 3, recurrentInitializer: orthogonal()})],
  ['LSTM', [3, 2], () => L.lstm({units: 3, recurrentInitializer: orthogonal()})],
  [
    'ConvLSTM2D',
    [2, 4, 4, 2],
    () => L.convLstm2d({filters: 2, kernelSize: 2, recurrentInitializer: orthogonal()}),
  ],
  [
    'RNN of stacked cells',
    [3, 2],
    () =>
      L.rnn({
        cell: [
          L.lstmCell({units: 3, recurrentInitializer: orthogonal()}),
          L.gruCell({units: 2, recurrentInitializer: orthogonal()}),
          L.simpleRNNCell({units: 2, recurrentInitializer: orthogonal()}),
        ],
      }),
  ],
  ['Embedding', [3], () => L.embedding({inputDim: 5, outputDim: 2})],
  ['BatchNormalization', [4], () => L.batchNormalization()],
  ['LayerNormalization', [4], () => L.layerNormalization()],
  ['PReLU', [4], () => L.prelu()],
  [
    'Bidirectional',
    [3, 2],
    () =>
      L.bidirectional({layer: L.gru({units: 2, recurrentInitializer: orthogonal()}) as tfl.RNN}),
  ],
  ['TimeDistributed', [3, 2], () => L.timeDistributed({layer: L.dense({units: 2})})],
];

/**
 * A distinct constant per role — except that pointwise kernels get the depthwise one: tfjs 4.22's
 * SeparableConv2D reloads `pointwiseInitializer` from `depthwiseInitializer`, so applyInitializers
 * refuses two different ones (tested in apply-initializers.test.ts).
 */
const VALUE: Record<string, number> = Object.fromEntries(
  [...new Set(Object.values(WEIGHT_ROLES))].map((role, i) => [role, i + 1]),
);
VALUE.pointwise = VALUE.depthwise;

/** Every `<role>Initializer` option in a (nested) layer config, with the value of its Constant. */
function constantOptions(
  config: unknown,
  found: Array<[string, number]> = [],
): Array<[string, number]> {
  if (Array.isArray(config)) config.forEach((c) => constantOptions(c, found));
  else if (typeof config === 'object' && config !== null) {
    for (const [key, value] of Object.entries(config)) {
      const spec = value as {className?: string; config?: {value?: number}};
      if (key.endsWith('Initializer') && spec?.className === 'Constant')
        found.push([key.replace(/Initializer$/, ''), spec.config?.value as number]);
      else constantOptions(value, found);
    }
  }
  return found;
}

describe(
  'weight roles of every tfjs layer (the mapping weight name → ' +
    'initializer option, found from tfjs itself)',
  () => {
    it.each(LAYERS)(
      '%s: each weight gets the role WEIGHT_ROLES names; that option is the one tfjs draws it from and saves',
      async (_name, shape, make) => {
        const model = tfl.sequential({layers: [L.inputLayer({inputShape: shape}), make()]});
        const seen: string[] = [];
        applyInitializers(model, (_layer, role, weight) => {
          seen.push(role);
          expect(role).toBe(WEIGHT_ROLES[weight.name.split('/').pop() as string]);
          return {className: 'Constant', config: {value: VALUE[role]}};
        });
        expect(seen).toHaveLength(model.weights.length);
        const check = (m: tfl.LayersModel): void => {
          for (const w of m.weights) {
            const role =
              WEIGHT_ROLES[w.originalName.split('/').pop()?.replace(/_\d+$/, '') as string];
            expect({
              weight: w.name,
              constant: [...w.read().dataSync()].every((v) => v === VALUE[role]),
            }).toEqual({weight: w.name, constant: true});
          }
        };
        check(model);
        // The layer's saved config names exactly those options, and rebuilding from it draws them.
        const layer = model.layers[model.layers.length - 1];
        expect(
          new Set(constantOptions(layer.getConfig()).map(([role, value]) => `${role}=${value}`)),
        ).toEqual(new Set(seen.map((role) => `${role}=${VALUE[role]}`)));
        const tensors = tf.memory().numTensors;
        const rebuilt = await tfl.models.modelFromJSON({
          modelTopology: model.toJSON(null, false),
        } as never);
        check(rebuilt);
        rebuilt.dispose();
        expect(tf.memory().numTensors).toBe(tensors);
        model.dispose();
      },
    );
  },
);
