import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SweepHostMessage, SweepPageMessage, pickBest, sortRows, splitMetricKey, type VariantRow } from '../../../src/shared/sweepComparisonProtocol';

function row(index: number, metrics: Record<string, number>, extra: Partial<VariantRow> = {}): VariantRow {
  return {
    id: `sweep-1-v${index}`,
    label: `v${index}`,
    index,
    status: 'succeeded',
    statusText: 'completed',
    parameters: { lr: [0.1, 0.01, 0.001][index % 3] as number, optimizer: index < 3 ? 'adam' : 'sgd' },
    durationMs: 600_000,
    costCredits: null,
    metrics,
    metricsState: 'loaded',
    downloadable: true,
    ...extra,
  };
}

describe('best variant', () => {
  const rows = [row(0, { 'loss:last': 0.5, 'reward:best': 80 }), row(1, { 'loss:last': 0.2, 'reward:best': 95 }), row(2, { 'loss:last': 0.9, 'reward:best': 99 })];

  it('is the lowest for min and the highest for max', () => {
    assert.equal(pickBest(rows, 'loss:last', 'min')?.id, 'sweep-1-v1');
    assert.equal(pickBest(rows, 'loss:last', 'max')?.id, 'sweep-1-v2');
    assert.equal(pickBest(rows, 'reward:best', 'max')?.id, 'sweep-1-v2');
  });

  it('skips variants without the value or without downloadable results, and gives a tie to the earlier variant', () => {
    const mixed = [
      row(3, {}, { metricsState: 'waiting', downloadable: false, status: 'running' }),
      row(4, { 'loss:last': 0.1 }, { downloadable: false }),
      row(6, { 'loss:last': 0.3 }),
      row(5, { 'loss:last': 0.3 }),
    ];
    assert.equal(pickBest(mixed, 'loss:last', 'min')?.id, 'sweep-1-v5');
    assert.equal(pickBest(mixed, 'nothing:last', 'min'), undefined);
    assert.equal(pickBest([], 'loss:last', 'min'), undefined);
  });
});

describe('sorting', () => {
  const rows = [row(0, { 'loss:last': 0.5 }), row(1, {}, { metricsState: 'waiting' }), row(2, { 'loss:last': 0.2 }), row(3, { 'loss:last': 0.9 })];
  const ids = (sorted: VariantRow[]) => sorted.map((r) => r.label).join(' ');

  it('orders numbers by value, text naturally, and keeps missing values last in both directions', () => {
    assert.equal(ids(sortRows(rows, 'loss:last', false)), 'v2 v0 v3 v1');
    assert.equal(ids(sortRows(rows, 'loss:last', true)), 'v3 v0 v2 v1');
    assert.equal(ids(sortRows(rows, 'param:lr', false)), 'v2 v1 v0 v3');
    assert.equal(ids(sortRows(rows, 'param:optimizer', true)), 'v3 v0 v1 v2');
    assert.equal(ids(sortRows(rows, 'variant', true)), 'v3 v2 v1 v0');
    assert.equal(ids(sortRows(rows, 'cost', false)), 'v0 v1 v2 v3');
  });

  it('splits metric keys whose names hold a colon', () => {
    assert.deepEqual(splitMetricKey('eval:loss:best'), { metric: 'eval:loss', stat: 'best' });
    assert.equal(splitMetricKey('loss'), undefined);
  });
});

describe('messages', () => {
  it('drops page messages of unknown type, with bad fields, or a direction other than min/max', () => {
    assert.ok(SweepPageMessage.safeParse({ type: 'downloadBest', requestId: 'r1', metric: 'loss:last', direction: 'min' }).success);
    assert.ok(!SweepPageMessage.safeParse({ type: 'downloadBest', requestId: 'r1', metric: 'loss:last', direction: 'sideways' }).success);
    assert.ok(!SweepPageMessage.safeParse({ type: 'downloadVariant', id: 'sweep-1-v0' }).success);
    assert.ok(!SweepPageMessage.safeParse({ type: 'downloadBest', requestId: 'r1', metric: 'loss:last', direction: 'min', id: 'sweep-1-v5' }).success);
    assert.ok(!SweepPageMessage.safeParse({ type: 'downloadBest', requestId: 'r1', metric: 'x'.repeat(5000), direction: 'min' }).success);
  });

  it('refuses a host view whose metric value is not a finite number', () => {
    const view = { sweepId: 's', statusText: 'running', total: 1, parameters: ['lr'], metrics: [{ name: 'loss', direction: 'min' }], rows: [row(0, { 'loss:last': Number.NaN })] };
    assert.ok(!SweepHostMessage.safeParse({ type: 'show', view }).success);
    assert.ok(SweepHostMessage.safeParse({ type: 'show', view: { ...view, rows: [row(0, { 'loss:last': 1 })] } }).success);
  });
});
