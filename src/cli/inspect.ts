import type {Inspection} from '../tools/inspect';
import {readModelFile, weightsNote, type ModelFileAccess} from './model-file';
import {installCommand} from '../node/backend';
import {startBackendIfPresent} from './runtime';
import {EXIT, type CliIo} from './exit-codes';
import {table} from '../tools/text-table';
import {plural} from '../core/plural';

/** The options of an initializer worth showing: seed and the numbers that set its scale. */
function describeConfig(config: Record<string, unknown>): string {
  return Object.entries(config)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

/** What the table's figures are, printed under it. */
const COLUMNS =
  'fanIn: inputs feeding each output unit (kh·kw for a depthwise kernel); Var(W)·fanIn: ' +
  'variance of the initial weights times fanIn — 1 keeps the scale of the signal through a ' +
  'linear layer, 2 through a ReLU (He); then: what the output meets next, up to the first ' +
  'activation or normalization';

/** Renders an inspection as text: one row per initializer, then the problems. */
export function formatInspection(file: string, r: Inspection): string {
  const rows = r.entries.map((e) => [
    e.layer,
    e.layerClass,
    e.activation ?? '—',
    e.weight,
    e.initializer,
    describeConfig(e.config),
    `[${e.shape.join(', ')}]`,
    e.fanIn === null ? '—' : String(e.fanIn),
    e.gain === null ? '—' : e.gain.toPrecision(3),
    e.follows ?? '',
  ]);
  const lines = [
    `${file}: ${r.modelClass}, ${plural(r.layers, 'layer')}, ${plural(r.entries.length, 'weight')}`,
    '',
    table(
      [
        'layer',
        'class',
        'activation',
        'weight',
        'initializer',
        'options',
        'shape',
        'fanIn',
        'Var(W)·fanIn',
        'then',
      ],
      rows,
    ),
    `columns: ${COLUMNS}`,
    '',
    ...r.notes.map((n) => `note: ${n}`),
  ];
  if (r.problems.length === 0) lines.push('problems: none');
  else
    lines.push(
      `problems (${r.problems.length}):`,
      ...r.problems.map((p) => `  ${p.severity}: ${p.message}`),
    );
  return lines.join('\n');
}

/** `tfjs-init inspect <model.json>`: exit 5 with unregistered classes, 1 with warnings, else 0. */
export async function inspectCommand(
  target: string,
  options: {json?: boolean; backend?: string; files?: ModelFileAccess},
  io: CliIo,
): Promise<number> {
  // Schemes without a formula are measured by drawing the kernel once, on a backend when one is
  // installed; without one inspect still runs and leaves those gains out.
  const measured = await startBackendIfPresent(options.backend, io);
  const model = await readModelFile(target, false, options.files);
  const r = model.inspection;
  // inspect never reads weights, but says what the other commands would use, in their words.
  if (model.missingWeights.length > 0) io.err(weightsNote(model) as string);
  io.out(options.json === true ? JSON.stringify(r, null, 2) : formatInspection(model.file, r));
  if (!measured && r.entries.some((e) => e.fanIn !== null && e.gain === null))
    io.err(
      `note: no tfjs backend is installed, so Var(W)·fanIn is left out (—) for initializers ` +
        `without a formula; \`${installCommand('cpu')}\` lets inspect measure them`,
    );
  if (r.problems.some((p) => p.severity === 'error')) return EXIT.unknownClass;
  return r.problems.length > 0 ? EXIT.problems : EXIT.ok;
}
