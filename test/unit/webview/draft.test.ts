import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatasetSchema } from '../../../src/shared/datasetSchema';
import { checkScenario, hasErrors, toGenerationBody } from '../../../src/shared/scenarioConditions';
import { addableColumns, draftFromScenario, emptyDraft, newDraftColumn, parseNumber, requestFromDraft, scenarioFromDraft } from '../../../webview/simulacra/draft';

const schema: DatasetSchema = {
  columns: [
    { name: 'segment', type: 'categorical', levels: ['Premium', 'Mainstream', 'Value'] },
    { name: 'age', type: 'numeric', min: 18, max: 80 },
    { name: 'signup', type: 'datetime' },
  ],
};

describe('scenario builder draft', () => {
  it('offers only categorical and numeric schema columns not yet used, with one share input per schema level', () => {
    const draft = emptyDraft();
    assert.deepEqual(addableColumns(schema, draft).map((c) => c.name), ['segment', 'age']);
    draft.columns.push(newDraftColumn(schema.columns[0]));
    assert.deepEqual(addableColumns(schema, draft).map((c) => c.name), ['age']);
    assert.deepEqual(draft.columns[0], { kind: 'categorical', column: 'segment', shares: ['Premium', 'Mainstream', 'Value'].map((level) => ({ level, percent: '' })) });
  });

  it('turns percent inputs into 0–1 shares, skips empty levels, and leaves an empty bound missing rather than 0', () => {
    const draft = { ...emptyDraft(), rowCount: '500', format: 'parquet' as const, seed: '7' };
    draft.columns.push(
      { kind: 'categorical', column: 'segment', shares: [{ level: 'Premium', percent: '55' }, { level: 'Mainstream', percent: '' }, { level: 'Value', percent: '10' }] },
      { kind: 'numeric', column: 'age', min: '25', max: '' },
    );
    const request = requestFromDraft(draft);
    assert.deepEqual(request.conditions.categorical, [
      { column: 'segment', level: 'Premium', targetShare: 0.55 },
      { column: 'segment', level: 'Value', targetShare: 0.1 },
    ]);
    assert.ok(Number.isNaN(request.conditions.numeric[0].max));
    assert.match(checkScenario(request, schema)[0].message, /needs both a minimum and a maximum/);
    assert.deepEqual({ rowCount: request.rowCount, format: request.format, seed: request.seed }, { rowCount: 500, format: 'parquet', seed: 7 });
    assert.ok(Number.isNaN(parseNumber('')) && Number.isNaN(parseNumber('12abc')));
  });

  it('round-trips a saved scenario, listing every schema level and keeping unknown columns so the checks can name them', () => {
    const scenario = {
      version: 1 as const,
      datasetId: 'ds_1',
      rowCount: 5000,
      format: 'csv' as const,
      conditions: {
        categorical: [{ column: 'segment', level: 'Value', targetShare: 0.07 }],
        numeric: [{ column: 'age', min: 25, max: 44 }, { column: 'purchase_intent', min: 70, max: 100 }],
      },
    };
    const draft = draftFromScenario(scenario, schema);
    assert.deepEqual(draft.columns[0], { kind: 'categorical', column: 'segment', shares: [{ level: 'Value', percent: '7' }, { level: 'Premium', percent: '' }, { level: 'Mainstream', percent: '' }] });
    assert.deepEqual(scenarioFromDraft(draft, 'ds_1'), scenario);
    const issues = checkScenario(requestFromDraft(draft), schema);
    assert.ok(hasErrors(issues));
    assert.match(issues[0].message, /"purchase_intent" is not in the cleaned schema/);
    assert.deepEqual(toGenerationBody(requestFromDraft(draft)).conditions.categorical, { segment: { Value: 0.07 } });
  });
});
