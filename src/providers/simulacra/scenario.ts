import { z } from 'zod';
import { resolveColumn } from './columnNames';
import { OUTPUT_FORMATS, type DatasetSchema, type GenerationRequest, type OutputFormat, type SchemaColumn } from './SimulacraApi';

/**
 * A scenario: what the generated dataset should look like, built only from a dataset's cleaned schema (the guide:
 * "Do not guess categorical levels or numeric ranges; fetch schema"). It is stored in `*.scenario.json` files in the
 * API's own shape, so converting it to the request body is a copy, and a user reading the file reads the API.
 */
export interface Scenario {
  /** The dataset whose schema the scenario was built from (informational; the generation is sent to it). */
  readonly dataset_id?: string;
  readonly row_count: number;
  readonly output_format: OutputFormat;
  readonly seed?: number;
  readonly wait_seconds?: number;
  readonly conditions: {
    /** column → level → desired outcome share (0..1; a column's shares sum to at most 1). */
    readonly categorical: Readonly<Record<string, Readonly<Record<string, number>>>>;
    /** column → bilateral range: both `min` and `max`. */
    readonly numeric: Readonly<Record<string, { readonly min: number; readonly max: number }>>;
  };
}

export interface ScenarioIssue {
  readonly severity: 'error' | 'warning';
  /** JSON path into the scenario: `conditions.categorical.segment.Premium`. */
  readonly path: string;
  readonly message: string;
  /** Stable, for tests and quick fixes. */
  readonly code:
    | 'invalid_json'
    | 'invalid_shape'
    | 'row_count'
    | 'output_format'
    | 'seed'
    | 'unknown_column'
    | 'wrong_column_type'
    | 'unknown_level'
    | 'share_range'
    | 'share_sum'
    | 'numeric_bounds'
    | 'numeric_order'
    | 'outside_learned_range'
    | 'column_twice';
}

export interface ScenarioValidation {
  readonly issues: readonly ScenarioIssue[];
  readonly errors: readonly ScenarioIssue[];
  readonly warnings: readonly ScenarioIssue[];
  readonly ok: boolean;
}

export interface ScenarioLimits {
  /** A per-request safety cap, when the account has one. */
  readonly maxRowCount?: number;
}

/** Shares are decimals typed by people: 0.55 + 0.35 + 0.10 must not fail on floating point. */
const SUM_TOLERANCE = 1e-9;

export function emptyScenario(schema?: DatasetSchema): Scenario {
  return { dataset_id: schema?.datasetId, row_count: 1000, output_format: 'parquet', conditions: { categorical: {}, numeric: {} } };
}

