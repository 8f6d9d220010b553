// A sweep's parameter_grid → its variants: the cartesian product in key order, the last key varying fastest (so
// {lr:[a,b], batch_size:[32,64]} gives a/32, a/64, b/32, b/64), each with the python_args that pass it to the script.
import type { ParameterValue } from './SimulacrumJob';

export function expandParameterGrid(grid: Record<string, readonly ParameterValue[]>): Record<string, ParameterValue>[] {
  let variants: Record<string, ParameterValue>[] = [{}];
  for (const [name, values] of Object.entries(grid)) {
    variants = variants.flatMap((partial) => values.map((value) => ({ ...partial, [name]: value })));
  }
  return variants;
}

export function gridSize(grid: Record<string, readonly unknown[]>): number {
  return Object.values(grid).reduce((product, values) => product * values.length, 1);
}

/** `--lr 0.001 --batch_size 32`; strings that a shell would split are single-quoted. */
export function toPythonArgs(parameters: Record<string, ParameterValue>): string {
  return Object.entries(parameters)
    .map(([name, value]) => `--${name} ${quote(String(value))}`)
    .join(' ');
}

function quote(text: string): string {
  return /^[A-Za-z0-9_.,:+\-/=]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
