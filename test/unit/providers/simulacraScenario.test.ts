// Scenarios are built and checked only against a cleaned schema; the request body is the quickstarts' shape.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { DatasetSchema } from '../../../src/providers/simulacra/SimulacraApi';
import { toDatasetSchema } from '../../../src/providers/simulacra/SimulacraApi';
import { resolveColumn } from '../../../src/providers/simulacra/columnNames';
import { parseScenarioFile, SCENARIO_JSON_SCHEMA, scenarioJsonSchemaFor, scenarioFromTables, serializeScenario, toGenerationRequest, validateScenario, type Scenario } from '../../../src/providers/simulacra/scenario';

const rawColumns = [
  { name: 'age', type: 'numeric', min: 18, max: 65 },
  { name: 'segment', type: 'categorical', levels: ['Value', 'Mainstream', 'Premium'] },
  { name: 'channel', type: 'categorical', levels: ['Retail', 'Online', 'Club'] },
  { name: 'purchase.intent', type: 'numeric', min: 0, max: 100 },
];
const schema: DatasetSchema = toDatasetSchema({ dataset_id: 'ds_1', schema: rawColumns });

function guideScenario(): Scenario {
  const names = schema.columns.map((c) => c.name);
  const segment = resolveColumn(names, 'segment') ?? '';
  const channel = resolveColumn(names, 'channel') ?? '';
  const age = resolveColumn(names, 'age') ?? '';
  const intent = resolveColumn(names, 'purchase_intent', 'purchase.intent') ?? '';
  return scenarioFromTables(
    [
      { column: segment, level: 'Premium', target_share: 0.55 },
      { column: segment, level: 'Mainstream', target_share: 0.35 },
      { column: segment, level: 'Value', target_share: 0.1 },
      { column: channel, level: 'Online', target_share: 0.7 },
      { column: channel, level: 'Retail', target_share: 0.2 },
      { column: channel, level: 'Club', target_share: 0.1 },
    ],
    [
      { column: age, min: 25, max: 44 },
      { column: intent, min: 70, max: 100 },
    ],
    { row_count: 5000, output_format: 'parquet', seed: 20260430 },
  );
}