/** Every check against the cleaned schema; learned-range excursions are warnings (feasibility, not validity). */
export function validateScenario(scenario: Scenario, schema: DatasetSchema, limits: ScenarioLimits = {}): ScenarioValidation {
  const issues: ScenarioIssue[] = [];
  const add = (severity: ScenarioIssue['severity'], code: ScenarioIssue['code'], path: string, message: string) => issues.push({ severity, code, path, message });
  const columns = new Map(schema.columns.map((column) => [column.name, column]));
  const names = schema.columns.map((column) => column.name);

  if (!Number.isInteger(scenario.row_count) || scenario.row_count < 1) add('error', 'row_count', 'row_count', 'Row count must be a whole number of at least 1.');
  else if (limits.maxRowCount !== undefined && scenario.row_count > limits.maxRowCount) add('error', 'row_count', 'row_count', `Row count is above the per-request cap of ${limits.maxRowCount}.`);
  if (!(OUTPUT_FORMATS as readonly string[]).includes(scenario.output_format)) add('error', 'output_format', 'output_format', `Output format must be one of ${OUTPUT_FORMATS.join(', ')}.`);
  if (scenario.seed !== undefined && (!Number.isInteger(scenario.seed) || scenario.seed < 0)) add('error', 'seed', 'seed', 'Seed must be a whole number of 0 or more.');

  const unknownColumn = (kind: 'categorical' | 'numeric', name: string): void => {
    const suggestion = resolveColumn(names, name);
    const hint = suggestion ? ` Did you mean "${suggestion}" (cleaning renames columns)?` : ' It may have been dropped by cleaning.';
    add('error', 'unknown_column', `conditions.${kind}.${name}`, `Column "${name}" is not in the cleaned schema.${hint}`);
  };

  for (const [name, levels] of Object.entries(scenario.conditions.categorical)) {
    const column = columns.get(name);
    if (!column) {
      unknownColumn('categorical', name);
      continue;
    }
    if (column.type !== 'categorical') {
      add('error', 'wrong_column_type', `conditions.categorical.${name}`, `Column "${name}" is ${describeType(column)}, not categorical: give it a numeric range instead.`);
      continue;
    }
    let sum = 0;
    for (const [level, share] of Object.entries(levels)) {
      const path = `conditions.categorical.${name}.${level}`;
      if (!column.levels.includes(level)) add('error', 'unknown_level', path, `Level "${level}" of "${name}" is not in the cleaned schema (rare levels are dropped). Known levels: ${column.levels.join(', ') || 'none'}.`);
      if (typeof share !== 'number' || !Number.isFinite(share) || share < 0 || share > 1) {
        add('error', 'share_range', path, `The target share of "${level}" must be between 0 and 1 (0.30 means 30%).`);
        continue;
      }
      sum += share;
    }
    if (sum > 1 + SUM_TOLERANCE) add('error', 'share_sum', `conditions.categorical.${name}`, `The target shares of "${name}" add up to ${round(sum)}; they may add up to at most 1.`);
  }

  for (const [name, range] of Object.entries(scenario.conditions.numeric)) {
    const path = `conditions.numeric.${name}`;
    if (Object.hasOwn(scenario.conditions.categorical, name)) add('error', 'column_twice', path, `Column "${name}" has both categorical targets and a numeric range.`);
    const column = columns.get(name);
    if (!column) {
      unknownColumn('numeric', name);
      continue;
    }
    if (column.type !== 'numeric') {
      add('error', 'wrong_column_type', path, `Column "${name}" is ${describeType(column)}, not numeric: give it level shares instead.`);
      continue;
    }
    const { min, max } = range as { min?: unknown; max?: unknown };
    if (typeof min !== 'number' || typeof max !== 'number' || !Number.isFinite(min) || !Number.isFinite(max)) {
      add('error', 'numeric_bounds', path, `The range of "${name}" needs both a minimum and a maximum (numeric conditions are bilateral).`);
      continue;
    }
    if (min > max) {
      add('error', 'numeric_order', path, `The minimum of "${name}" (${min}) is above its maximum (${max}).`);
      continue;
    }
    const below = column.min !== undefined && min < column.min;
    const above = column.max !== undefined && max > column.max;
    if (below || above) {
      add('warning', 'outside_learned_range', path, `The range ${min}–${max} of "${name}" goes outside the learned range ${column.min ?? '?'}–${column.max ?? '?'}: fewer rows than requested may be feasible.`);
    }
  }

  const errors = issues.filter((issue) => issue.severity === 'error');
  const warnings = issues.filter((issue) => issue.severity === 'warning');
  return { issues, errors, warnings, ok: errors.length === 0 };
}

/**
 * The POST body, in the quickstarts' order and shape: `{row_count, output_format, seed, wait_seconds, conditions:
 * {categorical: {column: {level: share}}, numeric: {column: {min, max}}}}`. Optional fields left out are not sent.
 */
export function toGenerationRequest(scenario: Scenario, options: { waitSeconds?: number } = {}): GenerationRequest {
  const categorical = Object.fromEntries(Object.entries(scenario.conditions.categorical).filter(([, levels]) => Object.keys(levels).length > 0).map(([column, levels]) => [column, { ...levels }]));
  const numeric = Object.fromEntries(Object.entries(scenario.conditions.numeric).map(([column, range]) => [column, { min: range.min, max: range.max }]));
  const waitSeconds = options.waitSeconds ?? scenario.wait_seconds;
  return {
    row_count: scenario.row_count,
    output_format: scenario.output_format,
    ...(scenario.seed === undefined ? {} : { seed: scenario.seed }),
    ...(waitSeconds === undefined ? {} : { wait_seconds: waitSeconds }),
    conditions: { categorical, numeric },
  };
}

export interface CategoricalTarget {
  readonly column: string;
  readonly level: string;
  readonly target_share: number;
}

export interface NumericRange {
  readonly column: string;
  readonly min: number;
  readonly max: number;
}

