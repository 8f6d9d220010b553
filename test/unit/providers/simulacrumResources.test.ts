import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryKeyValueStore } from '../../../src/core/jobs/KeyValueStore';
import type { ResourceStatus } from '../../../src/core/jobs/Resource';
import type { SimulacrumJob } from '../../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumSweepRecords, type SimulacrumSweepRecord } from '../../../src/providers/simulacrum/SimulacrumSweepRecords';
import { sweepStatus, toResource, toResources, toResourceStatus } from '../../../src/providers/simulacrum/simulacrumResources';

function job(overrides: Partial<SimulacrumJob> & { job_id: string }): SimulacrumJob {
  return { status: 'running', created_at: '2026-04-05T12:00:00Z', ...overrides } as SimulacrumJob;
}

const annotation = job({ job_id: 'render-20260405-a', status: 'running', render_mode: 'annotations', num_frames: 60, total_frames: 60, frames_completed: 37, assigned_node: 'node-3', project_id: 'proj_1' });
const training = job({ job_id: 'render-20260405-t', status: 'running', render_mode: 'run_as_is', num_frames: 0, python_script: 'train.py', assigned_node: 'node-1' });

describe('Simulacrum statuses', () => {
  it('map onto the neutral model, an unknown one to unknown', () => {
    const cases: [string, ResourceStatus][] = [
      ['queued', 'queued'],
      ['running', 'running'],
      ['completing', 'stopping'],
      ['completed', 'succeeded'],
      ['failed', 'failed'],
      ['cancelled', 'cancelled'],
      ['paused', 'unknown'],
      ['toString', 'unknown'],
    ];
    for (const [raw, neutral] of cases) assert.equal(toResourceStatus(raw), neutral, raw);
  });

  it('an unknown status keeps its word and shows as unknown (word) in the details', () => {
    const resource = toResource(job({ job_id: 'x', status: 'paused' }));
    assert.equal(resource.status, 'unknown');
    assert.equal(resource.rawStatus, 'paused');
    assert.deepEqual(resource.details.find(([label]) => label === 'Status'), ['Status', 'unknown (paused)']);
    assert.deepEqual(resource.actions, ['log', 'details']);
  });
});

describe('a Simulacrum job as a resource', () => {
  it('annotation job: frames progress, mode and node facts, cancel/log/details', () => {
    const resource = toResource(annotation);
    assert.equal(resource.provider, 'simulacrum');
    assert.equal(resource.kind, 'job');
    assert.equal(resource.displayName, 'render-20260405-a');
    assert.deepEqual(resource.progress, { fraction: 37 / 60, text: '37/60 frames' });
    assert.deepEqual(resource.facts, ['annotations', 'node-3']);
    assert.deepEqual(resource.actions, ['cancel', 'log', 'details']);
    assert.equal(resource.raw, annotation);
    assert.equal(resource.createdAt, '2026-04-05T12:00:00Z');
  });

  it('running training job (run_as_is, 0 frames): "training", can be completed, no frame progress', () => {
    const resource = toResource(training);
    assert.deepEqual(resource.facts, ['training', 'node-1']);
    assert.deepEqual(resource.actions, ['cancel', 'complete', 'log', 'details']);
    assert.equal(resource.progress, undefined);
  });

  it('a training job that reports epochs shows them as progress', () => {
    assert.deepEqual(toResource({ ...training, total_frames: 0, epochs_completed: 3, total_epochs: 10 }).progress, { fraction: 0.3, text: '3/10 epochs' });
  });

  it('docker only job is "docker" and can be completed; an annotation job cannot', () => {
    assert.deepEqual(toResource(job({ job_id: 'd', render_mode: 'docker_only', num_frames: 0 })).facts, ['docker']);
    assert.ok(toResource(job({ job_id: 'd', render_mode: 'docker_only', num_frames: 0 })).actions.includes('complete'));
    assert.ok(!toResource(annotation).actions.includes('complete'));
  });

  it('a list record without the mode still tells training (0 frames) from annotations', () => {
    assert.deepEqual(toResource(job({ job_id: 'l', total_frames: 0, frames_completed: 0 })).facts, ['training']);
    assert.deepEqual(toResource(job({ job_id: 'l', total_frames: 60, frames_completed: 6 })).facts, []);
  });

  it('completed: succeeded, download offered, full progress, finish time', () => {
    const resource = toResource({ ...annotation, status: 'completed', frames_completed: 60, completed_at: '2026-04-05T12:30:00Z' });
    assert.equal(resource.status, 'succeeded');
    assert.deepEqual(resource.actions, ['download', 'log', 'details']);
    assert.deepEqual(resource.progress, { fraction: 1, text: '60/60 frames' });
    assert.equal(resource.finishedAt, '2026-04-05T12:30:00Z');
  });

  it('completing is stopping and offers neither cancel nor complete', () => {
    const resource = toResource({ ...training, status: 'completing' });
    assert.equal(resource.status, 'stopping');
    assert.deepEqual(resource.actions, ['log', 'details']);
  });

  it('queued can be cancelled, not completed; failed offers only log and details', () => {
    assert.deepEqual(toResource({ ...training, status: 'queued' }).actions, ['cancel', 'log', 'details']);
    assert.deepEqual(toResource({ ...training, status: 'failed' }).actions, ['log', 'details']);
  });

  it('details list every field, documented ones labelled, new ones by their name', () => {
    const record = { ...annotation, python_args: '--lr 0.001', gpu_type: 'A100' } as SimulacrumJob;
    const details = new Map(toResource(record).details);
    assert.equal(details.get('Job id'), 'render-20260405-a');
    assert.equal(details.get('Mode'), 'annotations');
    assert.equal(details.get('Node'), 'node-3');
    assert.equal(details.get('Frames completed'), '37');
    assert.equal(details.get('Arguments'), '--lr 0.001');
    assert.equal(details.get('gpu_type'), 'A100');
  });
});

