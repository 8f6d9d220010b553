import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ArtifactHostMessage, ArtifactPageMessage, isMiss } from '../../../src/shared/artifactPreviewProtocol';
import { compareArtifact } from '../../../src/shared/compareArtifact';
import { parseScenarioFile, Scenario } from '../../../src/shared/scenario';
import { SchemaHostMessage, SchemaPageMessage, SchemaPageState } from '../../../src/shared/simulacraPanelProtocol';

const hostile = '<img src=x onerror=alert(1)></script>';

const show = {
  type: 'show',
  datasetKey: 'acct/ds_1',
  data: {
    dataset: { id: 'ds_1', displayName: hostile, retentionEndsAt: '2026-12-31T00:00:00Z' },
    schema: { columns: [{ name: hostile, type: 'categorical', levels: [hostile] }, { name: 'age', type: 'numeric', min: 18, max: 80 }, { name: 'when', type: 'datetime' }] },
    cleaning: { renamed: [{ from: 'purchase_intent', to: 'purchase.intent' }], droppedColumns: ['id'], droppedLevels: [{ column: 'segment', levels: ['Rare'] }] },
  },
};

const request = { rowCount: 10, format: 'csv', conditions: { categorical: [{ column: 'segment', level: 'Premium', targetShare: 0.5 }], numeric: [{ column: 'age', min: 20, max: 30 }] } };

describe('Simulacra schema panel protocol', () => {
  it('accepts what the host sends, hostile strings included (they are data; the page renders them as text)', () => {
    assert.equal(SchemaHostMessage.safeParse(show).success, true);
    assert.equal(SchemaHostMessage.safeParse({ type: 'generationUpdate', update: { status: 'partial', rowsGenerated: 3, rowCount: 10, partial: true } }).success, true);
    assert.equal(SchemaHostMessage.safeParse({ type: 'error', error: { message: hostile, code: 'simio_unknown_condition_column', requestId: 'r1' } }).success, true);
  });

  it('accepts what the page sends, ignoring extra fields', () => {
    assert.equal(SchemaPageMessage.safeParse({ type: 'ready' }).success, true);
    const generate = SchemaPageMessage.parse({ type: 'generate', requestId: 'r1', request, extra: 'ignored' });
    assert.equal('extra' in generate, false);
    assert.equal(SchemaPageMessage.safeParse({ type: 'saveScenario', requestId: 'r2', scenario: { version: 1, ...request } }).success, true);
    assert.equal(SchemaPageMessage.safeParse({ type: 'openErrorDocs', code: 'simio_unknown_condition_column' }).success, true);
  });

  it('refuses unknown types, shares outside 0–1, a one-sided range, an unknown format and an error code that could steer a URL', () => {
    const rejects = [
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'generate', requestId: 'r', request: { ...request, conditions: { categorical: [{ column: 'a', level: 'b', targetShare: 55 }], numeric: [] } } },
      { type: 'generate', requestId: 'r', request: { ...request, conditions: { categorical: [], numeric: [{ column: 'age', min: 1 }] } } },
      { type: 'generate', requestId: 'r', request: { ...request, format: 'xlsx' } },
      { type: 'generate', requestId: 'r', request: { ...request, rowCount: 1.5 } },
      { type: 'openErrorDocs', code: '../../evil?x=' },
      { type: 'openErrorDocs', code: 'https://attacker.example/' },
      'ready',
      null,
    ];
    for (const message of rejects) assert.equal(SchemaPageMessage.safeParse(message).success, false, JSON.stringify(message));
    assert.equal(SchemaHostMessage.safeParse({ type: 'show', datasetKey: 'k', data: { dataset: { id: 'x' }, schema: { columns: [] } } }).success, false);
  });

  it('keeps page state to a dataset key and a draft scenario', () => {
    const draft = { columns: [{ kind: 'categorical', column: 'segment', shares: [{ level: 'Premium', percent: '55' }] }, { kind: 'numeric', column: 'age', min: '20', max: '' }], rowCount: '100', format: 'csv', seed: '' };
    assert.equal(SchemaPageState.safeParse({ datasetKey: 'acct/ds_1', draft }).success, true);
    assert.equal(SchemaPageState.safeParse({ draft: {} }).success, false);
    assert.equal(Scenario.safeParse({ version: 2, ...request }).success, false);
  });
});

describe('artifact preview protocol', () => {
  it('accepts rows of strings, numbers and nulls with both comparison kinds, and refuses anything else', () => {
    const data = {
      columns: ['segment', 'age'],
      rows: [['Premium', 31], [hostile, null]],
      totalRows: 2,
      comparisons: [
        { column: 'segment', kind: 'share', level: 'Premium', target: 0.55, achieved: 0.5 },
        { column: 'age', kind: 'range', min: 25, max: 44, achievedMin: 25, achievedMax: 44, outside: 0 },
      ],
    };
    assert.equal(ArtifactHostMessage.safeParse({ type: 'show', artifactKey: 'a', data }).success, true);
    assert.equal(ArtifactHostMessage.safeParse({ type: 'show', artifactKey: 'a', data: { ...data, rows: [[{ html: hostile }]] } }).success, false);
    assert.equal(ArtifactHostMessage.safeParse({ type: 'show', artifactKey: 'a', data: { ...data, comparisons: [{ column: 'a', kind: 'mean' }] } }).success, false);
    assert.equal(ArtifactPageMessage.safeParse({ type: 'ready' }).success, true);
    assert.equal(ArtifactPageMessage.safeParse({ type: 'generate' }).success, false);
  });

  it('computes achieved shares and ranges from the rows and flags the misses', () => {
    const comparisons = compareArtifact(
      ['segment', 'age'],
      [
        ['Premium', 30],
        ['Premium', '50'],
        ['Value', null],
        ['Premium', 40],
      ],
      { categorical: [{ column: 'segment', level: 'Premium', targetShare: 0.75 }, { column: 'segment', level: 'Value', targetShare: 0.5 }], numeric: [{ column: 'age', min: 25, max: 44 }] },
    );
    assert.deepEqual(comparisons, [
      { column: 'segment', kind: 'share', level: 'Premium', target: 0.75, achieved: 0.75 },
      { column: 'segment', kind: 'share', level: 'Value', target: 0.5, achieved: 0.25 },
      { column: 'age', kind: 'range', min: 25, max: 44, achievedMin: 30, achievedMax: 50, outside: 1 },
    ]);
    assert.deepEqual(comparisons.map(isMiss), [false, true, true]);
  });
});

describe('scenario file JSON schema', () => {
  it('media/webview/simulacra-scenario.schema.json (for jsonValidation) is generated from the Scenario zod schema', () => {
    const file = JSON.parse(readFileSync(path.resolve(__dirname, '../../../media/webview/simulacra-scenario.schema.json'), 'utf8'));
    assert.deepEqual(file, z.toJSONSchema(Scenario, { io: 'input' }), 'regenerate: npx tsx -e "…z.toJSONSchema(Scenario, { io: \'input\' })…" > media/webview/simulacra-scenario.schema.json');
  });
});

describe('scenario files', () => {
  it('reads a saved scenario and says what is wrong with anything else', () => {
    const scenario = { version: 1, datasetId: 'ds_1', ...request };
    assert.deepEqual(parseScenarioFile(JSON.stringify(scenario)), scenario);
    assert.throws(() => parseScenarioFile('{'), /not valid JSON/);
    assert.throws(() => parseScenarioFile(JSON.stringify({ ...scenario, rowCount: -1 })), /not a Sim Cloud scenario \(version 1\): rowCount/);
  });
});
