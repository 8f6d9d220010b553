import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AnnouncementGate } from '../../../src/core/polling/AnnouncementGate';
import { flush } from '../../support/FakeClock';

/** The leader's decision, shared by every window's gate: the first claim of a key wins. */
function leader() {
  const granted = new Set<string>();
  const claims: string[] = [];
  return {
    claims,
    claim: async (key: string) => {
      claims.push(key);
      if (granted.has(key)) return false;
      granted.add(key);
      return true;
    },
  };
}

describe('AnnouncementGate: a terminal job is announced once, in a focused window', () => {
  it('a focused window claims at once and shows what it was granted', async () => {
    const l = leader();
    const gate = new AnnouncementGate(true);
    assert.equal(await gate.admit('simulacrum:j1', l.claim), true);
    assert.equal(await gate.admit('simulacrum:j1', l.claim), false, 'granted once');
  });

  it('three windows that all saw it: only the focused one shows it, the others drop it when told', async () => {
    const l = leader();
    const [a, b, c] = [new AnnouncementGate(false), new AnnouncementGate(true), new AnnouncementGate(false)];
    const shown = { a: gate(a), b: gate(b), c: gate(c) };
    function gate(g: AnnouncementGate) {
      let result: boolean | undefined;
      void g.admit('simulacrum:j1', l.claim).then((value) => (result = value));
      return () => result;
    }
    await flush();
    assert.equal(shown.b(), true);
    assert.equal(shown.a(), undefined, 'held while unfocused');
    a.announcedElsewhere('simulacrum:j1');
    c.announcedElsewhere('simulacrum:j1');
    await flush();
    assert.deepEqual([shown.a(), shown.c()], [false, false]);
    assert.equal(a.heldCount + c.heldCount, 0);
  });

  it('held while no window is focused, and shown by the first window that gains focus', async () => {
    const l = leader();
    const [a, b] = [new AnnouncementGate(false), new AnnouncementGate(false)];
    const results: Record<string, boolean> = {};
    void a.admit('k', l.claim).then((value) => (results.a = value));
    void b.admit('k', l.claim).then((value) => (results.b = value));
    await flush();
    assert.deepEqual(l.claims, [], 'nobody claims before someone looks');
    b.setFocused(true);
    await flush();
    assert.equal(results.b, true);
    a.setFocused(true);
    await flush();
    assert.equal(results.a, false, 'a window focused later does not show it again');
  });

  it('a failed claim shows nothing rather than risk a duplicate', async () => {
    const gate = new AnnouncementGate(false);
    const result = gate.admit('k', () => Promise.reject(new Error('leader gone')));
    gate.setFocused(true);
    assert.equal(await result, false);
  });
});
