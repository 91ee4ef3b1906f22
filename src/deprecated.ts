/**
 * Names of 0.1 that changed in 0.2, kept for one version (CHANGELOG.md, "Deprecated"). Each is the
 * same value as its new name; saved models that use an old class name load through a registry alias.
 */
import {Eye, eye} from './initializers/identity';
import type {OrthogonalInitializerArgs} from './initializers/orthogonal';
import {fillTruncNormal} from './random/samplers';
import {
  VarianceScalingInitializer,
  varianceScalingInitializer,
  type VarianceScalingInitializerArgs,
} from './initializers/variance-scaling';
import type {XavierArgs} from './initializers/xavier';

/** @deprecated Renamed {@link VarianceScalingInitializer} (0.2); the name `'VarianceScalingInit'` still loads. */
export const VarianceScalingInit = VarianceScalingInitializer;
/** @deprecated Renamed {@link VarianceScalingInitializer} (0.2). */
export type VarianceScalingInit = VarianceScalingInitializer;
/** @deprecated Renamed {@link varianceScalingInitializer} (0.2). */
export const varianceScalingInit = varianceScalingInitializer;
/** @deprecated Renamed {@link VarianceScalingInitializerArgs} (0.2). */
export type VarianceScalingInitArgs = VarianceScalingInitializerArgs;

/** @deprecated Use {@link Eye}: one class now; the name `'IdentityInitializer'` (Keras 3) loads as `Eye`. */
export const IdentityInitializer = Eye;
/** @deprecated Use {@link Eye}. */
export type IdentityInitializer = Eye;
/** @deprecated Use {@link eye}. */
export const identityInitializer = eye;

/** @deprecated Renamed {@link fillTruncNormal} (0.2), after the class `TruncNormal` and `truncNormal_`. */
export const fillTruncatedNormal = fillTruncNormal;

/** @deprecated Renamed {@link XavierArgs} (0.2). */
export type XavierUniformCustomArgs = XavierArgs;
/** @deprecated Renamed {@link XavierArgs} (0.2). */
export type XavierNormalArgs = XavierArgs;
/** @deprecated Renamed {@link OrthogonalInitializerArgs} (0.2). */
export type OrthogonalArgs = OrthogonalInitializerArgs;
