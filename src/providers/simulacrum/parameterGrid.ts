export type GridValue = string | number | boolean;
export type ParameterGrid = Record<string, GridValue[]>;

/**
 * Checks a sweep's `parameter_grid` as the user typed it: a JSON object whose values are non-empty arrays of numbers,
 * strings or booleans. Returns the grid and its variant count (the cartesian product: each variant is a GPU), or what
 * is wrong with it in words the input box can show.
 */
export function parseParameterGrid(text: string): { grid: ParameterGrid; variants: number } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: `Not valid JSON (${error instanceof Error ? error.message : String(error)}). Example: ${EXAMPLE_GRID}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { problem: `The grid must be a JSON object of parameter → list of values. Example: ${EXAMPLE_GRID}` };
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return { problem: `Add at least one parameter. Example: ${EXAMPLE_GRID}` };
  let variants = 1;
  for (const [name, values] of entries) {
    // The sandbox and the service pass parameters on as `--name value` to the script.
    if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) return { problem: `"${name}" is not a usable parameter name (letters, digits, _ . -).` };
    if (!Array.isArray(values) || values.length === 0) return { problem: `"${name}" needs a non-empty list of values, e.g. [0.001, 0.01].` };
    if (!values.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return { problem: `The values of "${name}" must be numbers, strings or booleans.` };
    if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) return { problem: `"${name}" lists a value twice: that would run the same variant twice.` };
    variants *= values.length;
  }
  return { grid: value as ParameterGrid, variants };
}

export const EXAMPLE_GRID = '{"lr": [0.001, 0.01], "batch_size": [32, 64]}';
