// Simulacra's scenario sampling: exact target shares, values inside the requested ranges, replayable from the seed,
// partial when the seed has too little support, and artifacts that read back.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { cleanSeed } from '../../../sandbox/providers/simulacra/cleanSeed';
import { encodeArtifact } from '../../../sandbox/providers/simulacra/encodeArtifact';
import { generateRows } from '../../../sandbox/providers/simulacra/generateRows';
import { parseCsv } from '../../../sandbox/providers/simulacra/seedTable';

const seed = cleanSeed(parseCsv(readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'simulacra', 'seed.csv'), 'utf8')));
const col = (name: string) => seed.columns.findIndex((c) => c.name === name);
const guide = {
  categorical: { segment: { Premium: 0.55, Mainstream: 0.35, Value: 0.1 }, channel: { Online: 0.7, Retail: 0.2, Club: 0.1 } },
  numeric: { age: { min: 25, max: 44 }, 'purchase.intent': { min: 70, max: 100 } },
};

describe('Simulacra generation', () => {
  it('deals the target shares exactly and keeps numbers inside the requested ranges', () => {
    const { rows, partialReason } = generateRows(seed, guide, 2000, 1);
    assert.equal(rows.length, 2000);
    assert.equal(partialReason, undefined);
    const count = (c: number, level: string) => rows.filter((r) => r[c] === level).length;
    assert.equal(count(col('segment'), 'Premium'), 1100);
    assert.equal(count(col('channel'), 'Online'), 1400);
    for (const r of rows) {
      assert.ok((r[col('age')] as number) >= 25 && (r[col('age')] as number) <= 44);
      assert.ok((r[col('purchase.intent')] as number) >= 70 && Number.isInteger(r[col('purchase.intent')]));
    }
  });

  it('fills unlisted levels with the remaining share in proportion to the seed', () => {
    const { rows } = generateRows(seed, { categorical: { segment: { Premium: 0.5 } }, numeric: {} }, 1000, 2);
    const share = (level: string) => rows.filter((r) => r[col('segment')] === level).length / rows.length;
    assert.equal(share('Premium'), 0.5);
    assert.ok(share('Mainstream') > share('Value'), 'Mainstream is the more common of the rest in the seed');
  });

  it('replays: the same seed gives the same rows, another seed other rows', () => {
    assert.deepEqual(generateRows(seed, guide, 300, 7).rows, generateRows(seed, guide, 300, 7).rows);
    assert.notDeepEqual(generateRows(seed, guide, 300, 7).rows, generateRows(seed, guide, 300, 8).rows);
  });

  it('is partial, never above row_count, when the ranges hold little seed mass or a target level has no support', () => {
    const thin = generateRows(seed, { categorical: {}, numeric: { 'purchase.intent': { min: 95, max: 100 } } }, 1000, 1);
    assert.ok(thin.rows.length < 1000 && thin.rows.length > 0);
    assert.match(thin.partialReason ?? '', /seed rows lie inside/);
    const none = generateRows(seed, { categorical: {}, numeric: { age: { min: 200, max: 300 } } }, 1000, 1);
    assert.equal(none.rows.length, 0);
    const noPremium = generateRows(seed, { categorical: { segment: { Premium: 0.5, Value: 0.5 } }, numeric: { 'purchase.intent': { min: 0, max: 30 } } }, 400, 1);
    assert.equal(noPremium.rows.length, 200);
    assert.ok(noPremium.rows.every((r) => r[col('segment')] === 'Value'));
  });

  it('writes CSV and Parquet artifacts that read back', async () => {
    const { rows } = generateRows(seed, guide, 50, 3);
    const csv = (await encodeArtifact('csv', seed.columns, rows)).toString('utf8').trim().split('\n');
    assert.equal(csv[0], 'age,segment,channel,region,purchase.intent');
    assert.equal(csv.length, 51);
    const parquet = await encodeArtifact('parquet', seed.columns, rows);
    const { parquetReadObjects } = await import('hyparquet');
    const back = (await parquetReadObjects({ file: parquet.buffer.slice(parquet.byteOffset, parquet.byteOffset + parquet.byteLength) as ArrayBuffer })) as Record<string, unknown>[];
    assert.equal(back.length, 50);
    assert.deepEqual(Object.values(back[0]), rows[0]);
  });
});
