// Windows of one account in one process: real sockets in a private temp folder, FakeClock for the pace. Waits are on
// events (a poll, a role, a snapshot adopted), never on wall time.
import assert from 'node:assert/strict';
import { linkSync, mkdtempSync, rmSync, statSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type { PollOutcome } from '../../../src/core/jobs/Poller';
import type { Event } from '../../../src/core/events/Emitter';
import { peerSocketPath, preparePeerSocketDir } from '../../../src/core/polling/peerSocketPath';
import { SharedPoller } from '../../../src/core/polling/SharedPoller';
import { FakeClock, flush } from '../../support/FakeClock';

const skip = process.platform === 'win32' ? 'sharing is off on Windows (named pipes cannot be made private from Node)' : false;
const root = mkdtempSync(path.join(tmpdir(), 'simcloud-sp-unit-'));
after(() => rmSync(root, { recursive: true, force: true }));
let nextSocket = 0;

function once<T>(event: Event<T>, until: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const subscription = event((value) => {
      if (!until(value)) return;
      subscription.dispose();
      resolve(value);
    });
  });
}

/** One window: polls count up a "listing" the leader shares; adopt() records what followers were given. */
function window(socketPath: string, clock: FakeClock, options: { active?: number } = {}) {
  let listing = 0;
  const polls: number[] = [];
  const adopted: unknown[] = [];
  const poller = new SharedPoller({
    name: 'test',
    clock,
    socketPath,
    backgroundIntervalMs: 120_000,
    poll: async (): Promise<PollOutcome> => {
      polls.push(clock.now());
      listing += 1;
      return { changed: true, active: options.active ?? 1 };
    },
    sharing: {
      snapshot: () => ({ listing }),
      adopt: (data) => {
        if (typeof (data as { listing?: unknown })?.listing !== 'number') throw new Error('malformed');
        adopted.push(data);
        return { changed: true, active: 1 };
      },
    },
  });
  return { poller, polls, adopted };
}

