// Local files: the seed's cleaning report (renames by the guide's rule, dropped columns and levels) and the
// artifact comparison (a downloaded file read with readTable, achieved shares and ranges from compareArtifact), from
// CSV and Parquet.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { buildCleaningReport, readSeedColumns, summarizeTable } from '../../../src/providers/simulacra/cleaningReport';
import { toDatasetSchema } from '../../../src/providers/simulacra/SimulacraApi';
import { readCsv, readTable } from '../../../src/providers/simulacra/tableReader';
import { compareArtifact } from '../../../src/shared/compareArtifact';
import type { ScenarioConditions } from '../../../src/shared/scenario';

const dir = mkdtempSync(path.join(tmpdir(), 'simulacra-tables-'));
function file(name: string, text: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('tableReader', () => {
  it('reads quoted CSV fields, CRLF, a BOM, and stops after maxRows', async () => {
    const p = file('q.csv', '\uFEFFname,"note"\r\n"Smith, J","said ""hi""\nthen left"\r\nDoe,plain\r\nX,y\r\n');
    const all = await readCsv(p);
    assert.deepEqual(all.headers, ['name', 'note']);
    assert.deepEqual(all.rows, [['Smith, J', 'said "hi"\nthen left'], ['Doe', 'plain'], ['X', 'y']]);
    assert.equal(all.truncated, false);
    const two = await readCsv(p, { maxRows: 2 });
    assert.deepEqual([two.rows.length, two.truncated], [2, true]);
    const exact = await readCsv(p, { maxRows: 3 });
    assert.deepEqual([exact.rows.length, exact.truncated], [3, false]);
  });

  it('reads the Parquet fixture the same as the CSV one', async () => {
    const csv = await readTable('test/fixtures/simulacra/seed.csv', { maxRows: 20 });
    const parquet = await readTable('test/fixtures/simulacra/seed.parquet', { maxRows: 20 });
    assert.deepEqual(parquet.headers, csv.headers);
    assert.equal(parquet.rows.length, 20);
    assert.deepEqual(parquet.rows.map((r) => r.map(String)), csv.rows.map((r) => r.map(String)));
    await assert.rejects(readTable(file('x.xlsx', '')), /CSV and Parquet/);
  });
});

describe('cleaning report', () => {
  it('lists renames by the normalisation rule, dropped columns and dropped levels', () => {
    const original = summarizeTable({
      headers: ['age', 'segment', 'purchase_intent', 'respondent_id', 'Channel Name'],
      rows: [
        ['30', 'Premium', '70', '1', 'Online'],
        ['40', 'Value', '60', '2', 'Retail'],
        ['50', 'Premium', '80', '3', 'Kiosk'],
        ['', 'Ultra', '90', '4', 'Online'],
      ],
      truncated: false,
    });
    assert.deepEqual(original.map((c) => c.kind), ['numeric', 'categorical', 'numeric', 'numeric', 'categorical']);
    const schema = toDatasetSchema({
      schema: [
        { name: 'age', type: 'numeric', min: 30, max: 50 },
        { name: 'segment', type: 'categorical', levels: ['Premium', 'Value'] },
        { name: 'purchase.intent', type: 'numeric', min: 60, max: 90 },
        { name: 'Channel.Name', type: 'categorical', levels: ['Online', 'Retail'] },
      ],
    });
    const report = buildCleaningReport(original, schema);
    assert.deepEqual(report.renamed, [
      { original: 'purchase_intent', cleaned: 'purchase.intent' },
      { original: 'Channel Name', cleaned: 'Channel.Name' },
    ]);
    assert.deepEqual(report.unchanged, ['age', 'segment']);
    assert.deepEqual(report.droppedColumns, ['respondent_id']);
    assert.deepEqual(report.droppedLevels, [
      { column: 'segment', originalColumn: 'segment', level: 'Ultra', count: 1 },
      { column: 'Channel.Name', originalColumn: 'Channel Name', level: 'Kiosk', count: 1 },
    ]);
    assert.deepEqual(report.unmatchedCleaned, []);
  });

  it('prefers the API original_name when it sends one', () => {
    const original = summarizeTable({ headers: ['q1'], rows: [['a']], truncated: false });
    const report = buildCleaningReport(original, toDatasetSchema({ schema: [{ name: 'brand', type: 'categorical', levels: ['a'], original_name: 'q1' }] }));
    assert.deepEqual(report.renamed, [{ original: 'q1', cleaned: 'brand' }]);
  });

  it('reads the seed fixture columns from disk', async () => {
    const columns = await readSeedColumns('test/fixtures/simulacra/seed.csv');
    assert.deepEqual(columns.map((c) => [c.name, c.kind]), [['age', 'numeric'], ['segment', 'categorical'], ['channel', 'categorical'], ['region', 'categorical'], ['purchase_intent', 'numeric']]);
    assert.deepEqual(Object.keys(columns[1].levelCounts).sort(), ['Mainstream', 'Premium', 'Value']);
  });
});

describe('artifact comparison', () => {
  const conditions: ScenarioConditions = { categorical: [{ column: 'segment', level: 'Premium', targetShare: 0.5 }, { column: 'segment', level: 'Value', targetShare: 0.25 }], numeric: [{ column: 'age', min: 25, max: 44 }, { column: 'gone', min: 0, max: 1 }] };

  it('compares the first N rows of a CSV artifact with the targets; a column missing from the file has no achieved range', async () => {
    const p = file('art.csv', 'segment,age\nPremium,30\nValue,40\nPremium,35\n');
    const table = await readTable(p, { maxRows: 2 });
    assert.deepEqual([table.rows.length, table.truncated], [2, true]);
    const rows = table.rows.map((row) => row.map((cell) => (typeof cell === 'boolean' ? String(cell) : cell)));
    assert.deepEqual(compareArtifact(table.headers, rows, conditions), [
      { column: 'segment', kind: 'share', level: 'Premium', target: 0.5, achieved: 0.5 },
      { column: 'segment', kind: 'share', level: 'Value', target: 0.25, achieved: 0.5 },
      { column: 'age', kind: 'range', min: 25, max: 44, achievedMin: 30, achievedMax: 40, outside: 0 },
      { column: 'gone', kind: 'range', min: 0, max: 1, outside: 0 },
    ]);
  });
});
