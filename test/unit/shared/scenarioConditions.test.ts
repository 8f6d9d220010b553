import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveColumn } from '../../../src/providers/simulacra/columnNames';
import type { DatasetSchema } from '../../../src/shared/datasetSchema';
import { MAX_ROW_COUNT, parseScenarioFile, type GenerationRequest, type Scenario } from '../../../src/shared/scenario';
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

  it("builds the quickstart from its data-frame rows, columns resolved against the cleaned schema as the guide does", () => {
    const names = schema.columns.map((column) => column.name);
    const col = (...candidates: string[]) => resolveColumn(names, ...candidates) ?? assert.fail(`none of ${candidates.join(', ')}`);
    assert.equal(col('purchase_intent'), 'purchase.intent');
    assert.equal(resolveColumn(['Purchase.Intent'], 'purchase_intent'), 'Purchase.Intent');
    assert.equal(resolveColumn(['age'], 'income'), undefined);
    const targets = [['segment', 'Premium', 0.55], ['segment', 'Mainstream', 0.35], ['segment', 'Value', 0.1], ['channel', 'Online', 0.7], ['channel', 'Retail', 0.2], ['channel', 'Club', 0.1]] as const;
    const request: GenerationRequest = {
      rowCount: 5000,
      format: 'parquet',
      seed: 20260430,
      conditions: {
        categorical: targets.map(([column, level, targetShare]) => ({ column: col(column), level, targetShare })),
        numeric: [
          { column: col('age'), min: 25, max: 44 },
          { column: col('purchase_intent'), min: 70, max: 100 },
        ],
      },
    };
    assert.deepEqual(request, quickstart);
    assert.deepEqual(checkScenario(request, schema), []);
    assert.deepEqual(Object.keys(toGenerationBody(request)), ['row_count', 'output_format', 'seed', 'conditions']);
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

  it('refuses a categorical column the schema lacks, a share above 100 %, and a row count above the cap', () => {
    const issues = checkScenario(
      withConditions({ categorical: [{ column: 'region', level: 'West', targetShare: 0.5 }, { column: 'channel', level: 'Online', targetShare: 1.5 }] }, { rowCount: MAX_ROW_COUNT + 1 }),
      schema,
    );
    assert.equal(issues.length, 3);
    assert.ok(hasErrors(issues));
    assert.match(issues[0].message, /Column "region" is not in the cleaned schema/);
    assert.match(issues[1].message, /share of "Online" in "channel" must be between 0 and 100 %/);
    assert.match(issues[2].message, /row count/);
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

describe('saved scenario files against the cleaned schema', () => {
  const saved: Scenario = { version: 1, datasetId: 'ds_1', ...quickstart };

  it('round-trips to the same body, and a loaded file is checked against the schema again (unknown columns and levels)', () => {
    const loaded = parseScenarioFile(JSON.stringify(saved, null, 2));
    assert.deepEqual(toGenerationBody(loaded), toGenerationBody(quickstart));
    assert.deepEqual(checkScenario(loaded, schema), []);

    const other = parseScenarioFile(JSON.stringify({ ...saved, conditions: { categorical: [{ column: 'segment', level: 'Gold', targetShare: 0.2 }, { column: 'tier', level: 'A', targetShare: 0.1 }], numeric: [] } }));
    const messages = checkScenario(other, schema).map((issue) => issue.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /Level "Gold" of "segment" is not in the cleaned schema/);
    assert.match(messages[1], /Column "tier" is not in the cleaned schema/);
    assert.throws(() => parseScenarioFile(JSON.stringify({ ...saved, conditions: { categorical: [{ column: 'a', level: 'x', targetShare: 2 }], numeric: [] } })), /conditions\.categorical\.0\.targetShare/);
  });

  it('keeps hostile column and level names (__proto__, constructor, toString) as data from file to body', () => {
    const hostile: DatasetSchema = { columns: [{ name: '__proto__', type: 'categorical', levels: ['toString', 'a'] }, { name: 'constructor', type: 'numeric', min: 0, max: 9 }] };
    const text = '{"version":1,"rowCount":1,"format":"csv","conditions":{"categorical":[{"column":"__proto__","level":"toString","targetShare":0.5}],"numeric":[{"column":"constructor","min":1,"max":2}]}}';
    const loaded = parseScenarioFile(text);
    assert.deepEqual(checkScenario(loaded, hostile), []);
    assert.equal(JSON.stringify(toGenerationBody(loaded).conditions), '{"categorical":{"__proto__":{"toString":0.5}},"numeric":{"constructor":{"min":1,"max":2}}}');
    assert.equal(({} as Record<string, unknown>).toString, Object.prototype.toString);
  });
});
