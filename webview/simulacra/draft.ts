/**
 * The builder's draft (text as typed) ↔ the request the host receives. Pure, so tests run it without a DOM.
 * A level whose share is left empty is not conditioned; an empty bound stays NaN so the checks can say it is missing.
 */
import { isCategorical, type DatasetSchema, type SchemaColumn } from '../../src/shared/datasetSchema';
import type { GenerationRequest, Scenario } from '../../src/shared/scenario';
import type { BuilderDraft } from '../../src/shared/simulacraPanelProtocol';

export type DraftColumn = BuilderDraft['columns'][number];

export function emptyDraft(): BuilderDraft {
  return { columns: [], rowCount: '1000', format: 'csv', seed: '' };
}

/** '' and anything that is not a plain number become NaN (Number('') would be 0). */
export function parseNumber(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : '';
}

/** Percent text from a 0–1 share, without binary noise (0.07 → "7", not "7.000000000000001"). */
export function percentText(share: number): string {
  return Number.isFinite(share) ? String(Number((share * 100).toPrecision(12))) : '';
}

export function newDraftColumn(column: SchemaColumn): DraftColumn {
  return isCategorical(column)
    ? { kind: 'categorical', column: column.name, shares: (column.levels ?? []).map((level) => ({ level, percent: '' })) }
    : { kind: 'numeric', column: column.name, min: '', max: '' };
}

export function requestFromDraft(draft: BuilderDraft): GenerationRequest {
  const categorical: GenerationRequest['conditions']['categorical'] = [];
  const numeric: GenerationRequest['conditions']['numeric'] = [];
  for (const column of draft.columns) {
    if (column.kind === 'categorical') {
      for (const share of column.shares) {
        if (share.percent.trim() === '') continue;
        categorical.push({ column: column.column, level: share.level, targetShare: parseNumber(share.percent) / 100 });
      }
    } else {
      numeric.push({ column: column.column, min: parseNumber(column.min), max: parseNumber(column.max) });
    }
  }
  const seed = draft.seed.trim() === '' ? undefined : parseNumber(draft.seed);
  return { conditions: { categorical, numeric }, rowCount: parseNumber(draft.rowCount), format: draft.format, ...(seed !== undefined ? { seed } : {}) };
}

export function scenarioFromDraft(draft: BuilderDraft, datasetId: string): Scenario {
  return { version: 1, datasetId, ...requestFromDraft(draft) };
}

/**
 * A loaded scenario as a draft. Categorical columns list every schema level (targets first, in the file's order);
 * columns or levels the schema lacks are kept so the checks can point at them instead of silently dropping them.
 */
export function draftFromScenario(scenario: Scenario, schema: DatasetSchema): BuilderDraft {
  const columns: DraftColumn[] = [];
  const byColumn = new Map<string, Extract<DraftColumn, { kind: 'categorical' }>>();
  for (const target of scenario.conditions.categorical) {
    let column = byColumn.get(target.column);
    if (!column) {
      column = { kind: 'categorical', column: target.column, shares: [] };
      byColumn.set(target.column, column);
      columns.push(column);
    }
    column.shares.push({ level: target.level, percent: percentText(target.targetShare) });
  }
  for (const column of byColumn.values()) {
    const levels = schema.columns.find((c) => c.name === column.column)?.levels ?? [];
    for (const level of levels) if (!column.shares.some((share) => share.level === level)) column.shares.push({ level, percent: '' });
  }
  for (const range of scenario.conditions.numeric) columns.push({ kind: 'numeric', column: range.column, min: formatNumber(range.min), max: formatNumber(range.max) });
  return { columns, rowCount: String(scenario.rowCount), format: scenario.format, seed: scenario.seed === undefined ? '' : String(scenario.seed) };
}

/** Schema columns the builder can still add: categorical or numeric, not already in the draft. */
export function addableColumns(schema: DatasetSchema, draft: BuilderDraft): SchemaColumn[] {
  const used = new Set(draft.columns.map((column) => column.column));
  return schema.columns.filter((column) => (column.type === 'categorical' || column.type === 'numeric') && !used.has(column.name));
}