/** The quickstarts' data-frame form (rows of targets and ranges) grouped into the condition object, order kept. */
export function scenarioFromTables(targets: readonly CategoricalTarget[], ranges: readonly NumericRange[], options: { row_count: number; output_format?: OutputFormat; seed?: number; dataset_id?: string }): Scenario {
  const categorical: Record<string, Record<string, number>> = {};
  for (const target of targets) {
    if (!Object.hasOwn(categorical, target.column)) setOwn(categorical, target.column, {});
    setOwn(categorical[target.column], target.level, target.target_share);
  }
  const numeric: Record<string, { min: number; max: number }> = {};
  for (const range of ranges) setOwn(numeric, range.column, { min: range.min, max: range.max });
  return { dataset_id: options.dataset_id, row_count: options.row_count, output_format: options.output_format ?? 'parquet', seed: options.seed, conditions: { categorical, numeric } };
}

const scenarioFileSchema = z.looseObject({
  $schema: z.string().optional(),
  dataset_id: z.string().optional(),
  row_count: z.number(),
  output_format: z.string().default('parquet'),
  seed: z.number().optional(),
  wait_seconds: z.number().optional(),
  conditions: z
    .looseObject({
      categorical: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
      numeric: z.record(z.string(), z.looseObject({ min: z.unknown().optional(), max: z.unknown().optional() })).default({}),
    })
    .default({ categorical: {}, numeric: {} }),
});

export interface ParsedScenarioFile {
  readonly scenario?: Scenario;
  readonly validation: ScenarioValidation;
}

/**
 * Reads a `*.scenario.json` file's text and checks it: its shape always, and against the cleaned schema when given
 * (unknown columns and levels, shares, ranges). Never throws.
 */
