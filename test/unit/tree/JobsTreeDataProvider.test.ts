// The Jobs tree as VS Code drives it: getChildren, then getTreeItem per row, after store changes. Rows are reused
// while their resource is unchanged; these tests pin that a reused row never shows stale facts.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { JobStore } from '../../../src/core/jobs/JobStore';
import type { Resource } from '../../../src/core/jobs/Resource';
import { simulacrumJob, signedInSimulacrum } from '../../support/jobsFixture';
import { registerVscodeStandIn } from '../../support/registerVscodeStandIn';

type TreeModule = typeof import('../../../src/ui/tree/JobsTreeDataProvider');
let JobsTreeDataProvider: TreeModule['JobsTreeDataProvider'];

before(async () => {
  registerVscodeStandIn();
  ({ JobsTreeDataProvider } = await import('../../../src/ui/tree/JobsTreeDataProvider.js'));
});

/** A finished job (the tree's plain row); `overrides` set any field. */
function job(id: string, overrides: Partial<Resource> = {}): Resource {
  return simulacrumJob(id, { status: 'succeeded', rawStatus: 'completed', actions: ['download', 'details'], ...overrides });
}

function setup(now: { value: number }) {
  const accounts = signedInSimulacrum();
  const store = new JobStore();
  const tree = new JobsTreeDataProvider(accounts, store, () => now.value);
  /** What the view shows under the provider: label → description. */
  const rows = async () => {
    const provider = (await tree.getChildren()).find((node) => node.type === 'provider');
    const children = await tree.getChildren(provider);
    return new Map(children.map((child) => {
      const item = tree.getTreeItem(child);
      return [String(item.label), { description: String(item.description), collapsible: item.collapsibleState }];
    }));
  };
  return { store, tree, rows };
}

describe('JobsTreeDataProvider rows', () => {
  it('shows a changed resource as it is now, and an unchanged one as before', async () => {
    const { store, rows } = setup({ value: Date.parse('2026-04-05T12:10:00Z') });
    store.replaceAll('simulacrum', [job('a'), job('b')]);
    assert.equal((await rows()).get('a')?.description, 'completed · annotations');
    store.replaceAll('simulacrum', [job('a', { status: 'failed', rawStatus: 'failed', facts: ['annotations', 'exit 3'] }), job('b')]);
    const after = await rows();
    assert.equal(after.get('a')?.description, 'failed · annotations · exit 3');
    assert.equal(after.get('b')?.description, 'completed · annotations');
  });

  it('moves the elapsed time of a running job on every draw, even when the store did not change', async () => {
    const now = { value: Date.parse('2026-04-05T12:01:05Z') };
    const { store, rows } = setup(now);
    store.replaceAll('simulacrum', [job('r', { status: 'running', rawStatus: 'running', startedAt: '2026-04-05T12:00:00Z' })]);
    assert.equal((await rows()).get('r')?.description, 'running · 1m 05s · annotations');
    now.value += 10_000;
    assert.equal((await rows()).get('r')?.description, 'running · 1m 15s · annotations');
  });

  it('makes a row expandable when a child arrives, and a removed and re-added id shows its new state', async () => {
    const { store, rows } = setup({ value: Date.parse('2026-04-05T12:10:00Z') });
    store.replaceAll('simulacrum', [job('sweep')]);
    assert.equal((await rows()).get('sweep')?.collapsible, 0);
    store.replaceAll('simulacrum', [job('sweep'), job('sweep-v0', { parentId: 'sweep' })]);
    assert.equal((await rows()).get('sweep')?.collapsible, 2);
    store.replaceAll('simulacrum', []);
    store.replaceAll('simulacrum', [job('sweep', { status: 'cancelled', rawStatus: 'cancelled' })]);
    assert.equal((await rows()).get('sweep')?.description, 'cancelled · annotations');
  });
});

