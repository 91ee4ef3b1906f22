import {Tensor} from '@tensorflow/tfjs-core';
import {childPath, invalid} from './scan';
import type {ManifestEntry} from './manifest';
import {sizeOf} from '../../core/tensor-args';

/**
 * How many saved weights each tfjs optimizer takes per model variable in `setWeights` (tfjs-core
 * 4.x), after the first weight, which is always its iteration count. `SGD` takes none (it throws
 * on any), `Adamax` and optimizers without a `setWeights` of their own throw on every call.
 */
const SLOTS: Readonly<Record<string, (optimizer: {centered?: unknown}) => number>> = {
  SGD: () => 0,
  Momentum: () => 1,
  Adagrad: () => 1,
  Adam: () => 2,
  Adadelta: () => 2,
  RMSProp: (o) => (o.centered ? 3 : 2),
};

/**
 * Checks the optimizer weights of a manifest (`group: 'optimizer'`, in file order) against the
 * optimizer the file's `trainingConfig` creates (`optimizer`, from the dry compile), so that
 * tfjs's loader, which hands them to `optimizer.setWeights` after building and filling every model
 * weight, cannot fail there and leave the model's tensors behind:
 *
 * - each is float32 or int32 (optimizers keep no other dtype; a complex64 one would fail to
 *   decode on wasm);
 * - the first is the iteration count, one number (tfjs reads its first value);
 * - the rest come in the number the optimizer's `setWeights` takes: none for SGD, one per
 *   variable for Momentum and Adagrad, two for Adam and Adadelta, two or three (centered) for
 *   RMSProp; any for an optimizer whose `setWeights` always throws (Adamax, custom ones) is refused.
 */
export function checkOptimizerWeights(
  entries: readonly ManifestEntry[],
  optimizer: {getClassName(): string; centered?: unknown},
): void {
  if (entries.length === 0) return;
  const name = optimizer.getClassName();
  for (const entry of entries) {
    if (entry.dtype !== 'float32' && entry.dtype !== 'int32')
      throw invalid(
        childPath(entry.place, 'dtype'),
        `optimizer weight '${entry.name}' must be float32 or int32 (an optimizer keeps no other). ` +
          `Received: ${JSON.stringify(entry.dtype)}`,
      );
  }
  const slots = Object.prototype.hasOwnProperty.call(SLOTS, name) ? SLOTS[name] : undefined;
  if (slots === undefined)
    throw invalid(
      childPath(entries[0].place, 'group'),
      `the file holds ${entries.length} optimizer weight(s), but tfjs's ${name} optimizer ` +
        `cannot take saved weights (its setWeights throws): save without includeOptimizer, or ` +
        `drop the optimizer entries`,
    );
  const first = entries[0];
  if (sizeOf(first.shape) !== 1)
    throw invalid(
      childPath(first.place, 'shape'),
      `the first optimizer weight ('${first.name}') is the optimizer's iteration count, one ` +
        `number; it has shape [${first.shape.join(', ')}]`,
    );
  const per = slots(optimizer);
  const rest = entries.length - 1;
  if ((per === 0 && rest > 0) || (per > 0 && rest % per !== 0))
    throw invalid(
      childPath(entries[entries.length - 1].place, 'group'),
      `tfjs's ${name} optimizer takes its iteration count and then ` +
        (per === 0
          ? 'nothing else'
          : `${per} weight(s) per variable (a multiple of ${per}) after it`) +
        `, but the file holds ${rest} more optimizer weight(s); tfjs would fail after loading ` +
        `every model weight`,
    );
}

/** Every tensor an optimizer holds in its own fields (`c`, `m`, `accBeta1`, accumulators, ...). */
function heldTensors(optimizer: object): Tensor[] {
  const found: Tensor[] = [];
  const take = (v: unknown): void => {
    if (v instanceof Tensor) found.push(v);
    else if (
      typeof v === 'object' &&
      v !== null &&
      (v as {variable?: unknown}).variable instanceof Tensor
    )
      found.push((v as {variable: Tensor}).variable);
  };
  for (const value of Object.values(optimizer)) {
    if (Array.isArray(value)) value.forEach(take);
    else take(value);
  }
  return found;
}

/**
 * Disposes an optimizer and every tensor it holds. tfjs's own `dispose` misses some: Momentum's
 * disposes its momentum scalar but not the learning-rate scalar of its SGD base, one tensor per
 * optimizer (so one per `validateModelJSON` call, before this).
 */
export function disposeOptimizer(optimizer: object | undefined | null): void {
  if (optimizer === undefined || optimizer === null) return;
  const held = heldTensors(optimizer);
  (optimizer as {dispose?: () => void}).dispose?.();
  for (const t of held) if (!t.isDisposed) t.dispose();
}
