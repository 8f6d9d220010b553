import { normalizeColumnKey } from './columnNames';
import type { DatasetSchema } from './SimulacraApi';
import { isMissing, levelOf, numericValue, readTable, type Table } from './tableReader';

/** Distinct values counted per column; beyond this a column is an identifier or a measure, not a set of levels. */
const MAX_LEVELS = 1000;

/** One column of the seed file as the user uploaded it. */
export interface OriginalColumn {
  readonly name: string;
  readonly kind: 'numeric' | 'categorical' | 'empty';
  /** Value → rows, for up to 1000 distinct values (empty when there were more). */
  readonly levelCounts: Readonly<Record<string, number>>;
  readonly missing: number;
}

export interface CleaningReport {
  /** Columns whose name changed (original → cleaned), in seed order. */
  readonly renamed: readonly { readonly original: string; readonly cleaned: string }[];
  /** Columns kept under their own name. */
  readonly unchanged: readonly string[];
  /** Seed columns with no cleaned counterpart. */
  readonly droppedColumns: readonly string[];
  /** Levels present in the seed but not in the cleaned schema (rare levels are dropped). */
  readonly droppedLevels: readonly { readonly column: string; readonly originalColumn: string; readonly level: string; readonly count: number }[];
  /** Cleaned columns Sim Cloud could not trace to a seed column. */
  readonly unmatchedCleaned: readonly string[];
}

/** Counts levels and tells numeric from categorical columns. */
export function summarizeTable(table: Table): OriginalColumn[] {
  return table.headers.map((name, index) => {
    const counts = new Map<string, number>();
    let missing = 0;
    let numeric = true;
    let present = 0;
    for (const row of table.rows) {
      const cell = row[index] ?? null;
      if (isMissing(cell)) {
        missing += 1;
        continue;
      }
      present += 1;
      if (numeric && numericValue(cell) === undefined) numeric = false;
      if (counts.size <= MAX_LEVELS) {
        const level = levelOf(cell).trim();
        counts.set(level, (counts.get(level) ?? 0) + 1);
      }
    }
    const kind = present === 0 ? 'empty' : numeric ? 'numeric' : 'categorical';
    return { name, kind, missing, levelCounts: counts.size > MAX_LEVELS ? {} : Object.fromEntries(counts) };
  });
}

/** Reads the whole seed file (CSV or Parquet) and summarises its columns. */
export async function readSeedColumns(filePath: string, signal?: AbortSignal): Promise<OriginalColumn[]> {
  return summarizeTable(await readTable(filePath, { signal }));
}

/** A lenient key for names cleaning made identifier-safe beyond the guide's rule ("Purchase Intent (%)"). */
function looseKey(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/**
 * What cleaning did to the seed: renames (matched by the API's `original_name`/`source_name` when it sends one, else exactly, else
 * by the guide's rule `name.replace("_", ".").lower()`, else ignoring punctuation), dropped columns and dropped levels.
 */
export function buildCleaningReport(original: readonly OriginalColumn[], schema: DatasetSchema): CleaningReport {
  const cleanedNames = schema.columns.map((column) => column.name);
  const originalOf = new Map<string, string>();
  const claimed = new Set<string>();
  const match = (key: (name: string) => string): void => {
    const byKey = new Map<string, string>();
    for (const name of cleanedNames) if (!claimed.has(name) && !byKey.has(key(name))) byKey.set(key(name), name);
    for (const column of original) {
      if (originalOf.has(column.name)) continue;
      const hit = byKey.get(key(column.name));
      if (hit !== undefined && !claimed.has(hit)) {
        originalOf.set(column.name, hit);
        claimed.add(hit);
      }
    }
  };
  for (const raw of schema.raw.schema) {
    const source = raw.original_name ?? raw.source_name;
    if (source && original.some((column) => column.name === source) && !originalOf.has(source)) {
      originalOf.set(source, raw.name);
      claimed.add(raw.name);
    }
  }
  match((name) => name);
  match(normalizeColumnKey);
  match(looseKey);

  const renamed: { original: string; cleaned: string }[] = [];
  const unchanged: string[] = [];
  const droppedColumns: string[] = [];
  const droppedLevels: { column: string; originalColumn: string; level: string; count: number }[] = [];
  const schemaByName = new Map(schema.columns.map((column) => [column.name, column]));
  for (const column of original) {
    const cleaned = originalOf.get(column.name);
    if (cleaned === undefined) {
      droppedColumns.push(column.name);
      continue;
    }
    if (cleaned === column.name) unchanged.push(cleaned);
    else renamed.push({ original: column.name, cleaned });
    const schemaColumn = schemaByName.get(cleaned);
    if (schemaColumn?.type !== 'categorical') continue;
    const kept = new Set(schemaColumn.levels);
    const levels = Object.entries(column.levelCounts).filter(([level]) => !kept.has(level));
    levels.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    for (const [level, count] of levels) droppedLevels.push({ column: cleaned, originalColumn: column.name, level, count });
  }
  return { renamed, unchanged, droppedColumns, droppedLevels, unmatchedCleaned: cleanedNames.filter((name) => !claimed.has(name)) };
}
