import {dispose, engine, io, type NamedTensorMap, type Tensor} from '@tensorflow/tfjs-core';
import {loadLayersModel, models, type LayersModel} from '@tensorflow/tfjs-layers';
import {chainedOpsLoaded, type Initializer} from '../../core/tfjs';
import {BaseInitializer} from '../../initializers/base';
import {OrthogonalInitializer} from '../../initializers/orthogonal';
import {interceptAddWeight, type AddWeightHook} from '../../weights/add-weight';
import {disposeOptimizer} from './optimizer-weights';
import {disposeModel} from '../../weights/dispose-model';

/**
 * tfjs's own `Orthogonal` runs only where the full `@tensorflow/tfjs` bundle is loaded (elsewhere
 * the package's Haar sampler already draws it), and there it orthogonalizes with many small
 * tensor ops: [64, 256] (an LSTM(64)'s recurrent kernel) takes seconds, [1024, 1024] over ten
 * minutes. While a checked model is built, such a weight is drawn by the package's
 * `OrthogonalInitializer` instead — the same family (orthonormal rows or columns, times `gain`),
 * seeded by the instance's `seed` when it has one (0 and null mean unseeded, as in tfjs): in
 * milliseconds. The layer keeps tfjs's initializer, so the model's config is unchanged.
 */
const drawOrthogonalFast: AddWeightHook = (call, create) => {
  const init = call.initializer as
    (Initializer & {gain?: number; seed?: number | null}) | undefined;
  if (
    init === undefined ||
    init === null ||
    init instanceof BaseInitializer ||
    init.getClassName() !== 'Orthogonal' ||
    !chainedOpsLoaded() ||
    (call.dtype != null && call.dtype !== 'float32')
  )
    return create(init);
  let haar: OrthogonalInitializer;
  try {
    haar = new OrthogonalInitializer({
      gain: init.gain ?? 1,
      ...(init.seed ? {seed: init.seed} : {}),
    });
  } catch {
    return create(init); // an option ours does not take (a gain <= 0): tfjs's own, as before
  }
  return create(haar as unknown as Initializer);
};

/**
 * Builds a LayersModel from artifacts that passed the checks (`validateModelJSON` and the byte
 * count), as tfjs's `loadLayersModel` does, with two differences: a failure at any step disposes
 * what the load created (the model, its variables, its optimizer, the decoded weights; with
 * tfjs's own loader, the variables) before it rethrows; and tfjs's own `Orthogonal`, where it
 * would run, is drawn in milliseconds ({@link drawOrthogonalFast}).
 *
 * With weights and `strict`, tfjs's loader itself runs (it skips every initializer then: its
 * "fast weight init" creates zeros and fills them from the file). Otherwise — a topology alone,
 * or `strict: false` — the model is built by `tf.models.modelFromJSON`, whose synchronous part
 * builds every layer and runs its initializers, then compiled from the training config, given its
 * metadata and the weights the file has (model weights by name, optimizer weights to the
 * optimizer), exactly the steps of tfjs's loader.
 */
export async function loadCheckedArtifacts(
  artifacts: io.ModelArtifacts,
  strict: boolean,
): Promise<LayersModel> {
  const hasWeights = artifacts.weightData != null && artifacts.weightSpecs != null;
  if (hasWeights && strict) {
    // tfjs's own loader: if it still fails, the variables it created are disposed (the decoded
    // weights it holds are out of reach; the checks before make such a failure unexpected).
    const before = new Set(Object.keys(engine().state.registeredVariables));
    try {
      return await loadLayersModel({load: async () => artifacts}, {strict});
    } catch (e) {
      for (const [name, v] of Object.entries(engine().state.registeredVariables))
        if (!before.has(name)) v.dispose();
      throw e;
    }
  }
  const model = await interceptAddWeight(drawOrthogonalFast, () =>
    models.modelFromJSON({modelTopology: artifacts.modelTopology} as never),
  );
  let decoded: NamedTensorMap = {};
  try {
    if (artifacts.trainingConfig != null)
      model.loadTrainingConfig(artifacts.trainingConfig as never);
    if (artifacts.userDefinedMetadata != null)
      model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
    if (hasWeights) {
      const specs = artifacts.weightSpecs as io.WeightsManifestEntry[];
      decoded = io.decodeWeights(artifacts.weightData as io.WeightData, specs);
      const modelWeights: NamedTensorMap = {};
      const optimizerWeights: Array<{name: string; tensor: Tensor}> = [];
      for (const spec of specs) {
        if (spec.group === 'optimizer')
          optimizerWeights.push({name: spec.name, tensor: decoded[spec.name]});
        else modelWeights[spec.name] = decoded[spec.name];
      }
      model.loadWeights(modelWeights, strict);
      if (model.optimizer != null && optimizerWeights.length > 0)
        await model.optimizer.setWeights(optimizerWeights);
    }
    return model;
  } catch (e) {
    disposeOptimizer(model.optimizer);
    disposeModel(model);
    throw e;
  } finally {
    dispose(Object.values(decoded));
  }
}