const record: SimulacrumSweepRecord = {
  sweepId: 'sweep-1',
  variantJobIds: ['sweep-1-v0', 'sweep-1-v1', 'sweep-1-v2', 'sweep-1-v3'],
  parameterGrid: { lr: [0.001, 0.01], batch_size: [32, 64] },
  pythonScript: 'train.py',
  createdAt: '2026-04-05T11:59:59Z',
};

function variants(statuses: string[], extra: Partial<SimulacrumJob> = {}): SimulacrumJob[] {
  return statuses.map((status, i) => job({ job_id: `sweep-1-v${i}`, status, render_mode: 'run_as_is', num_frames: 0, ...extra }));
}

describe('sweeps', () => {
  it('variants known from the persisted submission are grouped under one synthesized sweep', () => {
    const resources = toResources([annotation, ...variants(['running', 'completed', 'queued', 'completed'])], [record]);
    const sweep = resources.find((r) => r.kind === 'sweep');
    assert.ok(sweep);
    assert.equal(sweep.id, 'sweep-1');
    assert.equal(sweep.status, 'running');
    assert.deepEqual(sweep.progress, { fraction: 0.5, text: '2/4 variants done' });
    assert.deepEqual(sweep.facts, ['sweep', '4 variants']);
    assert.equal(sweep.createdAt, record.createdAt);
    assert.deepEqual(sweep.actions, ['cancel', 'details']);
    const children = resources.filter((r) => r.parentId === 'sweep-1');
    assert.equal(children.length, 4);
    assert.equal(children[2].displayName, 'v2 · sweep-1-v2');
    assert.equal(resources.find((r) => r.id === annotation.job_id)?.parentId, undefined);
  });

  it('variants that carry sweep_id group without a record, named by their parameters when the server gives them', () => {
    const jobs = variants(['completed', 'completed'], { sweep_id: 'sweep-9' }).map((j, i) => ({ ...j, job_id: `sweep-9-v${i}`, parameters: { lr: [0.001, 0.01][i] } }));
    const resources = toResources(jobs, []);
    const sweep = resources.find((r) => r.kind === 'sweep');
    assert.equal(sweep?.id, 'sweep-9');
    assert.equal(sweep?.status, 'succeeded');
    assert.deepEqual(sweep?.facts, ['sweep', '2 variants']);
    assert.deepEqual(resources.filter((r) => r.parentId === 'sweep-9').map((r) => r.displayName), ['v0 lr=0.001', 'v1 lr=0.01']);
  });

  it('counts recorded variants missing from the list in the total', () => {
    const sweep = toResources(variants(['completed', 'completed']), [record]).find((r) => r.kind === 'sweep');
    assert.deepEqual(sweep?.progress, { fraction: 0.5, text: '2/4 variants done' });
    assert.equal(sweep?.finishedAt, undefined, 'not finished while variants are unaccounted for');
  });

  it('no sweep resource when none of its variants is listed', () => {
    assert.deepEqual(toResources([annotation], [record]).map((r) => r.id), [annotation.job_id]);
  });

  it('aggregates status: any running → running; all terminal → succeeded, failed or cancelled', () => {
    const cases: [ResourceStatus[], ResourceStatus][] = [
      [['running', 'succeeded', 'queued'], 'running'],
      [['queued', 'queued'], 'queued'],
      [['stopping', 'succeeded'], 'stopping'],
      [['succeeded', 'succeeded'], 'succeeded'],
      [['succeeded', 'failed', 'cancelled'], 'failed'],
      [['succeeded', 'cancelled'], 'cancelled'],
      [['unknown', 'succeeded'], 'unknown'],
    ];
    for (const [statuses, expected] of cases) assert.equal(sweepStatus(statuses), expected, statuses.join(','));
  });

  it('a finished sweep has no cancel action', () => {
    const sweep = toResources(variants(['completed', 'failed', 'completed', 'completed']), [record]).find((r) => r.kind === 'sweep');
    assert.equal(sweep?.status, 'failed');
    assert.deepEqual(sweep?.actions, ['details']);
  });
});

describe('SimulacrumSweepRecords', () => {
  it('persists records newest first and reads them back in a new instance', async () => {
    const storage = new InMemoryKeyValueStore();
    const records = new SimulacrumSweepRecords(storage);
    await records.add(record);
    await records.add({ ...record, sweepId: 'sweep-2', variantJobIds: ['sweep-2-v0'] });
    const reread = new SimulacrumSweepRecords(storage);
    assert.deepEqual(reread.list().map((r) => r.sweepId), ['sweep-2', 'sweep-1']);
    assert.deepEqual(reread.get('sweep-1'), record);
  });

  it('keeps only the newest records and skips stored garbage', async () => {
    const storage = new InMemoryKeyValueStore();
    await storage.update('simcloud.simulacrum.sweeps', [{ nonsense: true }, record]);
    const records = new SimulacrumSweepRecords(storage, undefined, 2);
    assert.deepEqual(records.list().map((r) => r.sweepId), ['sweep-1']);
    await records.add({ ...record, sweepId: 'a' });
    await records.add({ ...record, sweepId: 'b' });
    assert.deepEqual(records.list().map((r) => r.sweepId), ['b', 'a']);
    await records.clear();
    assert.deepEqual(new SimulacrumSweepRecords(storage).list(), []);
  });
});
