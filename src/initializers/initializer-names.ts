/**
 * Every name an initializer can be given by, and the error for a name that is none of them: the
 * nearest accepted spellings ("did you mean"), ours and tfjs's, and whether this package's classes
 * are registered. One wording for every path that reads a name: layer configs (through the hook in
 * unknown-name-hook.ts), model files (`inspectModel`, the CLI), rules (`applyInitializers`,
 * `tfjs-init reinit --rule`).
 */
import {serialization} from '@tensorflow/tfjs-core';
import {TfInitializer} from '../core/tfjs';
import {BaseInitializer} from './base';
import {TFJS_BUILTIN_NAMES} from './registry';

/**
 * tfjs-layers' own camelCase identifiers (its private `INITIALIZER_IDENTIFIER_REGISTRY_SYMBOL_MAP`):
 * accepted as a **string** option (`kernelInitializer: 'glorotUniform'`), not as the `className` of
 * a config object or a saved model, which needs the class name (`'GlorotUniform'`).
 */
export const TFJS_IDENTIFIERS: readonly string[] = [
  'constant',
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'identity',
  'leCunNormal',
  'leCunUniform',
  'ones',
  'orthogonal',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
  'zeros',
];

/**
 * How a name is given: `'string'` as a layer's string option (tfjs's identifiers count),
 * `'className'` as the class of a config object or a saved model (only registered classes count),
 * `'any'` when the caller cannot tell (every spelling is offered).
 */
export type NameForm = 'string' | 'className' | 'any';

type Entry = [unknown, unknown];

/** The registry entry of `name` when it is an own key (never `Object.prototype`'s members). */
function entryOf(name: string): Entry | undefined {
  const map = serialization.SerializationMap.getMap().classNameMap as Record<string, unknown>;
  return Object.prototype.hasOwnProperty.call(map, name) ? (map[name] as Entry) : undefined;
}

/** Whether a registry entry is an initializer class (tfjs's, ours, or another package's). */
function isInitializerEntry(entry: Entry | undefined): boolean {
  const cls = entry?.[0] as {prototype?: unknown} | undefined;
  return typeof cls === 'function' && cls.prototype instanceof TfInitializer;
}

/** Every registered initializer class name (own keys of tfjs's class registry), in registry order. */
function registeredInitializerNames(): string[] {
  const map = serialization.SerializationMap.getMap().classNameMap as Record<string, unknown>;
  return Object.keys(map).filter((name) => isInitializerEntry(map[name] as Entry));
}

/**
 * Whether tfjs resolves `name` to an initializer given in `form`: a registered initializer class
 * (any form), or one of tfjs's identifiers (as a string).
 */
export function isInitializerName(name: string, form: NameForm): boolean {
  if (form !== 'className' && TFJS_IDENTIFIERS.includes(name)) return true;
  return isInitializerEntry(entryOf(name));
}

/** Letters and digits only, lower case: `Xavier_Uniform-custom` and `xavierUniformCustom` agree. */
const fold = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Optimal-string-alignment distance (Levenshtein with adjacent transpositions): the number of
 * one-character insertions, deletions, substitutions and swaps between `a` and `b`.
 */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0].push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2][j - 2] + 1);
      rows[i].push(d);
    }
  }
  return rows[a.length][b.length];
}

/** One suggestion: the accepted spellings of one name (`XavierUniformCustom`, `xavierUniformCustom`). */
export interface NameSuggestion {
  spellings: string[];
  /** Who registers it: this package, tfjs itself, or another package (or your code). */
  origin: 'tfjs-initializers' | 'tfjs' | 'another package';
}

/** Who registers one name: tfjs (its classes and identifiers), this package, or another one. */
function originOf(name: string): NameSuggestion['origin'] {
  if (TFJS_BUILTIN_NAMES.includes(name) || TFJS_IDENTIFIERS.includes(name)) return 'tfjs';
  const cls = entryOf(name)?.[0] as {prototype?: unknown} | undefined;
  return typeof cls === 'function' && cls.prototype instanceof BaseInitializer
    ? 'tfjs-initializers'
    : 'another package';
}

interface NameGroup {
  /** The folded spelling the group shares. */
  key: string;
  spellings: string[];
  origin: NameSuggestion['origin'];
}

/**
 * Every accepted name in `form`, grouped by its folded spelling and by who registers it: tfjs's
 * `LeCunNormal` and this package's `LecunNormal` fold alike but are two suggestions.
 */
function groups(form: NameForm): NameGroup[] {
  const names = [
    ...registeredInitializerNames(),
    ...(form === 'className' ? [] : TFJS_IDENTIFIERS),
  ];
  const byKey = new Map<string, NameGroup>();
  for (const name of names) {
    const key = fold(name);
    const origin = originOf(name);
    const group = byKey.get(`${key} ${origin}`) ?? {key, spellings: [], origin};
    if (!group.spellings.includes(name)) group.spellings.push(name);
    byKey.set(`${key} ${origin}`, group);
  }
  return [...byKey.values()];
}

