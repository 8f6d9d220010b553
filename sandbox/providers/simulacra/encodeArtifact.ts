// Generated rows as the artifact bytes the guide promises: CSV (header of cleaned names, RFC 4180 quoting) or
// Parquet (hyparquet-writer; INT32 for integer columns, DOUBLE for other numbers, STRING for categorical).
import type { CleanColumn } from './cleanSeed';

export type OutputFormat = 'csv' | 'parquet';

export const CONTENT_TYPES: Record<OutputFormat, string> = { csv: 'text/csv; charset=utf-8', parquet: 'application/vnd.apache.parquet' };

export async function encodeArtifact(format: OutputFormat, columns: readonly CleanColumn[], rows: readonly (string | number)[][]): Promise<Buffer> {
  if (format === 'csv') {
    const lines = [columns.map((c) => csvField(c.name)).join(','), ...rows.map((row) => row.map((v) => csvField(String(v))).join(','))];
    return Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  }
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  const buffer = parquetWriteBuffer({
    columnData: columns.map((column, i) => {
      const data = rows.map((row) => row[i]);
      if (column.kind === 'categorical') return { name: column.name, data: data.map(String), type: 'STRING' as const, nullable: false };
      return column.integer
        ? { name: column.name, data: Int32Array.from(data as number[]), type: 'INT32' as const, nullable: false }
        : { name: column.name, data: Float64Array.from(data as number[]), type: 'DOUBLE' as const, nullable: false };
    }),
  });
  return Buffer.from(buffer);
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