describe('Simulacra scenario', () => {
  it("converts the guide's scenario to exactly the quickstart body", () => {
    const body = toGenerationRequest(guideScenario(), { waitSeconds: 20 });
    assert.deepEqual(body, {
      row_count: 5000,
      output_format: 'parquet',
      seed: 20260430,
      wait_seconds: 20,
      conditions: {
        categorical: { segment: { Premium: 0.55, Mainstream: 0.35, Value: 0.1 }, channel: { Online: 0.7, Retail: 0.2, Club: 0.1 } },
        numeric: { age: { min: 25, max: 44 }, 'purchase.intent': { min: 70, max: 100 } },
      },
    });
    assert.deepEqual(Object.keys(body), ['row_count', 'output_format', 'seed', 'wait_seconds', 'conditions']);
  });

  it('accepts the guide scenario (shares summing to exactly 1 despite floating point)', () => {
    const result = validateScenario(guideScenario(), schema);
    assert.deepEqual(result.issues, []);
    assert.equal(result.ok, true);
  });

  it('resolves purchase_intent to the cleaned purchase.intent', () => {
    assert.equal(resolveColumn(['purchase.intent'], 'purchase_intent'), 'purchase.intent');
    assert.equal(resolveColumn(['Purchase.Intent'], 'purchase_intent'), 'Purchase.Intent');
    assert.equal(resolveColumn(['age'], 'income'), undefined);
  });

  it('reports unknown columns (with the renamed suggestion), unknown levels, share range and sum', () => {
    const scenario: Scenario = {
      row_count: 10,
      output_format: 'csv',
      conditions: {
        categorical: { segment: { Premium: 0.8, Mainstream: 0.3, Luxury: 0.1 }, region: { West: 0.5 }, channel: { Online: 1.5 } },
        numeric: { purchase_intent: { min: 1, max: 2 } },
      },
    };
    const codes = validateScenario(scenario, schema).errors.map((i) => `${i.code}@${i.path}`);
    assert.deepEqual(codes.sort(), [
      'share_range@conditions.categorical.channel.Online',
      'share_sum@conditions.categorical.segment',
      'unknown_column@conditions.categorical.region',
      'unknown_column@conditions.numeric.purchase_intent',
      'unknown_level@conditions.categorical.segment.Luxury',
    ]);
    const renamed = validateScenario(scenario, schema).errors.find((i) => i.path === 'conditions.numeric.purchase_intent');
    assert.match(renamed?.message ?? '', /Did you mean "purchase\.intent"/);
  });

  it('requires both min and max, min ≤ max, and warns (only) outside the learned range', () => {
    const scenario = (numeric: Record<string, unknown>): Scenario => ({ row_count: 5, output_format: 'parquet', conditions: { categorical: {}, numeric: numeric as Scenario['conditions']['numeric'] } });
    assert.deepEqual(validateScenario(scenario({ age: { min: 25 } }), schema).errors.map((i) => i.code), ['numeric_bounds']);
    assert.deepEqual(validateScenario(scenario({ age: { min: 50, max: 25 } }), schema).errors.map((i) => i.code), ['numeric_order']);
    const wide = validateScenario(scenario({ age: { min: 10, max: 90 } }), schema);
    assert.equal(wide.ok, true);
    assert.deepEqual(wide.warnings.map((i) => i.code), ['outside_learned_range']);
    assert.deepEqual(validateScenario(scenario({ segment: { min: 1, max: 2 } }), schema).errors.map((i) => i.code), ['wrong_column_type']);
  });

  it('checks row count, format and seed', () => {
    const base = guideScenario();
    const codes = validateScenario({ ...base, row_count: 0, output_format: 'xlsx' as 'csv', seed: 1.5 }, schema).errors.map((i) => i.code);
    assert.deepEqual(codes, ['row_count', 'output_format', 'seed']);
    assert.deepEqual(validateScenario({ ...base, row_count: 50_000 }, schema, { maxRowCount: 20_000 }).errors.map((i) => i.code), ['row_count']);
  });

  it('round-trips a scenario file and reports unknown columns and levels when loaded against a schema', () => {
    const text = serializeScenario(guideScenario());
    assert.match(text, /"\$schema"/);
    const loaded = parseScenarioFile(text, schema);
    assert.equal(loaded.validation.ok, true);
    assert.deepEqual(toGenerationRequest(loaded.scenario as Scenario), toGenerationRequest(guideScenario()));

    const other = parseScenarioFile(JSON.stringify({ row_count: 10, conditions: { categorical: { segment: { Gold: 0.2 }, tier: { A: 0.1 } } } }), schema);
    assert.deepEqual(other.validation.errors.map((i) => i.code).sort(), ['unknown_column', 'unknown_level']);
    assert.equal(other.scenario?.output_format, 'parquet');
  });

  it('reports bad JSON and a bad shape without throwing', () => {
    assert.deepEqual(parseScenarioFile('{', schema).validation.errors.map((i) => i.code), ['invalid_json']);
    assert.deepEqual(parseScenarioFile('{"conditions": {}}', schema).validation.errors.map((i) => i.code), ['invalid_shape']);
    assert.deepEqual(parseScenarioFile(JSON.stringify({ row_count: 3, conditions: { categorical: { a: { x: 2 } } } })).validation.errors.map((i) => i.code), ['share_range']);
  });

  it('ships the JSON Schema constant as schemas/scenario.schema.json', () => {
    const file = JSON.parse(readFileSync('schemas/scenario.schema.json', 'utf8')) as unknown;
    assert.deepEqual(file, JSON.parse(JSON.stringify(SCENARIO_JSON_SCHEMA)));
  });

  it("narrows the JSON Schema to a dataset's columns and levels", () => {
    const narrowed = JSON.parse(JSON.stringify(scenarioJsonSchemaFor(schema))) as {
      properties: { dataset_id: { const: string }; conditions: { properties: { categorical: { properties: Record<string, { properties: Record<string, unknown> }>; additionalProperties: boolean }; numeric: { properties: Record<string, { description: string; required: string[] }> } } } };
    };
    const conditions = narrowed.properties.conditions.properties;
    assert.deepEqual(Object.keys(conditions.categorical.properties), ['segment', 'channel']);
    assert.deepEqual(Object.keys(conditions.categorical.properties.segment.properties), ['Value', 'Mainstream', 'Premium']);
    assert.equal(conditions.categorical.additionalProperties, false);
    assert.deepEqual(Object.keys(conditions.numeric.properties), ['age', 'purchase.intent']);
    assert.deepEqual(conditions.numeric.properties.age.required, ['min', 'max']);
    assert.match(conditions.numeric.properties.age.description, /18–65/);
    assert.equal(narrowed.properties.dataset_id.const, 'ds_1');
  });

  it('keeps hostile column and level names (__proto__, constructor, toString) as plain keys, never prototypes', () => {
    const hostile = toDatasetSchema({ schema: [{ name: '__proto__', type: 'categorical', levels: ['toString', 'a'] }, { name: 'constructor', type: 'numeric', min: 0, max: 9 }] });
    const text = '{"row_count":1,"conditions":{"categorical":{"__proto__":{"toString":0.5}},"numeric":{"constructor":{"min":1,"max":2}}}}';
    const loaded = parseScenarioFile(text, hostile);
    assert.deepEqual(loaded.validation.issues, []);
    assert.equal(JSON.stringify(toGenerationRequest(loaded.scenario as Scenario).conditions), '{"categorical":{"__proto__":{"toString":0.5}},"numeric":{"constructor":{"min":1,"max":2}}}');
    const built = scenarioFromTables([{ column: '__proto__', level: 'toString', target_share: 0.3 }], [{ column: 'constructor', min: 1, max: 2 }], { row_count: 3 });
    assert.equal(JSON.stringify(built.conditions), '{"categorical":{"__proto__":{"toString":0.3}},"numeric":{"constructor":{"min":1,"max":2}}}');
    assert.deepEqual(validateScenario(built, hostile).issues, []);
    assert.equal(({} as Record<string, unknown>).toString, Object.prototype.toString);
    const narrowed = JSON.parse(JSON.stringify(scenarioJsonSchemaFor(hostile))) as { properties: { conditions: { properties: { categorical: { properties: object }; numeric: { properties: object } } } } };
    assert.deepEqual(Object.keys(narrowed.properties.conditions.properties.categorical.properties), ['__proto__']);
    assert.deepEqual(Object.keys(narrowed.properties.conditions.properties.numeric.properties), ['constructor']);
  });
});
