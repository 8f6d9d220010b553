import { createReadStream } from 'node:fs';
import path from 'node:path';

/** A cell as read from a local CSV or Parquet file: CSV gives strings, Parquet typed values. */
export type TableCell = string | number | boolean | null;

export interface Table {
  readonly headers: readonly string[];
  readonly rows: readonly (readonly TableCell[])[];
  /** True when maxRows stopped the read before the end of the file. */
  readonly truncated: boolean;
}

export class UnreadableTableError extends Error {
  override readonly name = 'UnreadableTableError';
}

/** Reads the first `maxRows` rows (all when omitted) of a CSV or Parquet file. Excel and SAV are not read locally. */
export async function readTable(filePath: string, options: { maxRows?: number; signal?: AbortSignal } = {}): Promise<Table> {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.csv') return readCsv(filePath, options);
  if (extension === '.parquet') return readParquet(filePath, options);
  throw new UnreadableTableError(`Sim Cloud reads CSV and Parquet files locally, not ${extension || 'files without an extension'}.`);
}

/** RFC 4180 CSV streamed from disk: quoted fields with "" escapes and line breaks, CRLF or LF, a UTF-8 BOM. */
export async function readCsv(filePath: string, options: { maxRows?: number; signal?: AbortSignal } = {}): Promise<Table> {
  const maxRows = options.maxRows ?? Number.POSITIVE_INFINITY;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let quoteSeen = false;
  let first = true;
  let pendingCr = false;
  const stream = createReadStream(filePath, { encoding: 'utf8', signal: options.signal });
  const endRecord = (): boolean => {
    record.push(field);
    field = '';
    if (!(record.length === 1 && record[0] === '')) records.push(record);
    record = [];
    // One row past the limit is read, so `truncated` says whether there really was more.
    return records.length > maxRows + 1;
  };
  let stopped = false;
  try {
    outer: for await (const chunk of stream) {
      let text = chunk as string;
      if (first) {
        text = text.replace(/^\uFEFF/, '');
        first = false;
      }
      for (let i = 0; i < text.length; i += 1) {
        const c = text[i];
        if (pendingCr) {
          pendingCr = false;
          if (c === '\n') continue;
        }
        if (quoted) {
          if (quoteSeen) {
            quoteSeen = false;
            if (c === '"') {
              field += '"';
              continue;
            }
            quoted = false;
          } else if (c === '"') {
            quoteSeen = true;
            continue;
          } else {
            field += c;
            continue;
          }
        }
        if (c === '"' && field === '') quoted = true;
        else if (c === ',') {
          record.push(field);
          field = '';
        } else if (c === '\n' || c === '\r') {
          pendingCr = c === '\r';
          if (endRecord()) {
            stopped = true;
            break outer;
          }
        } else field += c;
      }
    }
  } finally {
    stream.destroy();
  }
  if (!stopped) {
    if (quoted && !quoteSeen) throw new UnreadableTableError('The CSV file ends inside a quoted field.');
    if (field !== '' || record.length > 0) endRecord();
  }
  const [headers = [], ...rows] = records;
  return { headers, rows: stopped ? rows.slice(0, maxRows) : rows, truncated: stopped };
}

/** Parquet through hyparquet (pure JS, ESM: loaded on first use, never at activation). */
export async function readParquet(filePath: string, options: { maxRows?: number } = {}): Promise<Table> {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetSchema, parquetReadObjects } = await import('hyparquet');
  try {
    const file = await asyncBufferFromFile(filePath);
    const metadata = await parquetMetadataAsync(file);
    const headers = parquetSchema(metadata).children.map((child) => child.element.name);
    const total = Number(metadata.num_rows);
    const rowEnd = options.maxRows === undefined ? undefined : Math.min(total, options.maxRows);
    const objects = (await parquetReadObjects({ file, metadata, rowStart: 0, rowEnd })) as Record<string, unknown>[];
    return { headers, rows: objects.map((object) => headers.map((name) => toCell(object[name]))), truncated: rowEnd !== undefined && rowEnd < total };
  } catch (error) {
    throw new UnreadableTableError(`Not a readable Parquet file: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function toCell(value: unknown): TableCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean' || typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

/** A cell as a number, or undefined when it is empty or not numeric ("" and "NA" are missing, not zero). */
export function numericValue(cell: TableCell): number | undefined {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : undefined;
  if (typeof cell !== 'string' || cell.trim() === '') return undefined;
  const number = Number(cell.trim());
  return Number.isFinite(number) ? number : undefined;
}

export function isMissing(cell: TableCell): boolean {
  return cell === null || (typeof cell === 'string' && (cell.trim() === '' || /^(na|nan|null)$/i.test(cell.trim())));
}

/** A categorical level as the API names it. */
export function levelOf(cell: TableCell): string {
  return typeof cell === 'string' ? cell : String(cell);
}
