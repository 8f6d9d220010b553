// POST /v1/datasets/{id}/generations body checks, against the dataset's cleaned schema ("the API also validates
// submitted columns and levels against the cleaned schema and returns a 400 with a schema hint if they do not
// match"). Order: row_count, output_format, wait_seconds, seed, then conditions column by column (unknown column →
// type → levels/shares → ranges).
import { HttpError } from '../../http/HttpError';
import type { CleanedSeed } from './cleanSeed';
import type { OutputFormat } from './encodeArtifact';
import { ERRORS_BY_CODE } from './errorCatalog';
import type { Conditions } from './generateRows';
import { SIMULACRA_POLICY as P } from './simulacraPolicy';

export interface GenerationRequest {
  rowCount: number;
  format: OutputFormat;
  waitSeconds: number;
  seed?: number;
  conditions: Conditions;
}

export function problem(status: number, code: string, detail: string, headers: Record<string, string> = {}): HttpError {
  return new HttpError(status, { code, message: detail, title: ERRORS_BY_CODE.get(code)?.title }, headers);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export function parseWaitSeconds(value: unknown): number {
  if (value === undefined || value === null || value === '') return 0;
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > P.maxWaitSeconds) {
    throw problem(400, 'simio_invalid_wait_seconds', `wait_seconds must be an integer from 0 to ${P.maxWaitSeconds}`);
  }
  return n;
}

export function validateGeneration(body: Record<string, unknown>, cleaned: CleanedSeed): GenerationRequest {
  const rowCount = body.row_count;
  if (typeof rowCount !== 'number' || !Number.isInteger(rowCount) || rowCount < 1 || rowCount > P.maxRowsPerRequest) {
    throw problem(400, 'simio_invalid_row_count', `row_count must be an integer from 1 to ${P.maxRowsPerRequest}`);
  }
  const format = body.output_format ?? 'parquet';
  if (format !== 'csv' && format !== 'parquet') throw problem(400, 'simio_unsupported_output_format', `output_format must be csv or parquet (the sandbox does not write ${String(format)})`);
  const waitSeconds = parseWaitSeconds(body.wait_seconds);
  if (body.seed !== undefined && (typeof body.seed !== 'number' || !Number.isInteger(body.seed))) throw problem(400, 'simio_invalid_request', 'seed must be an integer');
  const raw = body.conditions ?? {};
  if (!isObject(raw)) throw problem(400, 'simio_invalid_conditions', 'conditions must be an object with optional categorical and numeric maps');
  const extra = Object.keys(raw).filter((key) => key !== 'categorical' && key !== 'numeric');
  if (extra.length > 0) throw problem(400, 'simio_invalid_conditions', `conditions has unknown keys: ${extra.join(', ')} (expected categorical, numeric)`);
  const categorical = raw.categorical ?? {};
  const numeric = raw.numeric ?? {};
  if (!isObject(categorical) || !isObject(numeric)) throw problem(400, 'simio_invalid_conditions', 'conditions.categorical and conditions.numeric must be objects');
  const byName = new Map(cleaned.columns.map((column) => [column.name, column]));
  const hint = `Cleaned schema columns: ${cleaned.columns.map((c) => c.name).join(', ')}`;
  const conditions: Conditions = { categorical: {}, numeric: {} };
  for (const [name, shares] of Object.entries(categorical)) {
    const column = byName.get(name);
    if (!column) throw problem(400, 'simio_unknown_condition_column', `Unknown condition column '${name}'. ${hint}`);
    if (column.kind !== 'categorical') throw problem(400, 'simio_condition_type_mismatch', `'${name}' is numeric; use conditions.numeric with min and max`);
    if (!isObject(shares)) throw problem(400, 'simio_invalid_condition_share', `conditions.categorical.${name} must map levels to target shares`);
    let sum = 0;
    for (const [level, share] of Object.entries(shares)) {
      if (!column.levels.includes(level)) throw problem(400, 'simio_unknown_condition_level', `Unknown level '${level}' for column '${name}'. Levels: ${column.levels.join(', ')}`);
      if (typeof share !== 'number' || !Number.isFinite(share) || share < 0 || share > 1) throw problem(400, 'simio_invalid_condition_share', `Target share for ${name}=${level} must be a number from 0 to 1`);
      sum += share;
    }
    if (sum > 1 + 1e-6) throw problem(400, 'simio_invalid_condition_share', `Target shares for '${name}' add up to ${sum.toFixed(4)}, more than 1`);
    conditions.categorical[name] = shares as Record<string, number>;
  }
  for (const [name, range] of Object.entries(numeric)) {
    const column = byName.get(name);
    if (!column) throw problem(400, 'simio_unknown_condition_column', `Unknown condition column '${name}'. ${hint}`);
    if (column.kind !== 'numeric') throw problem(400, 'simio_condition_type_mismatch', `'${name}' is categorical; use conditions.categorical with level shares`);
    if (!isObject(range) || range.min === undefined || range.max === undefined || range.min === null || range.max === null) {
      throw problem(400, 'simio_numeric_range_incomplete', `Numeric condition '${name}' needs both min and max`);
    }
    const { min, max } = range;
    if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max) || min > max) {
      throw problem(400, 'simio_invalid_numeric_range', `Numeric condition '${name}' needs finite numbers with min <= max`);
    }
    conditions.numeric[name] = { min, max };
  }
  return { rowCount, format, waitSeconds, seed: body.seed as number | undefined, conditions };
}
