import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatasetSchema } from '../../../src/shared/datasetSchema';
import type { GenerationRequest } from '../../../src/shared/scenario';
import { checkScenario, hasErrors, toApiConditions, toGenerationBody } from '../../../src/shared/scenarioConditions';

const schema: DatasetSchema = {
  columns: [
    { name: 'segment', type: 'categorical', levels: ['Premium', 'Mainstream', 'Value'] },
    { name: 'channel', type: 'categorical', levels: ['Online', 'Retail', 'Club'] },
    { name: 'age', type: 'numeric', min: 18, max: 80 },
    { name: 'purchase.intent', type: 'numeric', min: 0, max: 100 },
  ],
};

/** The quickstart's scenario, as the builder holds it. */
const quickstart: GenerationRequest = {
  rowCount: 5000,
  format: 'parquet',
  seed: 20260430,
  conditions: {
    categorical: [
      { column: 'segment', level: 'Premium', targetShare: 0.55 },
      { column: 'segment', level: 'Mainstream', targetShare: 0.35 },
      { column: 'segment', level: 'Value', targetShare: 0.1 },
      { column: 'channel', level: 'Online', targetShare: 0.7 },
      { column: 'channel', level: 'Retail', targetShare: 0.2 },
      { column: 'channel', level: 'Club', targetShare: 0.1 },
    ],
    numeric: [
      { column: 'age', min: 25, max: 44 },
      { column: 'purchase.intent', min: 70, max: 100 },
    ],
  },
};

function withConditions(conditions: Partial<GenerationRequest['conditions']>, extra: Partial<GenerationRequest> = {}): GenerationRequest {
  return { ...quickstart, ...extra, conditions: { categorical: [], numeric: [], ...conditions } };
}

describe('scenario → API conditions', () => {
  it('builds the body the quickstarts send: shares grouped by column, ranges with both bounds, snake_case fields', () => {
    assert.deepEqual(toGenerationBody(quickstart), {
      row_count: 5000,
      output_format: 'parquet',
      seed: 20260430,
      conditions: {
        categorical: {
          segment: { Premium: 0.55, Mainstream: 0.35, Value: 0.1 },
          channel: { Online: 0.7, Retail: 0.2, Club: 0.1 },
        },
        numeric: { age: { min: 25, max: 44 }, 'purchase.intent': { min: 70, max: 100 } },
      },
    });
  });

  it('leaves out the seed when none is given and keeps empty condition groups', () => {
    const body = toGenerationBody({ rowCount: 10, format: 'csv', conditions: { categorical: [], numeric: [] } });
    assert.deepEqual(body, { row_count: 10, output_format: 'csv', conditions: { categorical: {}, numeric: {} } });
    assert.equal('seed' in body, false);
  });

  it('keeps a column or level named __proto__ as data instead of touching the prototype', () => {
    const conditions = toApiConditions({
      categorical: [{ column: '__proto__', level: '__proto__', targetShare: 0.5 }],
      numeric: [{ column: 'constructor', min: 1, max: 2 }],
    });
    assert.equal(JSON.stringify(conditions), '{"categorical":{"__proto__":{"__proto__":0.5}},"numeric":{"constructor":{"min":1,"max":2}}}');
    assert.equal(Object.getPrototypeOf(conditions.categorical), Object.prototype);
  });
});

describe('scenario checks against the cleaned schema', () => {
  it('accepts the quickstart scenario without issues', () => {
    assert.deepEqual(checkScenario(quickstart, schema), []);
  });

  it('refuses an original column name that cleaning renamed, and a level cleaning dropped', () => {
    const issues = checkScenario(
      withConditions({ categorical: [{ column: 'segment', level: 'Luxury', targetShare: 0.1 }], numeric: [{ column: 'purchase_intent', min: 1, max: 2 }] }),
      schema,
    );
    assert.equal(issues.length, 2);
    assert.ok(issues.every((issue) => issue.severity === 'error'));
    assert.match(issues[0].message, /Level "Luxury" of "segment" is not in the cleaned schema/);
    assert.match(issues[1].message, /Column "purchase_intent" is not in the cleaned schema/);
  });

  it('refuses shares over 100 % in a column, and a share outside 0–1', () => {
    const over = checkScenario(
      withConditions({
        categorical: [
          { column: 'segment', level: 'Premium', targetShare: 0.6 },
          { column: 'segment', level: 'Value', targetShare: 0.5 },
        ],
      }),
      schema,
    );
    assert.equal(over.length, 1);
    assert.match(over[0].message, /add up to 110 %/);
    const negative = checkScenario(withConditions({ categorical: [{ column: 'segment', level: 'Value', targetShare: -0.1 }] }), schema);
    assert.ok(hasErrors(negative));
  });

  it('does not count floating-point dust as over 100 %', () => {
    const issues = checkScenario(
      withConditions({
        categorical: [
          { column: 'segment', level: 'Premium', targetShare: 0.1 },
          { column: 'segment', level: 'Mainstream', targetShare: 0.2 },
          { column: 'segment', level: 'Value', targetShare: 0.7 },
        ],
      }),
      schema,
    );
    assert.deepEqual(issues, []);
  });

  it('requires both numeric bounds in order, and warns (without blocking) about bounds outside the learned range', () => {
    assert.match(checkScenario(withConditions({ numeric: [{ column: 'age', min: 30, max: Number.NaN }] }), schema)[0].message, /needs both a minimum and a maximum/);
    assert.match(checkScenario(withConditions({ numeric: [{ column: 'age', min: 50, max: 40 }] }), schema)[0].message, /minimum \(50\) above its maximum \(40\)/);
    const outside = checkScenario(withConditions({ numeric: [{ column: 'age', min: 10, max: 40 }] }), schema);
    assert.equal(outside.length, 1);
    assert.equal(outside[0].severity, 'warning');
    assert.match(outside[0].message, /outside the learned range 18–80/);
    assert.equal(hasErrors(outside), false);
  });

  it('refuses shares on a numeric column, a range on a categorical one, duplicates, and a bad row count or seed', () => {
    const issues = checkScenario(
      withConditions(
        {
          categorical: [
            { column: 'age', level: '30', targetShare: 0.5 },
            { column: 'channel', level: 'Club', targetShare: 0.2 },
            { column: 'channel', level: 'Club', targetShare: 0.2 },
          ],
          numeric: [{ column: 'segment', min: 1, max: 2 }],
        },
        { rowCount: 0, seed: -1 },
      ),
      schema,
    );
    const messages = issues.map((issue) => issue.message);
    assert.ok(messages.some((m) => /"age" is numeric, not categorical/.test(m)));
    assert.ok(messages.some((m) => /"Club" of "channel" has more than one share/.test(m)));
    assert.ok(messages.some((m) => /"segment" is categorical, not numeric/.test(m)));
    assert.ok(messages.some((m) => /row count/.test(m)));
    assert.ok(messages.some((m) => /seed/.test(m)));
  });
});
