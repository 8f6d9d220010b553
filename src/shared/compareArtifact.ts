/**
 * Achieved shares and ranges of a generated artifact against the scenario that asked for it, computed by the host
 * over all rows it read (not only the previewed ones) and sent to the preview page as plain data.
 */
import type { Comparison } from './artifactPreviewProtocol';
import type { ScenarioConditions } from './scenario';

export type Cell = string | number | null;

function toNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell === 'string' && cell.trim() !== '') {
    const value = Number(cell);
    return Number.isFinite(value) ? value : undefined;
  }
  return undefined;
}

export function compareArtifact(columns: readonly string[], rows: readonly (readonly Cell[])[], conditions: ScenarioConditions): Comparison[] {
  const index = new Map(columns.map((name, i) => [name, i]));
  const comparisons: Comparison[] = [];
  for (const target of conditions.categorical) {
    const i = index.get(target.column);
    const hits = i === undefined ? 0 : rows.filter((row) => row[i] !== null && String(row[i]) === target.level).length;
    comparisons.push({ column: target.column, kind: 'share', level: target.level, target: target.targetShare, achieved: rows.length === 0 ? 0 : hits / rows.length });
  }
  for (const range of conditions.numeric) {
    const i = index.get(range.column);
    let achievedMin: number | undefined;
    let achievedMax: number | undefined;
    let outside = 0;
    for (const row of rows) {
      const value = i === undefined ? undefined : toNumber(row[i]);
      if (value === undefined) continue;
      achievedMin = achievedMin === undefined ? value : Math.min(achievedMin, value);
      achievedMax = achievedMax === undefined ? value : Math.max(achievedMax, value);
      if (value < range.min || value > range.max) outside++;
    }
    comparisons.push({
      column: range.column,
      kind: 'range',
      min: range.min,
      max: range.max,
      ...(achievedMin !== undefined ? { achievedMin } : {}),
      ...(achievedMax !== undefined ? { achievedMax } : {}),
      outside,
    });
  }
  return comparisons;
}