describe('SharedPoller across windows', { skip, timeout: 60_000 }, () => {
  const clock = new FakeClock();
  const socket = () => path.join(root, `s${(nextSocket += 1)}`);

  it('elects one leader; only it polls; followers adopt its snapshots and their kick makes it poll now', async () => {
    const at = socket();
    const [a, b, c] = [window(at, clock), window(at, clock), window(at, clock)];
    await a.poller.start();
    await flush();
    const firstSnapshot = once(b.poller.onDidPoll);
    await b.poller.start();
    await c.poller.start();
    assert.deepEqual([a.poller.role, b.poller.role, c.poller.role], ['leader', 'follower', 'follower']);
    await firstSnapshot;
    assert.deepEqual(b.adopted, [{ listing: 1 }], 'a window that joins draws the last poll at once');
    assert.equal(a.polls.length, 1);

    const adopted = once(c.poller.onDidPoll, () => (c.adopted.at(-1) as { listing: number }).listing === 2);
    b.poller.kick();
    await adopted;
    assert.equal(a.polls.length, 2, "the follower's kick made the leader poll");
    assert.deepEqual([b.polls.length, c.polls.length], [0, 0], 'followers never poll');
    assert.deepEqual(c.adopted.at(-1), { listing: 2 });
    for (const w of [a, b, c]) w.poller.dispose();
  });

  it('grants each announcement to exactly one window, and tells the others', async () => {
    const at = socket();
    const [a, b, c] = [window(at, clock), window(at, clock), window(at, clock)];
    for (const w of [a, b, c]) await w.poller.start();
    const told = once(c.poller.onDidAnnounceElsewhere);
    const granted = await Promise.all([b.poller.claim('simulacrum:j1'), c.poller.claim('simulacrum:j1'), a.poller.claim('simulacrum:j1')]);
    assert.equal(granted.filter(Boolean).length, 1, `granted: ${JSON.stringify(granted)}`);
    assert.equal(await told, 'simulacrum:j1');
    for (const w of [a, b, c]) w.poller.dispose();
  });

  it('polls at the background pace while no window is attended, and at once when one is', async () => {
    const at = socket();
    const [a, b] = [window(at, clock), window(at, clock)];
    a.poller.setAttended(false);
    b.poller.setAttended(false);
    await a.poller.start();
    await b.poller.start();
    await flush();
    const t0 = a.polls[0] as number;
    await clock.advance(60_000);
    assert.equal(a.polls.length, 1, 'no poll within a minute while nobody looks');
    await clock.advance(60_000);
    assert.deepEqual(a.polls.map((t) => t - t0), [0, 120_000]);
    // Focus 30 s into a background wait: the normal 5 s since the last poll are over, so the leader polls now.
    await clock.advance(30_000);
    const polled = once(b.poller.onDidPoll);
    b.poller.setAttended(true);
    await polled;
    assert.equal(a.polls.length, 3, "a follower's focus sets the leader's pace");
    await clock.advance(5_000);
    assert.equal(a.polls.length, 4);
    assert.equal((a.polls[3] as number) - (a.polls[2] as number), 5_000);
    for (const w of [a, b]) w.poller.dispose();
  });

  it('when the leader closes, a follower leads and polls at once; the claims it knew stay granted', async () => {
    const at = socket();
    const [a, b, c] = [window(at, clock), window(at, clock), window(at, clock)];
    for (const w of [a, b, c]) await w.poller.start();
    assert.equal(await b.poller.claim('k'), true);
    await flush();
    const roles = Promise.all([once(b.poller.onDidChangeRole), once(c.poller.onDidChangeRole)]);
    a.poller.dispose();
    const [roleB, roleC] = await roles;
    assert.deepEqual([roleB, roleC].sort(), ['follower', 'leader']);
    const successor = roleB === 'leader' ? b : c;
    await flush();
    assert.equal(successor.polls.length, 1, 'the new leader polled at once');
    assert.equal(await (successor === b ? c : b).poller.claim('k'), false, 'a key announced before the change is not announced again');
    for (const w of [b, c]) w.poller.dispose();
  });

  it('a socket left by a killed leader is cleared and a new leader elected', async () => {
    const at = socket();
    // What SIGKILL leaves: the shared name hard-linked to a socket nobody listens on any more.
    const dead = net.createServer();
    await new Promise<void>((resolve) => dead.listen(`${at}.dead`, resolve));
    linkSync(`${at}.dead`, at);
    await new Promise<void>((resolve) => dead.close(() => resolve()));
    const a = window(at, clock);
    await a.poller.start();
    assert.equal(a.poller.role, 'leader');
    a.poller.dispose();
  });

  it('a leader whose name was taken by another window steps down instead of polling beside it', async () => {
    const at = socket();
    const a = window(at, clock, { active: 1 });
    await a.poller.start();
    await flush();
    assert.equal(a.polls.length, 1);
    // Another window cleared the name (thinking it stale) and took it: `a` is now unreachable.
    unlinkSync(at);
    const b = window(at, clock);
    await b.poller.start();
    assert.equal(b.poller.role, 'leader');
    const aFollows = once(a.poller.onDidChangeRole, (role) => role === 'follower');
    await clock.advance(5_000);
    await aFollows;
    assert.equal(a.polls.length, 1, 'the displaced leader did not poll again');
    for (const w of [a, b]) w.poller.dispose();
  });

  it('ignores malformed and oversized messages and keeps serving the others', async () => {
    const at = socket();
    const [a, b] = [window(at, clock), window(at, clock)];
    await a.poller.start();
    await b.poller.start();
    const rogue = net.createConnection(at);
    await new Promise<void>((resolve) => rogue.once('connect', () => resolve()));
    const closed = new Promise<void>((resolve) => rogue.once('close', () => resolve()));
    rogue.on('error', () => undefined); // the leader resets it: that is the point
    rogue.write('{"type":"claim","id":1}\nnot json\n{"type":"kick","extra":"ignored"}\n');
    rogue.write('x'.repeat(65 * 1024 * 1024));
    await closed;
    const adopted = once(b.poller.onDidPoll);
    b.poller.kick();
    await adopted;
    assert.equal(a.poller.role, 'leader');
    for (const w of [a, b]) w.poller.dispose();
  });

  it('keeps its sockets in a folder only this user can enter, the socket itself 0600, named by a hash of the account', async () => {
    const prepared = preparePeerSocketDir(root);
    assert.ok('dir' in prepared, JSON.stringify(prepared));
    assert.equal(statSync(prepared.dir).mode & 0o777, 0o700);
    const at = peerSocketPath('simulacrum|https://app.simulacrumlabs.com|fp_1234', prepared.dir);
    assert.doesNotMatch(at, /simulacrum|fp_1234/);
    const a = window(at, clock);
    await a.poller.start();
    assert.equal(statSync(at).mode & 0o777, 0o600);
    a.poller.dispose();
  });
});
