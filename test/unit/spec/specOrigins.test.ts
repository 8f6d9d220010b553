// What a job submitted from a spec file records and shows: the git commit and dirtiness of the spec's repository
// (from a real git), and the "Spec file" line of the Jobs view's tooltip.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { JobOrigins } from '../../../src/core/jobs/JobOrigins';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import { JobStore } from '../../../src/core/jobs/JobStore';
import { gitRevision } from '../../../src/core/spec/gitRevision';
import { simulacrumJob, signedInSimulacrum } from '../../support/jobsFixture';
import { registerVscodeStandIn } from '../../support/registerVscodeStandIn';

type TreeModule = typeof import('../../../src/ui/tree/JobsTreeDataProvider');
let JobsTreeDataProvider: TreeModule['JobsTreeDataProvider'];

before(async () => {
  registerVscodeStandIn();
  ({ JobsTreeDataProvider } = await import('../../../src/ui/tree/JobsTreeDataProvider.js'));
});

describe('gitRevision', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'simcloud-spec-git-'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: root, encoding: 'utf8' }).trim();
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is undefined outside a repository, without failing', async () => {
    const lonely = mkdtempSync(path.join(tmpdir(), 'simcloud-spec-nogit-'));
    writeFileSync(path.join(lonely, 'a.simjob.json'), '{}');
    try {
      assert.equal(await gitRevision(path.join(lonely, 'a.simjob.json')), undefined);
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
  });

  it('records HEAD, clean for a committed file and dirty once it is edited or never committed', async () => {
    git('init', '-q');
    mkdirSync(path.join(root, 'experiments'));
    const spec = path.join(root, 'experiments', 'render.simjob.json');
    writeFileSync(spec, '{"kind":"simulacrum.job"}\n');
    git('add', '.');
    git('commit', '-q', '-m', 'spec');
    const head = git('rev-parse', 'HEAD');
    assert.deepEqual(await gitRevision(spec), { commit: head, dirty: false });
    writeFileSync(spec, '{"kind":"simulacrum.job","render_mode":"annotations"}\n');
    assert.deepEqual(await gitRevision(spec), { commit: head, dirty: true });
    const untracked = path.join(root, 'experiments', 'new.simjob.json');
    writeFileSync(untracked, '{}');
    assert.deepEqual(await gitRevision(untracked), { commit: head, dirty: true });
  });
});

describe('the Jobs view tooltip', () => {
  it('says which spec file and commit a job came from, and that it had uncommitted changes', async () => {
    const origins = new JobOrigins(new InMemoryKeyValueStore());
    const store = new JobStore();
    const tree = new JobsTreeDataProvider(signedInSimulacrum(), store, () => 0, origins);
    store.replaceAll('simulacrum', [simulacrumJob('render-1'), simulacrumJob('render-2')]);
    await origins.record('simulacrum', 'render-1', { via: 'spec', specFile: 'experiments/render.simjob.json', commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d', dirty: true, submittedAt: '2026-01-01T00:00:00Z' });
    await origins.record('simulacrum', 'render-2', { via: 'form', submittedAt: '2026-01-01T00:00:00Z' });
    const tooltip = (id: string) => {
      const node = tree.resourceNode('simulacrum', id);
      // As the hover renders it: markdown escapes gone.
      return String((tree.resolveTreeItem(tree.getTreeItem(node), node).tooltip as { value: string }).value).replace(/\\(.)/g, '$1');
    };
    assert.ok(tooltip('render-1').includes('Spec file: experiments/render.simjob.json @ 1a2b3c4 (uncommitted changes)'), tooltip('render-1'));
    assert.doesNotMatch(tooltip('render-2'), /Spec file/);
  });
});
