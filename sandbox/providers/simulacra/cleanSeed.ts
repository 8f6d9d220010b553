// Cleaning, as the guide describes it ("Common Mistakes To Avoid"): names are normalised into identifier-safe form
// (`purchase_intent` → `purchase.intent`), low-signal and near-zero-variance columns are dropped, and so are rare
// categorical levels. The cleaned columns and rows are what the dataset "learned"; generation samples from them.
import type { Cell, SeedTable } from './seedTable';
import { SIMULACRA_POLICY as P } from './simulacraPolicy';

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  readonly sourceName: string;
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly sourceName: string;
  /** Kept levels, most frequent first (ties by name). */
  readonly levels: string[];
  readonly counts: Record<string, number>;
}

export type CleanColumn = NumericColumn | CategoricalColumn;

export interface DroppedColumn {
  readonly name: string;
  readonly reason: 'near_zero_variance' | 'mostly_missing' | 'identifier';
}

export interface CleanedSeed {
  readonly columns: CleanColumn[];
  /** One entry per kept seed row (rows with a missing or rare value in a kept column are dropped); values align
   *  with `columns`: numbers for numeric columns, level strings for categorical ones. */
  readonly rows: (string | number)[][];
  readonly sourceRows: number;
  readonly droppedColumns: DroppedColumn[];
  readonly droppedLevels: { column: string; level: string; count: number }[];
}

/** "identifier-safe form": every run of characters outside [A-Za-z0-9.] (underscores included) becomes one `.`,
 *  leading and trailing dots go, a name starting with a digit gets an `X` prefix (as R's make.names), an empty name
 *  becomes `V<position>`, and duplicates get `.1`, `.2`… */
export function normaliseNames(headers: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return headers.map((header, index) => {
    let name = header
      .trim()
      .replace(/[^A-Za-z0-9.]+/g, '.')
      .replace(/\.{2,}/g, '.')
      .replace(/^\.+|\.+$/g, '');
    if (name === '') name = `V${index + 1}`;
    if (/^[0-9]/.test(name)) name = `X${name}`;
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}.${count}`;
  });
}

export function cleanSeed(table: SeedTable): CleanedSeed {
  const names = normaliseNames(table.headers);
  const total = table.rows.length;
  const droppedColumns: DroppedColumn[] = [];
  const droppedLevels: CleanedSeed['droppedLevels'] = [];
  const columns: CleanColumn[] = [];
  const sourceIndex: number[] = [];
  const keepLevels: (Set<string> | undefined)[] = [];

  table.headers.forEach((sourceName, index) => {
    const name = names[index];
    const present = table.rows.map((row) => row[index]).filter((cell): cell is string | number => cell !== null && cell !== '');
    if (present.length === 0 || (total - present.length) / total > P.maxMissingShare) {
      droppedColumns.push({ name, reason: 'mostly_missing' });
      return;
    }
    const numbers = present.map(asNumber);
    const counts = new Map<string, number>();
    for (const cell of present) counts.set(String(cell), (counts.get(String(cell)) ?? 0) + 1);
    const top = Math.max(...counts.values());
    if (top / present.length >= P.nearZeroVarianceShare) {
      droppedColumns.push({ name, reason: 'near_zero_variance' });
      return;
    }
    if (numbers.every((value) => value !== undefined)) {
      const values = numbers as number[];
      columns.push({ kind: 'numeric', name, sourceName, integer: values.every(Number.isInteger), min: Math.min(...values), max: Math.max(...values) });
      sourceIndex.push(index);
      keepLevels.push(undefined);
      return;
    }
    if (counts.size >= P.identifierDistinctShare * present.length) {
      droppedColumns.push({ name, reason: 'identifier' });
      return;
    }
    const kept = new Set<string>();
    for (const [level, count] of counts) {
      if (count / present.length < P.rareLevelShare) droppedLevels.push({ column: name, level, count });
      else kept.add(level);
    }
    const levels = [...kept].sort((a, b) => (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.localeCompare(b));
    columns.push({ kind: 'categorical', name, sourceName, levels, counts: Object.fromEntries(levels.map((level) => [level, counts.get(level) ?? 0])) });
    sourceIndex.push(index);
    keepLevels.push(kept);
  });

  const rows: (string | number)[][] = [];
  for (const row of table.rows) {
    const out: (string | number)[] = [];
    let keep = true;
    columns.forEach((column, i) => {
      const cell = row[sourceIndex[i]];
      if (cell === null || cell === '') keep = false;
      else if (column.kind === 'numeric') out.push(asNumber(cell) ?? NaN);
      else if (keepLevels[i]?.has(String(cell))) out.push(String(cell));
      else keep = false;
    });
    if (keep) rows.push(out);
  }
  return { columns, rows, sourceRows: total, droppedColumns, droppedLevels };
}

function asNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return cell;
  if (cell === null) return undefined;
  const text = cell.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return undefined;
  return Number(text);
}
