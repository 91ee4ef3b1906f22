/** One weight the command drew, and whether the saved `model.json` reproduces its value. */
export interface DrawnWeight {
  /** As the saved file names it (`originalName`). */
  name: string;
  reproducible: boolean;
}

/** `a, b, c` or `a, b, c and 4 more`. */
function few(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/**
 * What `tfjs-init reinit` tells about the agreement of the `model.json` it writes with the values
 * it writes (docs/model-tools.md, "What every write guarantees"): either the config reproduces the
 * values it drew bit for bit on a load without weights, or it carries no seed for them and these
 * lines say which values it does not reproduce — unseeded draws, and kernels LSUV scaled to the batch.
 *
 * @param drawn the weights the command drew (with `--rule` on a file with weights: those the rules chose).
 * @param lsuvLayers the layers whose kernels LSUV rescaled.
 */
export function reproducibilityNotes(
  drawn: readonly DrawnWeight[],
  lsuvLayers: readonly string[],
): string[] {
  const unseeded = drawn.filter((w) => !w.reproducible).map((w) => w.name);
  const lines: string[] = [];
  if (unseeded.length > 0)
    lines.push(
      `note: ${plural(unseeded.length, 'weight', 'weights')} drawn unseeded ` +
        `(${few(unseeded)}) ${unseeded.length === 1 ? 'is' : 'are'} not reproducible from ` +
        `model.json: a load without weights draws afresh; give --seed to make every drawn value reproducible`,
    );
  if (lsuvLayers.length > 0)
    lines.push(
      `note: LSUV scaled the kernels of ${plural(lsuvLayers.length, 'layer', 'layers')} ` +
        `(${few(lsuvLayers)}) to the batch: their values depend on the data and are not ` +
        `reproducible from model.json, which keeps their initializers without a seed`,
    );
  if (lines.length === 0 && drawn.length > 0)
    lines.push(
      `model.json reproduces every value drawn: a load without weights gives the same ` +
        `${plural(drawn.length, 'weight', 'weights')} bit for bit`,
    );
  return lines;
}
