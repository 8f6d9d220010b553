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
      worker.postMessage({ type: 'entries', relPaths: 'a', sizes: new Float64Array([-1]), mtimes: new Float64Array([0]), modes: new Int32Array([-1]), store: new Uint8Array([0]) });
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

  it('the schemas refuse what neither side sends: unknown types, negative or fractional sizes, ragged entry batches, a level outside 0–9', () => {
    assert.equal(HostMessage.safeParse({ type: 'start', outFile: 'o', root: '/r', totalEntries: 0, totalBytes: 0, level: 10, progressIntervalMs: 0 }).success, false);
    assert.equal(HostMessage.safeParse({ type: 'start', outFile: 'o', root: '/r', totalEntries: 0, totalBytes: 0, level: 1, progressIntervalMs: 0 }).success, true);
    const batch = { type: 'entries', relPaths: 'a\0b', sizes: new Float64Array([1, 2]), mtimes: new Float64Array([0, 0]), modes: new Int32Array([-1, 0o755]), store: new Uint8Array([0, 1]) };
    assert.equal(HostMessage.safeParse(batch).success, true);
    assert.equal(HostMessage.safeParse({ ...batch, sizes: new Float64Array([1, -2]) }).success, false, 'a negative size');
    assert.equal(HostMessage.safeParse({ ...batch, sizes: new Float64Array([1, 2.5]) }).success, false, 'a fractional size');
    assert.equal(HostMessage.safeParse({ ...batch, modes: new Int32Array([-1]) }).success, false, 'arrays of different lengths');
    assert.equal(HostMessage.safeParse({ ...batch, sizes: [1, 2] }).success, false, 'a plain array instead of a Float64Array');
    assert.equal(HostMessage.safeParse({ type: 'pause' }).success, false);
    assert.equal(WorkerMessage.safeParse({ type: 'done', bytes: -1, entries: 0, storedEntries: 0 }).success, false);
    assert.equal(WorkerMessage.safeParse({ type: 'error', code: 'teapot', message: 'x' }).success, false);
    assert.equal(WorkerMessage.safeParse({ type: 'progress', bytesDone: 1, totalBytes: 2, entriesDone: 0, totalEntries: 1, currentFile: 'a', extra: true }).success, true);
  });
});
