import * as l10n from '@vscode/l10n';
import type { SpecProblem } from '../../core/spec/parseSpec';
import type { SimulacraGenerationSpec } from '../../core/spec/simulacraGenerationSpec';
import type { DatasetSchema as ApiSchema } from '../../providers/simulacra/SimulacraApi';
import { isCategorical, type DatasetSchema } from '../../shared/datasetSchema';
import type { GenerationRequest } from '../../shared/scenario';
import { checkScenario } from '../../shared/scenarioConditions';

/** The request the schema inspector's Generate would send for this spec (the spec's own scenario fields). */
export function generationRequestFromSpec(spec: SimulacraGenerationSpec): GenerationRequest {
  return {
    conditions: { categorical: spec.conditions.categorical.map((t) => ({ ...t })), numeric: spec.conditions.numeric.map((r) => ({ ...r })) },
    rowCount: spec.rowCount,
    format: spec.format,
    ...(spec.seed !== undefined ? { seed: spec.seed } : {}),
  };
}

/** `GET /v1/datasets/{id}/schema` as the scenario checks (and the schema inspector) read it. */
export function panelSchemaOf(schema: ApiSchema): DatasetSchema {
  return {
    columns: schema.columns.map((column) => ({
      name: column.name,
      type: column.type,
      ...(column.levels.length ? { levels: [...column.levels] } : {}),
      ...(column.min !== undefined ? { min: column.min } : {}),
      ...(column.max !== undefined ? { max: column.max } : {}),
    })),
  };
}

/** At most this many names in a message: a schema can have thousands of columns. */
const NAMES_SHOWN = 40;

/**
 * The spec's conditions against the dataset's schema, as the schema inspector checks them before Generate: problems
 * block the submission (an unknown column or level names the real ones, so the fix is in the message), warnings (a
 * range outside the learned one) are shown with the confirmation.
 */
export function checkGenerationSpec(spec: SimulacraGenerationSpec, schema: DatasetSchema): { problems: SpecProblem[]; warnings: string[] } {
  const columns = new Map(schema.columns.map((column) => [column.name, column]));
  const problems: SpecProblem[] = [];
  const unknownColumn = (field: string, name: string) =>
    problems.push({ field, message: l10n.t('"{0}" is not a column of dataset {1}; its columns: {2}.', name, spec.datasetId, names(schema.columns.map((c) => c.name))) });
  spec.conditions.categorical.forEach((target, index) => {
    const column = columns.get(target.column);
    if (!column) return unknownColumn(`conditions.categorical[${index}].column`, target.column);
    if (isCategorical(column) && !(column.levels ?? []).includes(target.level)) {
      problems.push({ field: `conditions.categorical[${index}].level`, message: l10n.t('"{0}" is not a level of "{1}" in the cleaned schema; its levels: {2}.', target.level, target.column, names(column.levels ?? [])) });
    }
  });
  spec.conditions.numeric.forEach((range, index) => {
    if (!columns.has(range.column)) unknownColumn(`conditions.numeric[${index}].column`, range.column);
  });
  const warnings: string[] = [];
  for (const issue of checkScenario(generationRequestFromSpec(spec), schema)) {
    if (issue.severity === 'warning') {
      warnings.push(issue.message);
      continue;
    }
    // Unknown columns and levels are reported above, with the names to use instead.
    const column = issue.column === undefined ? undefined : columns.get(issue.column);
    if (issue.column !== undefined && (!column || (issue.level !== undefined && !(column.levels ?? []).includes(issue.level)))) continue;
    problems.push({ field: fieldOf(spec, issue.column, issue.level), message: issue.message });
  }
  return { problems, warnings };
}

/** Where in the spec a scenario issue points: the condition naming its column (and level). */
function fieldOf(spec: SimulacraGenerationSpec, column: string | undefined, level: string | undefined): string {
  if (column === undefined) return 'conditions';
  const categorical = spec.conditions.categorical.findIndex((t) => t.column === column && (level === undefined || t.level === level));
  if (categorical >= 0) return level === undefined ? `conditions.categorical[${categorical}].column` : `conditions.categorical[${categorical}].level`;
  const numeric = spec.conditions.numeric.findIndex((r) => r.column === column);
  return numeric >= 0 ? `conditions.numeric[${numeric}]` : 'conditions';
}

function names(list: readonly string[]): string {
  if (list.length === 0) return l10n.t('none');
  const shown = list.slice(0, NAMES_SHOWN).map((name) => JSON.stringify(name)).join(', ');
  return list.length > NAMES_SHOWN ? l10n.t('{0} and {1} more (Open Schema Inspector lists them all)', shown, list.length - NAMES_SHOWN) : shown;
}
