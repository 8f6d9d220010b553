import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DatasetUpload, JobSubmission } from '../../../src/core/inflight/InFlightOperation';
import { InFlightOperations } from '../../../src/core/inflight/InFlightOperations';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';

const DEAD = 111;
const ALIVE_OTHER_WINDOW = 222;
const alive = (pid: number) => pid === ALIVE_OTHER_WINDOW || pid === 333;

function upload(id: string, ownerPid: number): DatasetUpload {
  return { id, kind: 'dataset-upload', provider: 'simulacra', accountId: 'acct', idempotencyKey: `key-${id}`, filePath: '/w/seed.csv', displayName: 'Seed', label: 'seed.csv', startedAt: '2026-11-28T04:00:00Z', ownerPid };
}

describe('InFlightOperations', () => {
  it('keeps an entry from begin to finish, across a new journal over the same storage (a reload)', async () => {
    const state = new InMemoryKeyValueStore();
    const before = new InFlightOperations(state, 333, alive);
    await before.begin(upload('a', 333));
    const afterReload = new InFlightOperations(state, 444, (pid) => pid === 444);
    assert.deepEqual(afterReload.interrupted().map((e) => [e.id, (e as DatasetUpload).idempotencyKey]), [['a', 'key-a']]);
    await afterReload.finish('a');
    assert.deepEqual(afterReload.list(), []);
  });

  it('calls interrupted only the entries whose extension host is gone, not its own nor another live window’s', async () => {
    const journal = new InFlightOperations(new InMemoryKeyValueStore(), 333, alive);
    await journal.begin(upload('mine', 333));
    await journal.begin(upload('other-window', ALIVE_OTHER_WINDOW));
    await journal.begin(upload('reloaded', DEAD));
    assert.deepEqual(journal.interrupted().map((e) => e.id), ['reloaded']);
  });

  it('lets exactly one host adopt an interrupted entry', async () => {
    const state = new InMemoryKeyValueStore();
    await new InFlightOperations(state, DEAD, () => true).begin(upload('x', DEAD));
    const first = new InFlightOperations(state, 333, alive);
    const second = new InFlightOperations(state, ALIVE_OTHER_WINDOW, alive);
    assert.equal((await first.adopt('x'))?.ownerPid, 333);
    assert.equal(await second.adopt('x'), undefined);
    assert.deepEqual(second.interrupted(), []);
  });

  it('loses no entry when operations begin, update and finish at once', async () => {
    const journal = new InFlightOperations(new InMemoryKeyValueStore(), 333, alive);
    const submission: JobSubmission = { id: 's', kind: 'job-submission', provider: 'simulacrum', accountId: 'acct', stage: 'uploading', root: '/w', label: 'w', startedAt: '2026-11-28T04:00:00Z', ownerPid: 333 };
    await Promise.all([journal.begin(upload('a', 333)), journal.begin(upload('b', 333)), journal.begin(submission), journal.update<JobSubmission>('s', { stage: 'submitting', projectId: 'proj_1' }), journal.finish('a')]);
    assert.deepEqual(journal.list().map((e) => e.id).sort(), ['b', 's']);
    assert.deepEqual(journal.list().find((e) => e.id === 's'), { ...submission, stage: 'submitting', projectId: 'proj_1' });
  });

  it('ignores what is not an entry (a hand-edited or older state)', async () => {
    const state = new InMemoryKeyValueStore();
    await state.update('simcloud.inFlightOperations', [{ id: 1 }, null, 'x', upload('ok', DEAD)]);
    assert.deepEqual(new InFlightOperations(state, 333, alive).list().map((e) => e.id), ['ok']);
  });
});
