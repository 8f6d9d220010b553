import type { Scenario } from './scenario';
import { isMissing, levelOf, numericValue, readTable, type Table } from './tableReader';

export const DEFAULT_PREVIEW_ROWS = 10_000;

export interface LevelShare {
  readonly level: string;
  readonly count: number;
  /** Share of the rows with a value in this column. */
  readonly achieved: number;
  /** The scenario's target share, when it set one. */
  readonly target?: number;
}

export interface CategoricalPreview {
  readonly column: string;
  /** Every level seen, targeted levels first in the scenario's order, then by count. */
  readonly levels: readonly LevelShare[];
  /** Column missing from the artifact. */
  readonly missingColumn: boolean;
}

export interface NumericPreview {
  readonly column: string;
  readonly targetMin: number;
  readonly targetMax: number;
  /** Observed range; undefined without numeric values. */
  readonly min?: number;
  readonly max?: number;
  readonly mean?: number;
  /** Share of the numeric values inside [targetMin, targetMax]. */
  readonly inRange: number;
  readonly values: number;
  readonly missingColumn: boolean;
}

export interface ArtifactPreview {
  readonly headers: readonly string[];
  /** First rows for a table view (at most `sampleRows`). */
  readonly sample: readonly (readonly (string | number | boolean | null)[])[];
  readonly rowsRead: number;
  /** The file has more rows than were read. */
  readonly truncated: boolean;
  readonly categorical: readonly CategoricalPreview[];
  readonly numeric: readonly NumericPreview[];
}

/** Achieved categorical shares and numeric ranges of `table` next to the scenario's targets. Pure. */
export function computePreview(table: Table, scenario: Scenario, options: { sampleRows?: number } = {}): ArtifactPreview {
  const index = new Map(table.headers.map((name, i) => [name, i]));
  const categorical = Object.entries(scenario.conditions.categorical).map(([column, targets]): CategoricalPreview => {
    const at = index.get(column);
    if (at === undefined) return { column, levels: Object.entries(targets).map(([level, target]) => ({ level, count: 0, achieved: 0, target })), missingColumn: true };
    const counts = new Map<string, number>();
    let present = 0;
    for (const row of table.rows) {
      const cell = row[at] ?? null;
      if (isMissing(cell)) continue;
      present += 1;
      const level = levelOf(cell);
      counts.set(level, (counts.get(level) ?? 0) + 1);
    }
    const targeted = Object.keys(targets);
    const others = [...counts.keys()].filter((level) => !Object.hasOwn(targets, level)).sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b));
    const levels = [...targeted, ...others].map((level): LevelShare => {
      const count = counts.get(level) ?? 0;
      return { level, count, achieved: present === 0 ? 0 : count / present, ...(Object.hasOwn(targets, level) ? { target: targets[level] } : {}) };
    });
    return { column, levels, missingColumn: false };
  });
  const numeric = Object.entries(scenario.conditions.numeric).map(([column, range]): NumericPreview => {
    const at = index.get(column);
    const base = { column, targetMin: range.min, targetMax: range.max };
    if (at === undefined) return { ...base, inRange: 0, values: 0, missingColumn: true };
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let sum = 0;
    let values = 0;
    let inside = 0;
    for (const row of table.rows) {
      const value = numericValue(row[at] ?? null);
      if (value === undefined) continue;
      values += 1;
      sum += value;
      min = Math.min(min, value);
      max = Math.max(max, value);
      if (value >= range.min && value <= range.max) inside += 1;
    }
    if (values === 0) return { ...base, inRange: 0, values: 0, missingColumn: false };
    return { ...base, min, max, mean: sum / values, inRange: inside / values, values, missingColumn: false };
  });
  return { headers: table.headers, sample: table.rows.slice(0, options.sampleRows ?? 50), rowsRead: table.rows.length, truncated: table.truncated, categorical, numeric };
}

/** Reads the first `maxRows` rows of a downloaded CSV or Parquet artifact and compares them with the scenario. */
export async function readArtifactPreview(filePath: string, scenario: Scenario, options: { maxRows?: number; sampleRows?: number; signal?: AbortSignal } = {}): Promise<ArtifactPreview> {
  const table = await readTable(filePath, { maxRows: options.maxRows ?? DEFAULT_PREVIEW_ROWS, signal: options.signal });
  return computePreview(table, scenario, options);
}
