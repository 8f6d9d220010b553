/**
 * Scenario → API conditions, and the checks both the page (before sending) and the host (before calling the API)
 * run. The conversion mirrors the headless guide's quickstarts: categorical rows grouped by column into
 * `{column: {level: share}}`, numeric rows into `{column: {min, max}}`, under `conditions` next to `row_count`,
 * `output_format` and `seed`.
 */
import { isCategorical, isNumeric, type DatasetSchema, type SchemaColumn } from './datasetSchema';
import { MAX_ROW_COUNT, type GenerationRequest, type ScenarioConditions } from './scenario';

export interface ApiConditions {
  categorical: Record<string, Record<string, number>>;
  numeric: Record<string, { min: number; max: number }>;
}

/** The JSON body of `POST /v1/datasets/{dataset_id}/generations` (the host adds `wait_seconds` if it wants one). */
export interface GenerationBody {
  row_count: number;
  output_format: 'csv' | 'parquet';
  seed?: number;
  conditions: ApiConditions;
}

/**
 * Column and level names come from the provider and may be anything, `__proto__` included: an own property is
 * defined rather than assigned, so such a name becomes a key of the body instead of replacing a prototype.
 */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function getOwn<T>(target: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(target, key) ? target[key] : undefined;
}

export function toApiConditions(conditions: ScenarioConditions): ApiConditions {
  const categorical: Record<string, Record<string, number>> = {};
  for (const target of conditions.categorical) {
    let levels = getOwn(categorical, target.column);
    if (!levels) setOwn(categorical, target.column, (levels = {}));
    setOwn(levels, target.level, target.targetShare);
  }
  const numeric: Record<string, { min: number; max: number }> = {};
  for (const range of conditions.numeric) setOwn(numeric, range.column, { min: range.min, max: range.max });
  return { categorical, numeric };
}

export function toGenerationBody(request: GenerationRequest): GenerationBody {
  return {
    row_count: request.rowCount,
    output_format: request.format,
    ...(request.seed !== undefined ? { seed: request.seed } : {}),
    conditions: toApiConditions(request.conditions),
  };
}

export interface ScenarioIssue {
  /** An error blocks sending; a warning (a bound outside the learned range) is shown and the user decides. */
  severity: 'error' | 'warning';
  message: string;
  column?: string;
  level?: string;
}

/** Shares are compared with a little slack so 0.1 + 0.2 + 0.7 is not "over 100 %". */
const SHARE_EPSILON = 1e-9;

export function formatPercent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(4))} %`;
}

/**
 * Everything that makes a request wrong for this schema. Messages quote provider names as data; callers render
 * them as text.
 */
export function checkScenario(request: GenerationRequest, schema: DatasetSchema): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const columns = new Map<string, SchemaColumn>(schema.columns.map((column) => [column.name, column]));
  const error = (message: string, column?: string, level?: string): void => void issues.push({ severity: 'error', message, column, level });

  const sums = new Map<string, number>();
  const seenLevels = new Set<string>();
  for (const target of request.conditions.categorical) {
    const column = columns.get(target.column);
    if (!column) {
      error(`Column "${target.column}" is not in the cleaned schema; condition only on the schema's columns.`, target.column);
      continue;
    }
    if (!isCategorical(column)) {
      error(`Column "${target.column}" is ${column.type}, not categorical: give it a range, not shares.`, target.column);
      continue;
    }
    if (!(column.levels ?? []).includes(target.level)) {
      error(`Level "${target.level}" of "${target.column}" is not in the cleaned schema (cleaning may have dropped it).`, target.column, target.level);
    }
    const key = JSON.stringify([target.column, target.level]);
    if (seenLevels.has(key)) error(`Level "${target.level}" of "${target.column}" has more than one share.`, target.column, target.level);
    seenLevels.add(key);
    if (!Number.isFinite(target.targetShare) || target.targetShare < 0 || target.targetShare > 1) {
      error(`The share of "${target.level}" in "${target.column}" must be between 0 and 100 %.`, target.column, target.level);
      continue;
    }
    sums.set(target.column, (sums.get(target.column) ?? 0) + target.targetShare);
  }
  for (const [column, sum] of sums) {
    if (sum > 1 + SHARE_EPSILON) error(`The shares of "${column}" add up to ${formatPercent(sum)}, more than 100 %.`, column);
  }

  const seenRanges = new Set<string>();
  for (const range of request.conditions.numeric) {
    const column = columns.get(range.column);
    if (!column) {
      error(`Column "${range.column}" is not in the cleaned schema; condition only on the schema's columns.`, range.column);
      continue;
    }
    if (!isNumeric(column)) {
      error(`Column "${range.column}" is ${column.type}, not numeric: give it shares, not a range.`, range.column);
      continue;
    }
    if (seenRanges.has(range.column)) error(`Column "${range.column}" has more than one range.`, range.column);
    seenRanges.add(range.column);
    if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) {
      error(`The range of "${range.column}" needs both a minimum and a maximum.`, range.column);
      continue;
    }
    if (range.min > range.max) {
      error(`The range of "${range.column}" has its minimum (${range.min}) above its maximum (${range.max}).`, range.column);
      continue;
    }
    const low = column.min;
    const high = column.max;
    if ((low !== undefined && range.min < low) || (high !== undefined && range.max > high)) {
      issues.push({
        severity: 'warning',
        column: range.column,
        message: `The range ${range.min}–${range.max} of "${range.column}" reaches outside the learned range ${low ?? '−∞'}–${high ?? '∞'}; the generation may come back partial.`,
      });
    }
  }

  if (!Number.isInteger(request.rowCount) || request.rowCount < 1 || request.rowCount > MAX_ROW_COUNT) {
    error(`The row count must be a whole number from 1 to ${MAX_ROW_COUNT}.`);
  }
  if (request.seed !== undefined && (!Number.isSafeInteger(request.seed) || request.seed < 0)) {
    error('The seed must be a whole number of 0 or more.');
  }
  return issues;
}

export function hasErrors(issues: readonly ScenarioIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
