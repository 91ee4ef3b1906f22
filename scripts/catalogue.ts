/**
 * The per-initializer facts that tests and scripts derive from, read from the classes themselves —
 * nothing here is written per class. For every class the package registers (and every fixed tfjs
 * built-in) `describeInitializer` (src/initializers/describe.ts) reads its registered name, its
 * schema (each option with the kind its check carries), the dtypes `apply` accepts and its
 * `ShapeFacts` (ranks, an example shape, a stress shape). The error table (scripts/errors/table.ts,
 * which renders docs/errors.md), the property tests and the fuzz script
 * (__tests__/helpers/arbitraries.ts), the catalogue test, the memory stress script and the API map
 * (scripts/api-map.ts, docs/api.md) all read it. A new initializer needs no entry: registering it
 * puts it here.
 */
import * as api from '../src';
import {lowerFirst} from '../src/core/camel-case';
import type {OptionKind} from '../src/core/options';
import type {InitializerClass} from '../src/initializers/base';
import {describeInitializer, type InitializerFacts} from '../src/initializers/describe';
import {aliasesOf, registeredClass} from '../src/initializers/registry';
import {FIXED} from '../src/initializers/builtins/use-fixed';

export type {OptionKind};

/** What the tests need to know about one initializer class (see `InitializerFacts`). */
export type ClassFacts = InitializerFacts;

/** The class registered under `name` by this package. */
function classOf(name: string): NonNullable<ReturnType<typeof registeredClass>> {
  const cls = registeredClass(name);
  if (cls === undefined) throw new Error(`${name} is not registered by this package`);
  return cls;
}

/** Every class the package registers, by name (alphabetical: an order no import can change). */
export const CATALOGUE: readonly ClassFacts[] = api
  .registeredNames()
  .sort()
  .map((name) => describeInitializer(classOf(name)));

/** The fixed tfjs built-ins `useFixedBuiltins()` registers under tfjs's own names, in its order. */
export const FIXED_BUILTINS: readonly ClassFacts[] = FIXED.map((cls) => describeInitializer(cls));

/** The name of a class's factory function (the registry's camelCase rule, src/core/camel-case.ts). */
export function factoryOf(facts: ClassFacts): string {
  return lowerFirst(facts.name);
}

/** The further names a registered class loads by (`register(cls, {aliases})`), e.g. Keras 3's. */
export function aliasesOfClass(facts: ClassFacts): string[] {
  return aliasesOf(classOf(facts.name));
}

/** The class itself (registered, or a fixed built-in), for the facts of either table. */
export function classOfFacts(facts: ClassFacts): InitializerClass {
  const cls = registeredClass(facts.name) ?? FIXED.find((c) => c.className === facts.name);
  if (cls === undefined)
    throw new Error(`${facts.name} is neither registered nor a fixed built-in`);
  return cls;
}

/** The facts of one class (of either table), by name. */
export function factsOf(name: string): ClassFacts {
  const facts = [...CATALOGUE, ...FIXED_BUILTINS].find((f) => f.name === name);
  if (facts === undefined) throw new Error(`${name} is neither registered nor a fixed built-in`);
  return facts;
}