export function parseScenarioFile(text: string, schema?: DatasetSchema, limits?: ScenarioLimits): ParsedScenarioFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return failed('invalid_json', '', `The scenario file is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const parsed = scenarioFileSchema.safeParse(json);
  if (!parsed.success) {
    const issues: ScenarioIssue[] = parsed.error.issues.slice(0, 10).map((issue) => ({ severity: 'error', code: 'invalid_shape', path: issue.path.join('.'), message: `${issue.path.join('.') || 'The file'}: ${issue.message}` }));
    return { validation: summarise(issues) };
  }
  const data = parsed.data;
  const scenario: Scenario = {
    dataset_id: data.dataset_id,
    row_count: data.row_count,
    output_format: data.output_format as OutputFormat,
    seed: data.seed,
    wait_seconds: data.wait_seconds,
    // From the parsed JSON itself, not zod's copy: a record key like `__proto__` is an own property in JSON.parse's
    // output but would be lost (assigned as a prototype) in a copy built by assignment.
    conditions: ownConditions(json),
  };
  if (!schema) return { scenario, validation: validateScenario(scenario, { columns: shapeOnlyColumns(scenario), raw: { schema: [] } }, limits) };
  return { scenario, validation: validateScenario(scenario, schema, limits) };
}

/** The scenario as file text, with the `$schema` reference editors use for completion. */
export function serializeScenario(scenario: Scenario, schemaRef = SCENARIO_SCHEMA_ID): string {
  return `${JSON.stringify({ $schema: schemaRef, ...withoutUndefined(scenario) }, null, 2)}\n`;
}

export const SCENARIO_SCHEMA_ID = 'https://simcloud.dev/schemas/scenario.schema.json';

/** JSON Schema (draft-07) for `*.scenario.json`; the same document is in `schemas/scenario.schema.json`. */
export const SCENARIO_JSON_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: SCENARIO_SCHEMA_ID,
  title: 'Simulacra scenario',
  description: 'A scenario-conditioned generation for the Simulacra Headless API, built from a dataset\'s cleaned schema (GET /v1/datasets/{dataset_id}/schema).',
  type: 'object',
  required: ['row_count', 'conditions'],
  properties: {
    $schema: { type: 'string' },
    dataset_id: { type: 'string', description: 'The dataset whose cleaned schema this scenario was built from.' },
    row_count: { type: 'integer', minimum: 1, description: 'Rows requested. Tight scenarios can produce fewer; never more.' },
    output_format: { type: 'string', enum: [...OUTPUT_FORMATS], default: 'parquet' },
    seed: { type: 'integer', minimum: 0 },
    wait_seconds: { type: 'integer', minimum: 0 },
    conditions: {
      type: 'object',
      properties: {
        categorical: {
          type: 'object',
          description: 'Column → level → desired outcome share (0.70 means a 70% target share). Shares of one column sum to at most 1.',
          additionalProperties: { type: 'object', additionalProperties: { type: 'number', minimum: 0, maximum: 1 } },
        },
        numeric: {
          type: 'object',
          description: 'Column → bilateral range: both min and max.',
          additionalProperties: {
            type: 'object',
            required: ['min', 'max'],
            properties: { min: { type: 'number' }, max: { type: 'number' } },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

/**
 * The scenario JSON Schema narrowed to one dataset's cleaned schema: column names and levels become the only allowed
 * property names, so the editor completes them and flags unknown ones. Numeric ranges carry the learned range in
 * their description (outside it is allowed: a feasibility warning, not an error).
 */
export function scenarioJsonSchemaFor(schema: DatasetSchema): Record<string, unknown> {
  const categorical: Record<string, unknown> = {};
  const numeric: Record<string, unknown> = {};
  for (const column of schema.columns) {
    if (column.type === 'categorical') {
      setOwn(categorical, column.name, {
        type: 'object',
        properties: Object.fromEntries(column.levels.map((level) => [level, { type: 'number', minimum: 0, maximum: 1 }])),
        additionalProperties: false,
      });
    } else if (column.type === 'numeric') {
      setOwn(numeric, column.name, {
        type: 'object',
        description: column.min !== undefined || column.max !== undefined ? `Learned range ${column.min ?? '?'}–${column.max ?? '?'}.` : undefined,
        required: ['min', 'max'],
        properties: { min: { type: 'number' }, max: { type: 'number' } },
        additionalProperties: false,
      });
    }
  }
  const base = SCENARIO_JSON_SCHEMA;
  return {
    ...base,
    $id: undefined,
    properties: {
      ...base.properties,
      dataset_id: schema.datasetId === undefined ? base.properties.dataset_id : { type: 'string', const: schema.datasetId },
      conditions: {
        ...base.properties.conditions,
        properties: {
          categorical: { ...base.properties.conditions.properties.categorical, properties: categorical, additionalProperties: false },
          numeric: { ...base.properties.conditions.properties.numeric, properties: numeric, additionalProperties: false },
        },
      },
    },
  };
}

/**
 * Column and level names come from the provider or a file and may be anything, `__proto__` included: an own property
 * is defined rather than assigned, so such a name becomes a key instead of replacing a prototype.
 */
function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function ownConditions(json: unknown): Scenario['conditions'] {
  const conditions = ownObject(ownObject(json).conditions);
  const categorical: Record<string, Record<string, number>> = {};
  for (const [column, levels] of Object.entries(ownObject(conditions.categorical))) {
    const copy: Record<string, number> = {};
    for (const [level, share] of Object.entries(ownObject(levels))) setOwn(copy, level, share as number);
    setOwn(categorical, column, copy);
  }
  const numeric: Record<string, { min: number; max: number }> = {};
  for (const [column, range] of Object.entries(ownObject(conditions.numeric))) {
    const { min, max } = ownObject(range);
    setOwn(numeric, column, { min: min as number, max: max as number });
  }
  return { categorical, numeric };
}

function ownObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function describeType(column: SchemaColumn): string {
  return column.type === 'other' ? `of type ${column.rawType ?? 'unknown'}` : column.type;
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function failed(code: ScenarioIssue['code'], path: string, message: string): ParsedScenarioFile {
  return { validation: summarise([{ severity: 'error', code, path, message }]) };
}

function summarise(issues: ScenarioIssue[]): ScenarioValidation {
  const errors = issues.filter((issue) => issue.severity === 'error');
  return { issues, errors, warnings: issues.filter((issue) => issue.severity === 'warning'), ok: errors.length === 0 };
}

/** Without a schema, every column the file names is taken as what it claims to be: only values are checked. */
function shapeOnlyColumns(scenario: Scenario): SchemaColumn[] {
  const categorical = Object.entries(scenario.conditions.categorical).map(([name, levels]): SchemaColumn => ({ name, type: 'categorical', levels: Object.keys(levels) }));
  const numeric = Object.keys(scenario.conditions.numeric)
    .filter((name) => !Object.hasOwn(scenario.conditions.categorical, name))
    .map((name): SchemaColumn => ({ name, type: 'numeric', levels: [] }));
  return [...categorical, ...numeric];
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
