import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { LinkedAbortController } from '../../../src/core/util/abort';
import { MAX_TIMEOUT_MS, systemClock } from '../../../src/core/util/clock';

describe('systemClock', () => {
  const realSetTimeout = globalThis.setTimeout;
  afterEach(() => {
    globalThis.setTimeout = realSetTimeout;
  });

  it('reads the wall clock', () => {
    const before = Date.now();
    const now = systemClock.now();
    assert.ok(now >= before && now <= Date.now());
  });

  it('sleeps roughly the time asked', async () => {
    const started = performance.now();
    await systemClock.sleep(30);
    assert.ok(performance.now() - started >= 25);
  });

  it('rejects promptly with the abort reason', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    setTimeout(() => controller.abort(new Error('stop')), 10);
    await assert.rejects(sleeping, /stop/);
    assert.ok(performance.now() - started < 1_000);
  });

  it('rejects at once for an already aborted signal', async () => {
    await assert.rejects(systemClock.sleep(10, AbortSignal.abort(new Error('already'))), /already/);
  });

  it('never hands setTimeout more than 2^31-1 ms (Node would fire after 1 ms)', async () => {
    const delays: number[] = [];
    globalThis.setTimeout = ((_callback: () => void, ms?: number) => {
      delays.push(ms ?? 0);
      return realSetTimeout(() => undefined, 0);
    }) as typeof setTimeout;
    const controller = new AbortController();
    const sleeping = systemClock.sleep(MAX_TIMEOUT_MS * 3, controller.signal);
    globalThis.setTimeout = realSetTimeout;
    controller.abort(new Error('done'));
    await assert.rejects(sleeping, /done/);
    assert.deepEqual(delays, [MAX_TIMEOUT_MS]);
  });
});

describe('LinkedAbortController', () => {
  it('aborts when any parent aborts, with its reason', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = new LinkedAbortController([a.signal, undefined, b.signal]);
    b.abort('why');
    assert.equal(linked.signal.aborted, true);
    assert.equal(linked.signal.reason, 'why');
  });

  it('starts aborted when a parent already is', () => {
    const linked = new LinkedAbortController([AbortSignal.abort('early')]);
    assert.equal(linked.signal.reason, 'early');
  });

  it('lets go of its parents on dispose', () => {
    const parent = new AbortController();
    const linked = new LinkedAbortController([parent.signal]);
    linked.dispose();
    parent.abort();
    assert.equal(linked.signal.aborted, false);
  });
});
