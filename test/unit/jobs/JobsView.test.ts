// The Jobs view's filter and sort, as rules over what the store holds: every listing is exactly the resources that
// match, in the chosen order; a sweep stays while one of its variants matches; Active lists every running job.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { JobStore } from '../../../src/core/jobs/JobStore';
import { JobsView } from '../../../src/core/jobs/JobsView';
import { JOB_FILTERS, JOB_SORTS, parseQuery, type JobsViewQuery } from '../../../src/core/jobs/JobsViewQuery';
import type { Resource, ResourceStatus } from '../../../src/core/jobs/Resource';
import { simulacrumJob } from '../../support/jobsFixture';

const NOW = Date.parse('2026-04-05T13:00:00Z');
const STATUSES: ResourceStatus[] = ['queued', 'running', 'stopping', 'succeeded', 'failed', 'cancelled', 'unknown'];
const NAMES = ['render', 'Render-b', 'train', 'lidar', 'alpha 2', 'alpha 10'];

function setup(resources: Resource[], mine: ReadonlySet<string> = new Set()) {
  const store = new JobStore();
  store.replaceAll('simulacrum', resources);
  const view = new JobsView(store, () => ['simulacrum'], (r) => mine.has(r.id), () => NOW);
  return { store, view };
}

const ids = (resources: readonly Resource[]) => resources.map((r) => r.id);

describe('JobsView filters', () => {
  const jobs = [
    simulacrumJob('render-1', { status: 'failed', createdAt: '2026-04-05T12:03:00Z' }),
    simulacrumJob('render-2', { status: 'succeeded', createdAt: '2026-04-05T12:02:00Z' }),
    simulacrumJob('train-1', { status: 'queued', createdAt: '2026-04-05T12:01:00Z', facts: ['run_as_is', 'node-3'] }),
    simulacrumJob('sweep-a', { kind: 'sweep', status: 'running', createdAt: '2026-04-05T12:00:00Z', facts: ['sweep'] }),
    simulacrumJob('sweep-a-v0', { parentId: 'sweep-a', displayName: 'lr=0.1', status: 'succeeded', createdAt: '2026-04-05T12:00:00Z' }),
    simulacrumJob('sweep-a-v1', { parentId: 'sweep-a', displayName: 'lr=0.2', status: 'failed', createdAt: '2026-04-05T12:00:00Z' }),
  ];

  it('shows everything, newest first, without a filter', () => {
    const { view } = setup(jobs);
    assert.deepEqual(ids(view.roots('simulacrum')), ['render-1', 'render-2', 'train-1', 'sweep-a']);
    assert.deepEqual(view.counts(), { matching: 5, total: 5 }, 'the sweep is a group, not a job');
  });

  it('"failed" keeps a sweep for its failed variant and shows only that variant', () => {
    const { view } = setup(jobs);
    view.setQuery({ filters: ['failed'], text: '', sort: 'newest' });
    assert.deepEqual(ids(view.roots('simulacrum')), ['render-1', 'sweep-a']);
    assert.deepEqual(ids(view.children('simulacrum', 'sweep-a')), ['sweep-a-v1']);
    assert.deepEqual(view.counts(), { matching: 2, total: 5 });
  });

  it('text matches names, ids and facts case-insensitively, every word; variants inherit their sweep\'s name', () => {
    const { view } = setup(jobs);
    view.setQuery({ filters: [], text: 'NODE-3', sort: 'newest' });
    assert.deepEqual(ids(view.roots('simulacrum')), ['train-1']);
    view.setQuery({ filters: [], text: 'render 2', sort: 'newest' });
    assert.deepEqual(ids(view.roots('simulacrum')), ['render-2']);
    view.setQuery({ filters: ['failed'], text: 'sweep-a', sort: 'newest' });
    assert.deepEqual(ids(view.children('simulacrum', 'sweep-a')), ['sweep-a-v1']);
  });

  it('"mine" reads the origins, and a sweep submitted here makes its variants mine', () => {
    const { view } = setup(jobs, new Set(['render-2', 'sweep-a']));
    view.setQuery({ filters: ['mine'], text: '', sort: 'newest' });
    assert.deepEqual(ids(view.roots('simulacrum')), ['render-2', 'sweep-a']);
    assert.deepEqual(ids(view.children('simulacrum', 'sweep-a')), ['sweep-a-v0', 'sweep-a-v1']);
  });

  it('Active lists running, then queued jobs, never a sweep itself, under the filter', () => {
    const { view } = setup([...jobs, simulacrumJob('sweep-a-v2', { parentId: 'sweep-a', status: 'running', createdAt: '2026-04-05T12:00:00Z' })]);
    assert.deepEqual(ids(view.active()), ['sweep-a-v2', 'train-1'], 'running before queued, though older');
    view.setQuery({ filters: [], text: 'train', sort: 'newest' });
    assert.deepEqual(ids(view.active()), ['train-1']);
  });

  it('a store change shows on the next read', () => {
    const { store, view } = setup(jobs);
    view.setQuery({ filters: ['failed'], text: '', sort: 'newest' });
    assert.equal(view.counts().matching, 2);
    store.upsert(simulacrumJob('render-2', { status: 'failed', createdAt: '2026-04-05T12:02:00Z' }));
    view.invalidate('simulacrum');
    assert.deepEqual(ids(view.roots('simulacrum')), ['render-1', 'render-2', 'sweep-a']);
  });

  it('reads a stored query defensively', () => {
    assert.deepEqual(parseQuery({ filters: ['failed', 'bogus'], text: 7, sort: 'sideways' }), { filters: ['failed'], text: '', sort: 'newest' });
    assert.deepEqual(parseQuery(undefined), { filters: [], text: '', sort: 'newest' });
  });
});

