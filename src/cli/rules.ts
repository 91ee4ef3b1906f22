import type {LayersModel} from '@tensorflow/tfjs-layers';
import {InitializerError} from '../core/errors';
import {applyInitializers, type AppliedInitializer} from '../tools/apply-initializers';
import type {InitializerRule} from '../tools/initializer-rules';
import {resolveInitializer, type SerializedInitializer} from '../tools/initializer-spec';
import {table} from '../tools/text-table';
import {CliError, EXIT, type CliIo} from './exit-codes';
import {plural} from '../core/plural';

/** The syntax of `--rule`, as usage errors and `--help` state it. */
export const RULE_SYNTAX =
  `LAYER[.ROLE]=INITIALIZER[{json options}], e.g. ` +
  `'Dense.kernel=XavierUniformCustom{"gain":1.6667}' or ` +
  `'*.bias=ZeroBias'`;

const fault = (text: string, what: string): CliError =>
  new CliError(EXIT.usage, `--rule '${text}': ${what}; expected ${RULE_SYNTAX}`);

/** Reads `/pattern/flags` at the start of `text`; returns the RegExp and the rest. */
function regexPart(text: string): {layer: RegExp; rest: string} {
  let i = 1;
  while (i < text.length && text[i] !== '/') i += text[i] === '\\' ? 2 : 1;
  if (i >= text.length) throw fault(text, 'the layer pattern /…/ is not closed');
  const flags = /^[imsu]*/.exec(text.slice(i + 1))?.[0] ?? '';
  try {
    return {layer: new RegExp(text.slice(1, i), flags), rest: text.slice(i + 1 + flags.length)};
  } catch (e) {
    throw fault(
      text,
      `the layer pattern is not a valid regular expression (${(e as Error).message})`,
    );
  }
}

/**
 * Parses one `--rule` of `tfjs-init reinit` into an {@link InitializerRule}:
 *
 *     LAYER[.ROLE]=INITIALIZER[{json options}]
 *
 * - LAYER: `*` (every layer), a layer class name or layer name (`Dense`, `conv2d_1`; any
 *   characters but `.`, `=`, `/`, `*` and spaces), or `/regex/flags` (flags among `imsu`; `\/` for
 *   a slash inside), tested against class names and names.
 * - ROLE: a weight role, the initializer option without `Initializer` (`kernel`, `bias`,
 *   `recurrent`, `depthwise`, `pointwise`, `gamma`, `beta`, `movingMean`, `movingVariance`,
 *   `embeddings`, `alpha`); absent: every weight of the layer.
 * - INITIALIZER: a registered class name (PascalCase or camelCase) or a tfjs identifier
 *   (`glorotUniform`, `zeros`), optionally followed directly by its options as a JSON object with
 *   camelCase keys: `KaimingNormal{"mode":"fanOut","nonlinearity":"relu"}`.
 *
 * @throws CliError (exit 2) naming the rule and what is wrong, before any model is loaded; an
 * unknown initializer name or a bad option value is found here too.
 */
export function parseRule(text: string): InitializerRule {
  let layer: string | RegExp | undefined;
  let rest: string;
  if (text.startsWith('/')) ({layer, rest} = regexPart(text));
  else {
    const match = /^([^.=/*\s]+|\*)/.exec(text);
    if (match === null) throw fault(text, 'it must start with a layer class or name, * or /regex/');
    layer = match[1] === '*' ? undefined : match[1];
    rest = text.slice(match[1].length);
  }
  // An initializer name with '_' (Keras's glorot_uniform) is read, to be told the name tfjs takes.
  const tail = /^(?:\.([A-Za-z][A-Za-z0-9]*))?=([A-Za-z][A-Za-z0-9_]*)(\{.*\})?$/s.exec(rest);
  if (tail === null)
    throw fault(
      text,
      rest.includes('=') ? `cannot read '${rest}' after the layer` : "there is no '=INITIALIZER'",
    );
  const [, role, name, json] = tail;
  let initializer: InitializerRule['initializer'] = name;
  if (json !== undefined) {
    let config: unknown;
    try {
      config = JSON.parse(json);
    } catch (e) {
      throw fault(text, `the options are not valid JSON (${(e as Error).message})`);
    }
    initializer = {className: name, config: config as never};
  }
  try {
    resolveInitializer('tfjs-init', 'rule', '', initializer);
  } catch (e) {
    if (e instanceof InitializerError)
      throw new CliError(EXIT.usage, `--rule '${text}': ${e.message.slice(e.owner.length + 2)}`);
    throw e;
  }
  return {
    ...(layer === undefined ? {} : {layer}),
    ...(role === undefined ? {} : {weight: role}),
    initializer,
  };
}

/** An initializer as a table cell: its name and set options (`seed` left out when it is `column`'s). */
function shown(init: SerializedInitializer, column: number | null = null): string {
  const options = Object.entries(init.config)
    .filter(([k, v]) => v !== null && !(k === 'seed' && v === column))
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return options.length === 0 ? init.className : `${init.className} ${options.join(' ')}`;
}

/**
 * Applies parsed rules to a loaded model with `applyInitializers` and prints what changed; rule
 * errors (a role the layer lacks, a scheme that cannot fill a shape, a rule that matches nothing)
 * end the command with exit 2, the model unchanged. With `unmatched: 'reinitialize'` (an input
 * without stored values) the weights no rule chooses are drawn by their own initializers.
 *
 * @returns what `applyInitializers` reports: every weight it drew.
 */
export function applyRules(
  model: LayersModel,
  rules: InitializerRule[],
  seed: number | undefined,
  io: CliIo,
  unmatched: 'keep' | 'reinitialize' = 'keep',
): AppliedInitializer[] {
  let report: AppliedInitializer[];
  try {
    report = applyInitializers(model, rules, {...(seed === undefined ? {} : {seed}), unmatched});
  } catch (e) {
    if (e instanceof InitializerError)
      throw new CliError(EXIT.usage, `bad --rule for this model: ${e.message}`);
    throw new CliError(EXIT.failed, `could not apply the rules: ${(e as Error).message}`);
  }
  const ruled = report.filter((r) => r.rule !== null);
  const others = report.length - ruled.length;
  const withSeed = seed === undefined ? '' : ` with seed ${seed}`;
  io.out(
    `applied ${plural(rules.length, 'rule')} to ${ruled.length} ` +
      `of ${plural(model.weights.length, 'weight')} ` +
      `of ${model.name}${withSeed}; ` +
      (unmatched === 'keep'
        ? `the others keep their values`
        : `the other ${others}, which the input has no values for, ` +
          `are drawn by their own initializers${withSeed}`),
  );
  // The name the file saves (tfjs suffixes `name` with _1, _2 … when a process builds a layer twice).
  const saved = new Map(model.weights.map((w) => [w.name, w.originalName]));
  io.out(
    table(
      ['weight', 'role', 'rule', 'old initializer', 'new initializer', 'seed'],
      ruled.map((r) => [
        saved.get(r.weight) ?? r.weight,
        r.role,
        String(r.rule),
        shown(r.oldInitializer),
        shown(r.newInitializer, r.seed),
        r.seed === null ? '—' : String(r.seed),
      ]),
    ),
  );
  return report;
}
