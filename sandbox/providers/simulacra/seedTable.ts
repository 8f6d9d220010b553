// Reads an uploaded seed file into a plain table. CSV (RFC 4180: quoted fields, doubled quotes, CRLF or LF) and
// Parquet (hyparquet, pure JS) are read; the guide also lists Excel and SAV, which the sandbox refuses with
// simio_unsupported_seed_format (docs/sandbox.md, Known limitations).

export type Cell = string | number | null;

export interface SeedTable {
  readonly headers: string[];
  readonly rows: Cell[][];
}

export type SeedFormat = 'csv' | 'parquet';

/** The format from the file name, then the declared content type; undefined when the sandbox cannot read it. */
export function seedFormatOf(filename: string, contentType: string): SeedFormat | undefined {
  const name = filename.toLowerCase();
  if (name.endsWith('.csv')) return 'csv';
  if (name.endsWith('.parquet') || name.endsWith('.pq')) return 'parquet';
  if (/\.[a-z0-9]+$/.test(name)) return undefined;
  const type = contentType.toLowerCase();
  if (type.startsWith('text/csv')) return 'csv';
  if (type.includes('parquet')) return 'parquet';
  return undefined;
}

export class SeedParseError extends Error {}

export async function readSeed(format: SeedFormat, bytes: Buffer): Promise<SeedTable> {
  return format === 'csv' ? parseCsv(bytes.toString('utf8')) : readParquet(bytes);
}

export function parseCsv(text: string): SeedTable {
  const records = csvRecords(text.replace(/^\uFEFF/, ''));
  while (records.length > 0 && records[records.length - 1].every((field) => field === '')) records.pop();
  if (records.length === 0) throw new SeedParseError('the CSV file is empty');
  const headers = records[0];
  const rows = records.slice(1).map((record, index) => {
    if (record.length !== headers.length) throw new SeedParseError(`CSV row ${index + 2} has ${record.length} fields, the header has ${headers.length}`);
    return record.map((field): Cell => (field === '' || field === 'NA' ? null : field));
  });
  return { headers, rows };
}

function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else field += c;
    i++;
  }
  if (quoted) throw new SeedParseError('the CSV file ends inside a quoted field');
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

async function readParquet(bytes: Buffer): Promise<SeedTable> {
  const { parquetReadObjects, parquetMetadata, parquetSchema } = await import('hyparquet');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let objects: Record<string, unknown>[];
  let headers: string[];
  try {
    const metadata = parquetMetadata(file);
    headers = parquetSchema(metadata).children.map((child) => child.element.name);
    objects = (await parquetReadObjects({ file, metadata })) as Record<string, unknown>[];
  } catch (error) {
    throw new SeedParseError(`not a readable Parquet file: ${(error as Error).message}`);
  }
  return { headers, rows: objects.map((object) => headers.map((name) => toCell(object[name]))) };
}

function toCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}