describe('JobsView sorts', () => {
  it('orders by name (numeric, case-insensitive), oldest, status and duration', () => {
    const { view } = setup([
      simulacrumJob('a', { displayName: 'alpha 10', status: 'succeeded', createdAt: '2026-04-05T12:00:00Z', startedAt: '2026-04-05T12:00:00Z', finishedAt: '2026-04-05T12:30:00Z' }),
      simulacrumJob('b', { displayName: 'Alpha 2', status: 'failed', createdAt: '2026-04-05T12:01:00Z', startedAt: '2026-04-05T12:01:00Z', finishedAt: '2026-04-05T12:02:00Z' }),
      simulacrumJob('c', { displayName: 'beta', status: 'running', createdAt: '2026-04-05T12:02:00Z', startedAt: '2026-04-05T12:10:00Z' }),
      simulacrumJob('d', { displayName: 'alpha 2', status: 'queued', createdAt: '2026-04-05T12:03:00Z' }),
    ]);
    const order = (sort: JobsViewQuery['sort']) => {
      view.setQuery({ filters: [], text: '', sort });
      return ids(view.roots('simulacrum')).join('');
    };
    assert.equal(order('newest'), 'dcba');
    assert.equal(order('oldest'), 'abcd');
    assert.equal(order('name'), 'dbac'); // equal names newest first
    assert.equal(order('status'), 'cdba');
    assert.equal(order('duration'), 'cabd'); // c has run 50 minutes by NOW; d never started
  });
});

/** Arbitrary jobs and sweeps with variants, names and statuses from small sets so filters hit and miss. */
const storeContents = fc
  .array(
    fc.record({
      name: fc.constantFrom(...NAMES),
      status: fc.constantFrom(...STATUSES),
      minute: fc.integer({ min: 0, max: 59 }),
      variants: fc.array(fc.record({ name: fc.constantFrom(...NAMES), status: fc.constantFrom(...STATUSES) }), { maxLength: 3 }),
    }),
    { maxLength: 25 },
  )
  .map((entries) =>
    entries.flatMap((entry, i) => {
      const createdAt = `2026-04-05T12:${String(entry.minute).padStart(2, '0')}:00Z`;
      const root = simulacrumJob(`job-${i}`, { displayName: entry.name, status: entry.status, createdAt, startedAt: createdAt });
      return [root, ...entry.variants.map((variant, v) => simulacrumJob(`job-${i}-v${v}`, { parentId: root.id, displayName: variant.name, status: variant.status, createdAt }))];
    }),
  );
