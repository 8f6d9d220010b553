// Simulacra's seed reading and cleaning: the guide's renaming (`purchase_intent` → `purchase.intent`), dropped
// near-zero-variance / mostly-missing / identifier columns, rare levels, and RFC 4180 CSV.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanSeed, normaliseNames } from '../../../sandbox/providers/simulacra/cleanSeed';
import { parseCsv, readSeed, SeedParseError, seedFormatOf } from '../../../sandbox/providers/simulacra/seedTable';
import { SIMULACRA_POLICY } from '../../../sandbox/providers/simulacra/simulacraPolicy';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'simulacra');

describe('Simulacra seed cleaning', () => {
  it('normalises names into identifier-safe form as the guide describes', () => {
    assert.deepEqual(normaliseNames(['purchase_intent', 'age', 'Purchase Intent (%)', '  spaced  out ', '2nd_wave', '', 'age', '__x__']), [
      'purchase.intent',
      'age',
      'Purchase.Intent',
      'spaced.out',
      'X2nd.wave',
      'V6',
      'age.1',
      'x',
    ]);
  });

  it('reads RFC 4180 CSV: quotes, doubled quotes, embedded commas and newlines, CRLF, a BOM, NA as missing', () => {
    const table = parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"line\nbreak",NA\r\n');
    assert.deepEqual(table.headers, ['a', 'b']);
    assert.deepEqual(table.rows, [
      ['x, y', 'say "hi"'],
      ['line\nbreak', null],
    ]);
    assert.throws(() => parseCsv('a,b\n1\n'), SeedParseError);
    assert.throws(() => parseCsv('a\n"open'), SeedParseError);
    assert.throws(() => parseCsv(''), SeedParseError);
  });

  it('recognises CSV and Parquet by name, then by content type, and nothing else', () => {
    assert.equal(seedFormatOf('Seed.CSV', ''), 'csv');
    assert.equal(seedFormatOf('seed.parquet', 'application/octet-stream'), 'parquet');
    assert.equal(seedFormatOf('blob', 'text/csv'), 'csv');
    assert.equal(seedFormatOf('survey.sav', 'application/x-spss-sav'), undefined);
    assert.equal(seedFormatOf('survey.xlsx', 'text/csv'), undefined);
  });

  it('reads the CSV and Parquet fixtures to the same table and keeps the guide seed whole', async () => {
    const csv = await readSeed('csv', readFileSync(path.join(FIXTURES, 'seed.csv')));
    const parquet = await readSeed('parquet', readFileSync(path.join(FIXTURES, 'seed.parquet')));
    assert.deepEqual(parquet.headers, csv.headers);
    assert.equal(csv.rows.length, 800);
    assert.deepEqual(
      parquet.rows.map((row) => row.map(String)),
      csv.rows.map((row) => row.map(String)),
    );
    const cleaned = cleanSeed(csv);
    assert.deepEqual(
      cleaned.columns.map((c) => `${c.name}:${c.kind}`),
      ['age:numeric', 'segment:categorical', 'channel:categorical', 'region:categorical', 'purchase.intent:numeric'],
    );
    assert.equal(cleaned.rows.length, 800);
    assert.deepEqual(cleaned.droppedColumns, []);
  });

  it('drops near-zero-variance, mostly-missing and identifier columns and rare levels at the documented thresholds', () => {
    const n = 400;
    const rows = Array.from({ length: n }, (_, i) => [
      `id${i}`,
      i < n * SIMULACRA_POLICY.nearZeroVarianceShare ? 'same' : 'other', // exactly 95% one value: dropped
      i < 20 ? 'rare' : i % 2 ? 'odd' : 'even', // 20 of 400 = 5%: kept
      i < 3 ? 'tiny' : i % 2 ? 'p' : 'q', // 3 of 400 < 1%: level dropped
      i <= n / 2 ? null : String(i), // just over half missing: dropped
      String(i % 10),
    ]);
    const cleaned = cleanSeed({ headers: ['id', 'nzv', 'kept', 'rare', 'sparse', 'num'], rows });
    assert.deepEqual(
      cleaned.droppedColumns.map((d) => `${d.name}:${d.reason}`),
      ['id:identifier', 'nzv:near_zero_variance', 'sparse:mostly_missing'],
    );
    assert.deepEqual(cleaned.droppedLevels, [{ column: 'rare', level: 'tiny', count: 3 }]);
    const kept = cleaned.columns.find((c) => c.name === 'kept');
    assert.ok(kept?.kind === 'categorical' && kept.levels.includes('rare'));
    assert.equal(cleaned.rows.length, n - 3, 'rows carrying a dropped level are not learned from');
    const num = cleaned.columns.find((c) => c.name === 'num');
    assert.deepEqual(num?.kind === 'numeric' && [num.min, num.max, num.integer], [0, 9, true]);
  });
});
