import {CONTAINER_CLASSES, locateTopology} from './untrusted/topology';

/**
 * Gives every unnamed model and layer of a `model.json` a name fixed by the file alone.
 *
 * tfjs names what a file leaves unnamed — the Sequential head of a Teachable Machine export, the
 * whole model of a file saved by tfjs-layers 1.x (`"config": [...]`) — from a counter global to the
 * process: the same file became `sequential_2` in one command and `sequential_5` in another, and a
 * different name in every run of a long-lived process. Here each unnamed model or layer gets
 * `<snake_case class>_<k>`, k counting from 1 per class in the order of the file (depth first),
 * skipping names the file already uses — so every command, every run and the report name it alike.
 *
 * Returns a copy; the input is not changed. A Sequential whose config is a bare list of layers is
 * rewritten as `{name, layers}` (tfjs reads both). Weights are matched by layer name, and an
 * unnamed layer's weights could not be matched anyway, so loading is unaffected.
 *
 * @example
 * ```ts
 * const named = nameUnnamedLayers(JSON.parse(text)); // nested unnamed Sequential → 'sequential_2'
 * ```
 */
export function nameUnnamedLayers<T>(modelJson: T): T {
  const copy = JSON.parse(JSON.stringify(modelJson)) as T;
  if (typeof copy !== 'object' || copy === null) return copy;
  let topology: Record<string, unknown>;
  try {
    topology = locateTopology(copy as Record<string, unknown>).topology;
  } catch {
    return copy; // not a topology: the file checks say why
  }
  const used = new Set<string>();
  const entries: Array<Record<string, unknown>> = [];
  const visit = (entry: unknown): void => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return;
    const e = entry as Record<string, unknown>;
    entries.push(e);
    const config = e.config;
    if (typeof config === 'object' && config !== null && !Array.isArray(config)) {
      const name = (config as {name?: unknown}).name;
      if (typeof name === 'string') used.add(name);
    }
    if (typeof e.name === 'string') used.add(e.name);
    for (const child of children(e)) visit(child);
  };
  visit(topology);
  const counters = new Map<string, number>();
  for (const e of entries) {
    const cls = e.class_name ?? e.className;
    if (typeof cls !== 'string') continue;
    let config = e.config;
    if (Array.isArray(config) && CONTAINER_CLASSES.includes(cls)) {
      config = {layers: config};
      e.config = config;
    }
    if (typeof config !== 'object' || config === null) continue;
    const c = config as Record<string, unknown>;
    if (typeof c.name === 'string' || typeof e.name === 'string') continue;
    const base = snakeCase(cls);
    let k = counters.get(base) ?? 0;
    let name: string;
    do name = `${base}_${++k}`;
    while (used.has(name));
    counters.set(base, k);
    used.add(name);
    c.name = name;
  }
  return copy;
}

/** The layer entries an entry holds: a model's layers, a wrapper's layer, an RNN's cells. */
function children(entry: Record<string, unknown>): unknown[] {
  const config = entry.config;
  if (Array.isArray(config)) return config;
  if (typeof config !== 'object' || config === null) return [];
  const c = config as Record<string, unknown>;
  const out: unknown[] = [];
  if (Array.isArray(c.layers)) out.push(...c.layers);
  for (const key of ['layer', 'cell', 'cells']) {
    const v = c[key];
    if (Array.isArray(v)) out.push(...v);
    else if (typeof v === 'object' && v !== null) out.push(v);
  }
  return out;
}

/** `Conv2DTranspose` → `conv2d_transpose`, `Sequential` → `sequential`. */
function snakeCase(className: string): string {
  return className
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
