import {LayersModel} from '@tensorflow/tfjs-layers';
import {onSeeding} from '../seed';
import {datasetPrototypes, installDataShuffle, uninstallDataShuffle} from './data-shuffle';
import {installFitShuffle, uninstallFitShuffle} from './fit-shuffle';
import {engineClass} from './engine-class';
import {installRandomOps, uninstallRandomOps} from './random-ops';
import {isReplaced} from './replace';

/**
 * `setSeed` for the randomness of a tfjs training run beyond initialization (docs/seeding.md, "A
 * training run"): while the stream is seeded (from `setSeed` until `clearSeed`, and inside
 * `withSeed`), tfjs's unseeded random ops — and through them every Dropout, noise layer and
 * recurrent dropout mask — (`random-ops.ts`), `model.fit`'s per-epoch shuffle (`fit-shuffle.ts`)
 * and `tf.data`'s `Dataset.shuffle` without a seed (`data-shuffle.ts`) take their randomness from
 * the stream, each draw the stream's next seed in program order. When the stream is unseeded again
 * every replaced method is given back, identical to the original.
 */

function install(): void {
  installRandomOps();
  installFitShuffle();
  installDataShuffle();
}

function uninstall(): void {
  uninstallDataShuffle();
  uninstallFitShuffle();
  uninstallRandomOps();
}

/**
 * What is replaced right now, by name (internal; tests check that `clearSeed` leaves nothing):
 * the engine's `startScope`, `endScope`, `makeTensor`, `LayersModel.prototype.fitLoop` and each
 * reachable `Dataset.prototype.shuffle`.
 */
export function trainingPatches(): string[] {
  const e = engineClass();
  const found: string[] = [];
  for (const key of ['startScope', 'endScope', 'makeTensor'])
    if (isReplaced(e, key)) found.push(`engine.${key}`);
  if (isReplaced(LayersModel.prototype, 'fitLoop')) found.push('LayersModel.prototype.fitLoop');
  for (const proto of datasetPrototypes())
    if (isReplaced(proto, 'shuffle')) found.push('Dataset.prototype.shuffle');
  return found;
}

onSeeding((on) => (on ? install() : uninstall()));