const queries = fc.record({
  filters: fc.subarray([...JOB_FILTERS]),
  text: fc.constantFrom('', 'alpha', 'RENDER', 'job-1', 'a 1', 'zzz'),
  sort: fc.constantFrom(...JOB_SORTS),
});

describe('JobsView properties', () => {
  it('a listing is exactly the roots that match or have a matching variant, in the sort order, and only matching variants under them', () => {
    fc.assert(
      fc.property(storeContents, queries, fc.func(fc.boolean()), (resources, query, mineOf) => {
        const mine = new Set(resources.filter((r) => mineOf(r.id)).map((r) => r.id));
        const { store, view } = setup(resources, mine);
        const unfiltered = new JobsView(store, () => ['simulacrum'], (r) => mine.has(r.id), () => NOW);
        unfiltered.setQuery({ filters: [], text: '', sort: query.sort });
        view.setQuery(query);

        const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
        const status = (r: Resource) =>
          (!query.filters.includes('running') && !query.filters.includes('failed')) ||
          (query.filters.includes('running') && ['queued', 'running', 'stopping'].includes(r.status)) ||
          (query.filters.includes('failed') && r.status === 'failed');
        const text = (r: Resource) => words.every((w) => `${r.displayName} ${r.id} ${r.facts.join(' ')}`.toLowerCase().includes(w));
        const isMine = (r: Resource) => !query.filters.includes('mine') || mine.has(r.id);
        const variantShown = (v: Resource, parent: Resource) => status(v) && (isMine(v) || isMine(parent)) && (text(v) || text(parent));

        const expectedRoots = unfiltered.roots('simulacrum').filter((root) => {
          const variants = store.children('simulacrum', root.id);
          return (status(root) && isMine(root) && text(root)) || variants.some((v) => variantShown(v, root));
        });
        assert.deepEqual(ids(view.roots('simulacrum')), ids(expectedRoots));
        for (const root of expectedRoots) {
          const expectedVariants = store.children('simulacrum', root.id).filter((v) => variantShown(v, root));
          assert.deepEqual(ids(view.children('simulacrum', root.id)), ids(expectedVariants));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('every sort is a total order consistent with its key (adjacent pairs never out of order)', () => {
    fc.assert(
      fc.property(storeContents, fc.constantFrom(...JOB_SORTS), (resources, sort) => {
        const { view } = setup(resources);
        view.setQuery({ filters: [], text: '', sort });
        const roots = view.roots('simulacrum');
        const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
        const rank = ['running', 'stopping', 'queued', 'failed', 'unknown', 'cancelled', 'succeeded'];
        for (let i = 1; i < roots.length; i += 1) {
          const [a, b] = [roots[i - 1], roots[i]];
          if (sort === 'name') assert.ok(collator.compare(a.displayName, b.displayName) <= 0, `${a.displayName} before ${b.displayName}`);
          if (sort === 'oldest') assert.ok(Date.parse(a.createdAt ?? '') <= Date.parse(b.createdAt ?? ''));
          if (sort === 'newest') assert.ok(Date.parse(a.createdAt ?? '') >= Date.parse(b.createdAt ?? ''));
          if (sort === 'status') assert.ok(rank.indexOf(a.status) <= rank.indexOf(b.status));
        }
        assert.equal(roots.length, new Set(ids(roots)).size);
      }),
      { numRuns: 200 },
    );
  });
});
