import {serialization} from '@tensorflow/tfjs-core';
import {toCamelCase} from '../core/camel-case';
import {ownValue} from '../core/own';

/**
 * Which nonlinearity a layer applies, from its class and config — the same answer for a live
 * layer (`layer.getClassName()`, `layer.getConfig()`) and for a layer entry of a saved `model.json`.
 */

/** Layer classes that are an activation by themselves. */
const ACTIVATION_LAYERS: Readonly<Record<string, string>> = {
  ReLU: 'relu',
  LeakyReLU: 'leakyRelu',
  PReLU: 'prelu',
  ELU: 'elu',
  ThresholdedReLU: 'thresholdedRelu',
  Softmax: 'softmax',
};

/**
 * The activation a layer applies to its output: its `activation` option (Dense, Conv, Activation, ...)
 * or its class (ReLU, LeakyReLU, ...); `'linear'` when it has an activation option left unset;
 * null when the layer applies none of its own (BatchNormalization, Flatten, ...).
 */
export function activationOf(className: string, config: Record<string, unknown>): string | null {
  // ReLU(maxValue: 6) is ReLU6, the form Keras-converted MobileNets use.
  if (className === 'ReLU' && config.maxValue === 6) return 'relu6';
  const own = ownValue(ACTIVATION_LAYERS, className);
  if (own !== undefined) return own;
  if (!Object.prototype.hasOwnProperty.call(config, 'activation')) return null;
  const a = config.activation;
  if (a === null || a === undefined) return 'linear';
  if (typeof a === 'string') return toCamelCase(a);
  if (typeof a === 'object' && typeof (a as {className?: unknown}).className === 'string')
    return toCamelCase((a as {className: string}).className);
  return null;
}

/** Saturating activations and their range: output in [centre − halfWidth, centre + halfWidth]. */
export const SATURATING: Readonly<Record<string, {centre: number; halfWidth: number}>> = {
  tanh: {centre: 0, halfWidth: 1},
  sigmoid: {centre: 0.5, halfWidth: 0.5},
  hardSigmoid: {centre: 0.5, halfWidth: 0.5},
  softsign: {centre: 0, halfWidth: 1},
};

/** Activations whose units can die: exactly 0 for every input of the batch. */
export const RECTIFIERS: readonly string[] = ['relu', 'relu6', 'thresholdedRelu'];

/**
 * A new instance of the `linear` activation tfjs registers: put in a layer's `activation` to switch
 * its fused activation off.
 */
export function linearActivation(): unknown {
  const entry = serialization.SerializationMap.getMap().classNameMap.linear;
  return new (entry[0] as unknown as new () => unknown)();
}
