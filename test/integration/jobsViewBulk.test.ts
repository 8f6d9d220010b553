// 10,000 Simulacrum jobs made by the sandbox's bulk control route, listed by the client in one call as the extension
// lists them, and filtered by the Jobs view's rules: the failed count the view shows is the one the sandbox made.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { HttpClient } from '../../src/core/http/HttpClient';
import { JobStore } from '../../src/core/jobs/JobStore';
import { JobsView } from '../../src/core/jobs/JobsView';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { toResources } from '../../src/providers/simulacrum/simulacrumResources';

const KEY = 'sim_live_sandbox_dev_key';
let sb: Sandbox;

async function control(route: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${sb.urls.control}/_sandbox/simulacrum${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('bulk Simulacrum jobs in the Jobs view', { timeout: 120_000 }, () => {
  before(async () => {
    sb = await startSandbox({ ports: 'ephemeral', speed: 0, seed: 42, storage: false });
  });
  after(async () => {
    await sb?.close();
  });

  it('creates 10,000 jobs in the asked mix, all listed by one GET /api/jobs, and the view filters them to the same counts', async () => {
    const made = await control('/jobs/bulk', { count: 10_000, mix: { completed: 70, failed: 17, cancelled: 10, running: 0.04, queued: 2.96 } });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const byStatus = made.json.by_status as Record<string, number>;
    assert.deepEqual(byStatus, { completed: 7000, failed: 1700, cancelled: 1000, running: 4, queued: 296 });

    const http = new HttpClient({ baseUrl: sb.urls.simulacrum, credential: { id: 'k', origin: sb.urls.simulacrum, authorization: async () => `Bearer ${KEY}` }, clock: sb.clock, random: () => 0, provider: 'simulacrum', serviceName: 'Simulacrum Labs' });
    const jobs = await new SimulacrumApi(http, sb.clock).listJobs(new AbortController().signal);
    assert.equal(jobs.length, 10_000);
    const store = new JobStore();
    store.replaceAll('simulacrum', toResources(jobs));
    const view = new JobsView(store, () => ['simulacrum'], () => false);

    view.setQuery({ filters: ['failed'], text: '', sort: 'newest' });
    assert.deepEqual(view.counts(), { matching: 1700, total: 10_000 });
    view.setQuery({ filters: ['running'], text: '', sort: 'newest' });
    assert.equal(view.counts().matching, 300);
    assert.equal(view.active().length, 300);
    view.setQuery({ filters: [], text: 'bulk-0999', sort: 'oldest' });
    assert.deepEqual(view.roots('simulacrum').map((r) => r.id), ['bulk-09990', 'bulk-09991', 'bulk-09992', 'bulk-09993', 'bulk-09994', 'bulk-09995', 'bulk-09996', 'bulk-09997', 'bulk-09998', 'bulk-09999']);
  });

  it('refuses more running jobs than free GPUs, and an id prefix already used', async () => {
    const tooMany = await control('/jobs/bulk', { count: 10, mix: { running: 1 } });
    assert.equal(tooMany.status, 409);
    assert.match(String(tooMany.json.error ?? JSON.stringify(tooMany.json)), /GPUs free/);
    const again = await control('/jobs/bulk', { count: 1 });
    assert.equal(again.status, 409);
  });
});
