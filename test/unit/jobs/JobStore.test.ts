import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JobStore, type ResourceChange } from '../../../src/core/jobs/JobStore';
import type { Resource } from '../../../src/core/jobs/Resource';
import { simulacrumJob as job } from '../../support/jobsFixture';

function recording(store: JobStore): ResourceChange[] {
  const events: ResourceChange[] = [];
  store.onDidChangeResources((change) => events.push(change));
  return events;
}

describe('JobStore.replaceAll', () => {
  it('adds, updates and removes in one event that names exactly what changed', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('a'), job('b'), job('c')]);
    const events = recording(store);
    const change = store.replaceAll('simulacrum', [job('a'), job('b', { status: 'succeeded', rawStatus: 'completed' }), job('d')]);
    assert.equal(events.length, 1);
    assert.deepEqual(change.changed.map((r) => r.id).sort(), ['b', 'd']);
    assert.deepEqual(change.removed, ['c']);
    assert.equal(events[0], change);
    assert.equal(store.get('simulacrum', 'b')?.status, 'succeeded');
    assert.equal(store.get('simulacrum', 'c'), undefined);
  });

  it('fires nothing for a listing that repeats the last one with new objects', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('a', { progress: { fraction: 0.5, text: '30/60 frames' } })]);
    const events = recording(store);
    const change = store.replaceAll('simulacrum', [job('a', { progress: { fraction: 0.5, text: '30/60 frames' }, raw: { job_id: 'a', extra: 1 } })]);
    assert.equal(events.length, 0);
    assert.deepEqual(change, { provider: 'simulacrum', changed: [], removed: [] });
    assert.deepEqual(store.get('simulacrum', 'a')?.raw, { job_id: 'a', extra: 1 }, 'the latest raw record is kept for Show Details');
  });

  it('sees a change in progress, facts, actions or details', () => {
    const variants: Partial<Resource>[] = [
      { progress: { fraction: 0.6, text: '36/60 frames' } },
      { facts: ['annotations', 'node-2'] },
      { actions: ['log', 'details'] },
      { details: [['Job id', 'a'], ['Node', 'node-2']] },
      { finishedAt: '2026-04-05T13:00:00Z' },
    ];
    for (const overrides of variants) {
      const store = new JobStore();
      store.replaceAll('simulacrum', [job('a')]);
      const events = recording(store);
      store.replaceAll('simulacrum', [job('a', overrides)]);
      assert.equal(events.length, 1, JSON.stringify(overrides));
    }
  });

  it('leaves other providers alone', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('a')]);
    store.replaceAll('cybernetic', [job('x', { provider: 'cybernetic' })]);
    store.replaceAll('simulacrum', []);
    assert.equal(store.list('cybernetic').length, 1);
    assert.equal(store.list('simulacrum').length, 0);
  });

  it('refuses a resource of another provider', () => {
    assert.throws(() => new JobStore().replaceAll('simulacrum', [job('x', { provider: 'cybernetic' })]));
  });

  it('handles a listing of 10,000 jobs, then one changed among them, without quadratic work', () => {
    const store = new JobStore();
    const many = Array.from({ length: 10_000 }, (_, i) => job(`job-${i}`, { createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(), parentId: i % 10 === 0 ? undefined : `job-${i - (i % 10)}` }));
    // No timing assert (CI machines vary): the store is linear by design (maps by id and parent, one sort per read
    // after a change), and a quadratic version would make this test take minutes rather than milliseconds.
    store.replaceAll('simulacrum', many);
    const events = recording(store);
    many[5_000] = job('job-5000', { status: 'failed', rawStatus: 'failed', createdAt: many[5_000].createdAt });
    const change = store.replaceAll('simulacrum', many);
    assert.deepEqual(change.changed.map((r) => r.id), ['job-5000']);
    assert.equal(events.length, 1);
    assert.equal(store.list('simulacrum')[0].id, 'job-9999');
    assert.equal(store.roots('simulacrum').length, 1_000);
    assert.equal(store.children('simulacrum', 'job-10').length, 9);
    assert.equal(store.activeCount('simulacrum'), 9_999);
  });
});

describe('JobStore.upsert / remove / clear', () => {
  it('upsert fires for a new or changed resource, not for the same values again', () => {
    const store = new JobStore();
    const events = recording(store);
    store.upsert(job('a'));
    store.upsert(job('a'));
    store.upsert(job('a', { status: 'stopping', rawStatus: 'completing' }));
    assert.deepEqual(events.map((e) => e.changed.map((r) => r.rawStatus)), [['running'], ['completing']]);
  });

  it('remove fires only when the id was there', () => {
    const store = new JobStore();
    store.upsert(job('a'));
    const events = recording(store);
    store.remove('simulacrum', 'nope');
    store.remove('simulacrum', 'a');
    assert.deepEqual(events, [{ provider: 'simulacrum', changed: [], removed: ['a'] }]);
  });

  it('clear removes everything of one provider in one event (sign-out)', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('a'), job('b')]);
    store.upsert(job('x', { provider: 'cybernetic' }));
    const events = recording(store);
    store.clear('simulacrum');
    store.clear('simulacrum');
    assert.equal(events.length, 1);
    assert.deepEqual([...events[0].removed].sort(), ['a', 'b']);
    assert.equal(store.list('simulacrum').length, 0);
    assert.equal(store.list('cybernetic').length, 1);
  });
});

