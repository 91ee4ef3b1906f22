import type {Inspection} from '../tools/inspect';
import {readModelFile, weightsNote, type ModelFileAccess} from './model-file';
import {startBackend} from './runtime';
import {EXIT, type CliIo} from './exit-codes';
import {table} from '../tools/text-table';

/** The options of an initializer worth showing: seed and the numbers that set its scale. */
function describeConfig(config: Record<string, unknown>): string {
  return Object.entries(config)
    .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
}

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
    `${file}: ${r.modelClass}, ${r.layers} layers, ${r.entries.length} weights`,
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
  await startBackend(options.backend, io); // schemes without a formula are measured by drawing the kernel once
  const model = await readModelFile(target, false, options.files);
  const r = model.inspection;
  // inspect never reads weights, but says what the other commands would use, in their words.
  if (model.missingWeights.length > 0) io.err(weightsNote(model) as string);
  io.out(options.json === true ? JSON.stringify(r, null, 2) : formatInspection(model.file, r));
  if (r.problems.some((p) => p.severity === 'error')) return EXIT.unknownClass;
  return r.problems.length > 0 ? EXIT.problems : EXIT.ok;
}