describe('JobsTreeDataProvider filter, sort and Active', () => {
  const labels = async (tree: InstanceType<TreeModule['JobsTreeDataProvider']>, node?: Parameters<typeof tree.getChildren>[0]) =>
    (await tree.getChildren(node)).map((child) => String(tree.getTreeItem(child).label));

  it('puts "Active (N)" above the providers with every running job, and hides it when none is left', async () => {
    const { store, tree } = setup({ value: Date.parse('2026-04-05T12:10:00Z') });
    store.replaceAll('simulacrum', [job('done'), job('r1', { status: 'running', rawStatus: 'running', progress: { text: '1/2' } }), job('q1', { status: 'queued', rawStatus: 'queued' })]);
    const roots = await tree.getChildren();
    assert.deepEqual(await labels(tree), ['Active (2)', 'Simulacrum Labs']);
    assert.deepEqual(await labels(tree, roots[0]), ['r1', 'q1']); // running before queued
    const activeRow = (await tree.getChildren(roots[0]))[0];
    assert.equal(tree.getTreeItem(activeRow).id, 'active:simulacrum:r1', 'a second row for the same job needs its own id');
    store.replaceAll('simulacrum', [job('done'), job('r1'), job('q1')]);
    assert.deepEqual(await labels(tree), ['Simulacrum Labs']);
  });

  it('redraws the whole view when a provider gains its first job (its row changes id; a row refresh left it collapsed)', async () => {
    const { store, tree } = setup({ value: Date.parse('2026-04-05T12:10:00Z') });
    const provider = (await tree.getChildren()).find((node) => node.type === 'provider');
    assert.equal(tree.getTreeItem(provider as never).id, 'provider:simulacrum:empty');
    const fired: unknown[] = [];
    tree.onDidChangeTreeData((node) => fired.push(node));
    store.replaceAll('simulacrum', [job('first')]);
    assert.deepEqual(fired, [undefined]);
    assert.equal(tree.getTreeItem(provider as never).id, 'provider:simulacrum:jobs');
    fired.length = 0;
    store.replaceAll('simulacrum', [job('first'), job('second')]);
    assert.ok(!fired.includes(undefined), 'a second job redraws only the provider');
  });

  it('redraws a collapsed Active group when a job it counts finishes (VS Code asks a collapsed group for no children)', async () => {
    const { store, tree } = setup({ value: Date.parse('2026-04-05T12:10:00Z') });
    const running = (id: string) => job(id, { status: 'running', rawStatus: 'running', progress: { text: '1/2' } });
    store.replaceAll('simulacrum', [running('r1'), running('r2')]);
    const active = (await tree.getChildren())[0];
    assert.equal(tree.getTreeItem(active).label, 'Active (2)'); // drawn collapsed: its children never asked for
    const fired: unknown[] = [];
    tree.onDidChangeTreeData((node) => fired.push(node));
    store.replaceAll('simulacrum', [running('r1'), job('r2')]);
    assert.ok(fired.includes(active) || fired.includes(undefined), 'the Active group was not redrawn: it would still say "Active (2)"');
    assert.equal(tree.getTreeItem(active).label, 'Active (1)');
  });

  it('filters and sorts the provider\'s jobs, reusing the rows it built, and says so when nothing matches', async () => {
    const { store, tree } = setup({ value: Date.parse('2026-04-05T12:10:00Z') });
    store.replaceAll('simulacrum', [job('b-render', { createdAt: '2026-04-05T12:02:00Z' }), job('a-fail', { status: 'failed', rawStatus: 'failed', createdAt: '2026-04-05T12:01:00Z' }), job('c-render', { createdAt: '2026-04-05T12:00:00Z' })]);
    const provider = (await tree.getChildren()).find((node) => node.type === 'provider');
    const before = new Map((await tree.getChildren(provider)).map((node) => [node, tree.getTreeItem(node)]));
    tree.setQuery({ filters: [], text: 'render', sort: 'name' });
    assert.deepEqual(await labels(tree, provider), ['b-render', 'c-render']);
    for (const node of await tree.getChildren(provider)) assert.equal(tree.getTreeItem(node), before.get(node), 'a row is not rebuilt for a filter change');
    tree.setQuery({ filters: ['failed'], text: 'render', sort: 'name' });
    assert.deepEqual(await labels(tree), ['No jobs match the filter', 'Simulacrum Labs']);
    assert.equal(tree.view.counts().matching, 0);
    tree.setQuery({ filters: [], text: '', sort: 'oldest' });
    assert.deepEqual(await labels(tree, provider), ['c-render', 'a-fail', 'b-render']);
  });
});