describe('JobStore queries', () => {
  const sweep = job('sweep-1', { kind: 'sweep', createdAt: '2026-04-05T12:00:00Z' });
  const variants = [10, 2, 0, 1].map((n) => job(`sweep-1-v${n}`, { parentId: 'sweep-1', createdAt: '2026-04-05T12:00:00Z' }));
  const older = job('render-old', { createdAt: '2026-04-01T00:00:00Z', status: 'succeeded', rawStatus: 'completed' });
  const newer = job('render-new', { createdAt: '2026-04-06T00:00:00Z', status: 'queued', rawStatus: 'queued' });
  const undated = job('render-undated', { createdAt: undefined });

  it('list is newest first, ties by id, undated last', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [older, sweep, ...variants, undated, newer]);
    assert.deepEqual(
      store.list('simulacrum').map((r) => r.id),
      ['render-new', 'sweep-1', 'sweep-1-v0', 'sweep-1-v1', 'sweep-1-v2', 'sweep-1-v10', 'render-old', 'render-undated'],
    );
  });

  it('roots leave out children whose parent is present; children are oldest first, v0 v1 v2 v10', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [older, sweep, ...variants, newer]);
    assert.deepEqual(store.roots('simulacrum').map((r) => r.id), ['render-new', 'sweep-1', 'render-old']);
    assert.deepEqual(store.children('simulacrum', 'sweep-1').map((r) => r.id), ['sweep-1-v0', 'sweep-1-v1', 'sweep-1-v2', 'sweep-1-v10']);
  });

  it('a child whose parent is missing is a root, so it never disappears', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', variants);
    assert.equal(store.roots('simulacrum').length, 4);
  });

  it('children follow a re-parented or removed child', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [sweep, ...variants]);
    store.upsert(job('sweep-1-v0', { parentId: undefined }));
    store.remove('simulacrum', 'sweep-1-v1');
    assert.deepEqual(store.children('simulacrum', 'sweep-1').map((r) => r.id), ['sweep-1-v2', 'sweep-1-v10']);
  });

  it('activeCount counts queued, running, stopping and unknown', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [
      job('q', { status: 'queued' }),
      job('r', { status: 'running' }),
      job('s', { status: 'stopping' }),
      job('u', { status: 'unknown' }),
      job('ok', { status: 'succeeded' }),
      job('f', { status: 'failed' }),
      job('c', { status: 'cancelled' }),
    ]);
    assert.equal(store.activeCount('simulacrum'), 4);
    assert.equal(store.activeCount('simulix'), 0);
  });

  it('list returns a copy the caller may change', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [older, newer]);
    store.list('simulacrum').pop();
    assert.equal(store.list('simulacrum').length, 2);
  });
});

describe('JobStore order and children after updates', () => {
  it('lists the latest records in newest-first order when a poll changes statuses but no creation times', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('old', { createdAt: '2026-04-05T10:00:00Z' }), job('new', { createdAt: '2026-04-05T11:00:00Z' })]);
    assert.deepEqual(store.list('simulacrum').map((r) => r.id), ['new', 'old']);
    store.replaceAll('simulacrum', [job('old', { createdAt: '2026-04-05T10:00:00Z', status: 'succeeded' }), job('new', { createdAt: '2026-04-05T11:00:00Z', status: 'failed' })]);
    assert.deepEqual(store.list('simulacrum').map((r) => `${r.id}:${r.status}`), ['new:failed', 'old:succeeded']);
    assert.deepEqual(store.roots('simulacrum').map((r) => `${r.id}:${r.status}`), ['new:failed', 'old:succeeded']);
  });

  it('re-sorts when a creation time changes, a resource arrives or one leaves', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('a', { createdAt: '2026-04-05T10:00:00Z' }), job('b', { createdAt: '2026-04-05T11:00:00Z' })]);
    assert.deepEqual(store.list('simulacrum').map((r) => r.id), ['b', 'a']);
    store.upsert(job('a', { createdAt: '2026-04-05T12:00:00Z' }));
    assert.deepEqual(store.list('simulacrum').map((r) => r.id), ['a', 'b']);
    store.replaceAll('simulacrum', [job('a', { createdAt: '2026-04-05T12:00:00Z' }), job('b', { createdAt: '2026-04-05T11:00:00Z' }), job('c', { createdAt: '2026-04-05T13:00:00Z' })]);
    assert.deepEqual(store.list('simulacrum').map((r) => r.id), ['c', 'a', 'b']);
    const change = store.replaceAll('simulacrum', [job('b', { createdAt: '2026-04-05T11:00:00Z' })]);
    assert.deepEqual([...change.removed].sort(), ['a', 'c']);
    assert.deepEqual(store.list('simulacrum').map((r) => r.id), ['b']);
  });

  it('tells whether a resource has children without listing them, as parents come and go', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('sweep', { kind: 'sweep' }), job('sweep-v0', { parentId: 'sweep' }), job('solo')]);
    assert.equal(store.hasChildren('simulacrum', 'sweep'), true);
    assert.equal(store.hasChildren('simulacrum', 'solo'), false);
    assert.equal(store.hasChildren('simulacra', 'sweep'), false);
    store.replaceAll('simulacrum', [job('sweep', { kind: 'sweep' }), job('solo')]);
    assert.equal(store.hasChildren('simulacrum', 'sweep'), false);
  });
});

describe('JobStore.replaceAll with a listing that names an id twice', () => {
  it('stores the last version, reports it once, and still removes what the listing left out', () => {
    const store = new JobStore();
    store.replaceAll('simulacrum', [job('a'), job('b')]);
    const events = recording(store);
    const change = store.replaceAll('simulacrum', [job('a', { status: 'failed' }), job('a', { status: 'succeeded' })]);
    assert.deepEqual(change.removed, ['b']);
    assert.deepEqual(change.changed.map((r) => [r.id, r.status]), [['a', 'succeeded']]);
    assert.deepEqual(store.list('simulacrum').map((r) => r.id), ['a']);
    assert.equal(store.get('simulacrum', 'a')?.status, 'succeeded');
    assert.equal(events.length, 1);
  });
});
