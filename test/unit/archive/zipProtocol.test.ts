import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { HostMessage, WorkerMessage } from '../../../src/core/archive/zipProtocol';
import { zipWorkerScript } from './zipWorkerBundle';

describe('zip worker protocol', () => {
  it('the worker answers a message it does not understand with a worker-failed error, and a cancel before start with cancelled', async () => {
    const worker = new Worker(await zipWorkerScript());
    try {
      worker.postMessage({ type: 'start', outFile: '/tmp/x.zip', entries: [{ relPath: 'a', absPath: '/a', size: -1, mtimeMs: 0, store: false }], level: 1, progressIntervalMs: 100 });
      const [reply] = (await once(worker, 'message')) as [unknown];
      const parsed = WorkerMessage.parse(reply);
      assert.equal(parsed.type, 'error');
      assert.equal(parsed.type === 'error' && parsed.code, 'worker-failed');
      worker.postMessage({ type: 'cancel' });
      const [cancelled] = (await once(worker, 'message')) as [unknown];
      assert.deepEqual(WorkerMessage.parse(cancelled), { type: 'cancelled' });
    } finally {
      await worker.terminate();
    }
  });

  it('the schemas refuse what neither side sends: unknown types, negative sizes, a level outside 0–9', () => {
    assert.equal(HostMessage.safeParse({ type: 'start', outFile: 'o', entries: [], level: 10, progressIntervalMs: 0 }).success, false);
    assert.equal(HostMessage.safeParse({ type: 'pause' }).success, false);
    assert.equal(WorkerMessage.safeParse({ type: 'done', bytes: -1, entries: 0, storedEntries: 0 }).success, false);
    assert.equal(WorkerMessage.safeParse({ type: 'error', code: 'teapot', message: 'x' }).success, false);
    assert.equal(WorkerMessage.safeParse({ type: 'progress', bytesDone: 1, totalBytes: 2, entriesDone: 0, totalEntries: 1, currentFile: 'a', extra: true }).success, true);
  });
});
