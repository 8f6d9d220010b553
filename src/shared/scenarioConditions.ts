/**
 * Scenario → API conditions, and the checks both the page (before sending) and the host (before calling the API)
 * run. The conversion mirrors the headless guide's quickstarts: categorical rows grouped by column into
 * `{column: {level: share}}`, numeric rows into `{column: {min, max}}`, under `conditions` next to `row_count`,
 * `output_format` and `seed`.
 */
import * as l10n from '@vscode/l10n';
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
      error(l10n.t('Column "{0}" is not in the cleaned schema; condition only on the schema\'s columns.', target.column), target.column);
      continue;
    }
    if (!isCategorical(column)) {
      error(l10n.t('Column "{0}" is {1}, not categorical: give it a range, not shares.', target.column, column.type), target.column);
      continue;
    }
    if (!(column.levels ?? []).includes(target.level)) {
      error(l10n.t('Level "{0}" of "{1}" is not in the cleaned schema (cleaning may have dropped it).', target.level, target.column), target.column, target.level);
    }
    const key = JSON.stringify([target.column, target.level]);
    if (seenLevels.has(key)) error(l10n.t('Level "{0}" of "{1}" has more than one share.', target.level, target.column), target.column, target.level);
    seenLevels.add(key);
    if (!Number.isFinite(target.targetShare) || target.targetShare < 0 || target.targetShare > 1) {
      error(l10n.t('The share of "{0}" in "{1}" must be between 0 and 100 %.', target.level, target.column), target.column, target.level);
      continue;
    }
    sums.set(target.column, (sums.get(target.column) ?? 0) + target.targetShare);
  }
  for (const [column, sum] of sums) {
    if (sum > 1 + SHARE_EPSILON) error(l10n.t('The shares of "{0}" add up to {1}, more than 100 %.', column, formatPercent(sum)), column);
  }

  const seenRanges = new Set<string>();
  for (const range of request.conditions.numeric) {
    const column = columns.get(range.column);
    if (!column) {
      error(l10n.t('Column "{0}" is not in the cleaned schema; condition only on the schema\'s columns.', range.column), range.column);
      continue;
    }
    if (!isNumeric(column)) {
      error(l10n.t('Column "{0}" is {1}, not numeric: give it shares, not a range.', range.column, column.type), range.column);
      continue;
    }
    if (seenRanges.has(range.column)) error(l10n.t('Column "{0}" has more than one range.', range.column), range.column);
    seenRanges.add(range.column);
    if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) {
      error(l10n.t('The range of "{0}" needs both a minimum and a maximum.', range.column), range.column);
      continue;
    }
    if (range.min > range.max) {
      error(l10n.t('The range of "{0}" has its minimum ({1}) above its maximum ({2}).', range.column, range.min, range.max), range.column);
      continue;
    }
    const low = column.min;
    const high = column.max;
    if ((low !== undefined && range.min < low) || (high !== undefined && range.max > high)) {
      issues.push({
        severity: 'warning',
        column: range.column,
        message: l10n.t('The range {0}–{1} of "{2}" reaches outside the learned range {3}–{4}; the generation may come back partial.', range.min, range.max, range.column, low ?? '−∞', high ?? '∞'),
      });
    }
  }

  if (!Number.isInteger(request.rowCount) || request.rowCount < 1 || request.rowCount > MAX_ROW_COUNT) {
    error(l10n.t('The row count must be a whole number from 1 to {0}.', MAX_ROW_COUNT));
  }
  if (request.seed !== undefined && (!Number.isSafeInteger(request.seed) || request.seed < 0)) {
    error(l10n.t('The seed must be a whole number of 0 or more.'));
  }
  return issues;
}

export function hasErrors(issues: readonly ScenarioIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}