/**
 * The accepted names nearest to `name` (at most `max`), nearest first: the same letters in other
 * case or with `_`/`-` (`xavieruniformcustom`, `glorot_uniform`), a few typing slips away
 * (`XavierUniformCustm`, up to one slip per four letters), or containing it whole (`kaiming`).
 * Each suggestion lists every spelling that loads it (class name, camelCase form, tfjs identifier).
 */
export function nearestInitializerNames(
  name: string,
  form: NameForm = 'any',
  max = 4,
): NameSuggestion[] {
  const given = fold(name);
  // No name is longer than 64 letters: a longer one (a hostile file's) is near none, and its edit
  // distances would cost time in proportion to its length.
  if (given === '' || given.length > 64) return [];
  const limit = Math.max(1, Math.floor(given.length / 4));
  const scored: Array<NameGroup & {score: number}> = [];
  for (const group of groups(form)) {
    const key = group.key;
    const distance = editDistance(given, key);
    // Ranked after every near spelling: a part of a longer name (`kaiming`), then a longer name
    // around a whole one (`glorotuniformv2`).
    const part = given.length >= 4 && key.includes(given);
    const around = key.length >= 4 && 2 * key.length >= given.length && given.includes(key);
    const score =
      distance <= limit ? distance : part ? limit + 0.25 : around ? limit + 0.5 : Infinity;
    if (score !== Infinity) scored.push({...group, score});
  }
  scored.sort(
    (a, b) =>
      a.score - b.score ||
      a.key.length - b.key.length ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : a.origin < b.origin ? 1 : -1),
  );
  // The same letters in another case or with separators: the looser matches are noise beside it.
  const kept =
    scored.length > 0 && scored[0].score === 0 ? scored.filter((c) => c.score <= 1) : scored;
  return kept.slice(0, max).map(({spellings, origin}) => ({
    // The PascalCase class name first, then its camelCase forms.
    spellings: [...spellings].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    origin,
  }));
}

/** A name as messages show it: in single quotes, control characters escaped, at most 60 characters. */
export function shown(name: string): string {
  const cut = name.length > 60 ? `${name.slice(0, 57)}...` : name;
  return `'${JSON.stringify(cut).slice(1, -1)}'`;
}

const quoted = (names: string[]): string => names.map((n) => `'${n}'`).join(' or ');

/**
 * What to say after "unknown initializer 'X'": the nearest accepted spellings (or that none is
 * close), how names are formed, and that this package is imported and its classes registered.
 *
 * @param form how the name was given ({@link NameForm}): which spellings to offer.
 */
export function initializerNameAdvice(name: string, form: NameForm = 'any'): string {
  const near = nearestInitializerNames(name, form);
  const offer =
    near.length === 0
      ? 'No registered initializer name is close to it.'
      : near.length === 1
        ? `Did you mean ${quoted(near[0].spellings)} (${near[0].origin})?`
        : `Did you mean one of: ${near.map((s) => `${quoted(s.spellings)} (${s.origin})`).join('; ')}?`;
  const rule =
    form === 'className'
      ? 'Class names are case-sensitive: a registered initializer class, such as ' +
        "'GlorotUniform' or 'XavierUniformCustom' (tfjs's camelCase identifiers such as " +
        "'glorotUniform' work only as a layer's string option)."
      : 'Names are case-sensitive: a registered class name (PascalCase, or camelCase with a ' +
        "lower-case first letter) or, as a string option, one of tfjs's identifiers " +
        "('glorotUniform', 'heNormal', 'zeros', ...).";
  return (
    `${offer} ${rule} tfjs-initializers is imported and its initializers are registered ` +
    `with tf.serialization; a name from another package loads once that package is imported.`
  );
}

/**
 * The error text for an initializer name tfjs does not know, e.g. for `'XavierUniformCustm'`:
 *
 * > unknown initializer 'XavierUniformCustm'. Did you mean 'XavierUniformCustom' or
 * > 'xavierUniformCustom' (tfjs-initializers)? Names are case-sensitive: a registered class name
 * > (PascalCase, or camelCase with a lower-case first letter) or, as a string option, one of tfjs's
 * > identifiers ('glorotUniform', 'heNormal', 'zeros', ...). tfjs-initializers is imported and its
 * > initializers are registered with tf.serialization; a name from another package loads once that
 * > package is imported.
 *
 * @param form how the name was given ({@link NameForm}): which spellings to offer.
 */
export function unknownInitializerText(name: string, form: NameForm = 'any'): string {
  return `unknown initializer ${shown(name)}. ${initializerNameAdvice(name, form)}`;
}
