// Simulix webhook deliveries with a recording transport on a paused virtual clock: the signature format, the
// documented backoff (1 m, 5 m, 30 m, 2 h, 12 h after the first attempt), connection failures, and the control
// route's manual sends (replay, old timestamp, tampered or wrong-secret signature, re-serialised body).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { VirtualClock } from '../../../sandbox/clock/VirtualClock';
import { SimulixIds } from '../../../sandbox/providers/simulix/SimulixIds';
import { SimulixWebhooks, type WebhookTransport } from '../../../sandbox/providers/simulix/SimulixWebhooks';
import { signatureHeader } from '../../../sandbox/providers/simulix/signWebhook';

const START = Date.UTC(2026, 4, 2, 14, 30);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const SECRET = 'ZWZxYjg4c2FuZGJveA==';

interface Sent {
  at: number;
  headers: Record<string, string>;
  body: string;
}

/** By default the wall clock reads the virtual one, so `t` and the schedule line up in these tests. */
function setup(answer: (n: number) => number | Error, wallClock?: () => number) {
  const clock = new VirtualClock({ speed: 0, startAt: START });
  const sent: Sent[] = [];
  const transport: WebhookTransport = async (_url, headers, body) => {
    sent.push({ at: clock.now(), headers, body });
    const reply = answer(sent.length);
    if (reply instanceof Error) throw reply;
    return { status: reply, body: '' };
  };
  const webhooks = new SimulixWebhooks({ clock, ids: new SimulixIds(3), transport, wallClock: wallClock ?? (() => clock.now()) });
  const enqueue = () =>
    webhooks.enqueue({ eventType: 'simulation.completed', simulationId: 'sim-1', organizationId: 'org_a', url: 'http://127.0.0.1:9/hook', secret: SECRET, created: clock.now(), data: '{"simulation_id":"sim-1"}' });
  return { clock, sent, webhooks, enqueue };
}

/** The reference's Python verifier, in TypeScript. */
function verify(body: string, header: string, secret: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.`).update(body).digest('hex');
  return expected === parts.v1;
}

describe('Simulix webhooks', () => {
  it('signs "t=<unix>,v1=<hex>" as HMAC-SHA256 of "{t}." + the raw body with the secret’s UTF-8 bytes', () => {
    const header = signatureHeader(SECRET, 1714000000, '{"a":1}');
    assert.equal(header, `t=1714000000,v1=${createHmac('sha256', Buffer.from(SECRET)).update('1714000000.{"a":1}').digest('hex')}`);
    assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
  });

  it('sends the event at once with the documented headers and an envelope around the data', async () => {
    const { sent, webhooks, enqueue } = setup(() => 204);
    const d = enqueue();
    await webhooks.idle();
    assert.equal(sent.length, 1);
    const [first] = sent;
    assert.equal(first.headers['X-Simulix-Event'], 'simulation.completed');
    assert.equal(first.headers['X-Simulix-Delivery-Id'], d.id);
    assert.equal(first.headers['Content-Type'], 'application/json');
    assert.ok(verify(first.body, first.headers['X-Simulix-Signature'], SECRET));
    assert.equal(first.headers['X-Simulix-Signature'].split(',')[0], `t=${START / 1000}`);
    const event = JSON.parse(first.body);
    assert.match(event.id, /^evt_[0-9a-f]{24}$/);
    assert.equal(event.type, 'simulation.completed');
    assert.equal(event.created, START / 1000);
    assert.deepEqual(event.data, { simulation_id: 'sim-1' });
    assert.equal(d.status, 'succeeded');
  });

  it('retries a failing receiver after 1 m, 5 m, 30 m, 2 h and 12 h, then gives up (six sends over 14.6 h)', async () => {
    const { clock, sent, webhooks, enqueue } = setup(() => 500);
    const d = enqueue();
    await webhooks.idle();
    const gaps = [MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR];
    for (const gap of gaps) {
      clock.advance(gap - 1);
      await webhooks.idle();
      const before = sent.length;
      assert.equal(d.status, 'pending');
      clock.advance(1);
      await webhooks.idle();
      assert.equal(sent.length, before + 1, `a retry exactly ${gap / MINUTE} min after the previous attempt`);
    }
    assert.deepEqual(
      sent.map((s) => (s.at - START) / MINUTE),
      [0, 1, 6, 36, 156, 876],
    );
    assert.equal((sent[5].at - START) / HOUR, 14.6);
    assert.equal(d.status, 'failed');
    assert.equal(d.nextAttemptAt, null);
    clock.advance(48 * HOUR);
    await webhooks.idle();
    assert.equal(sent.length, 6);
    assert.ok(new Set(sent.map((s) => s.headers['X-Simulix-Delivery-Id'])).size === 1, 'one delivery id on every attempt');
    assert.ok(new Set(sent.map((s) => s.body)).size === 1, 'the same bytes on every attempt');
    assert.deepEqual(
      sent.map((s) => s.headers['X-Simulix-Signature'].split(',')[0]),
      sent.map((s) => `t=${Math.floor(s.at / 1000)}`),
      'each attempt signed at its own time',
    );
    assert.ok(sent.every((s) => verify(s.body, s.headers['X-Simulix-Signature'], SECRET)));
  });

  it('signs with the wall clock’s time, not the virtual one, so receivers accept it however far the clock was advanced', async () => {
    const wall = Date.UTC(2026, 0, 1);
    const { clock, sent, webhooks, enqueue } = setup((n) => (n === 1 ? 500 : 200), () => wall);
    enqueue();
    await webhooks.idle();
    clock.advance(MINUTE);
    await webhooks.idle();
    assert.equal(sent.length, 2);
    assert.deepEqual(
      sent.map((s) => s.headers['X-Simulix-Signature'].split(',')[0]),
      [`t=${wall / 1000}`, `t=${wall / 1000}`],
    );
    assert.equal(sent[1].at - sent[0].at, MINUTE, 'while the schedule runs on the virtual clock');
    const old = await webhooks.sendManual(webhooks.deliveries[0], { ageSeconds: 360 });
    assert.equal(old.timestamp, wall / 1000 - 360);
  });

  it('treats a connection failure like a non-2xx and stops retrying after the first success', async () => {
    const { clock, sent, webhooks, enqueue } = setup((n) => (n === 1 ? new Error('connect ECONNREFUSED') : n === 2 ? 503 : 200));
    const d = enqueue();
    await webhooks.idle();
    assert.equal(d.attempts[0].error, 'connect ECONNREFUSED');
    assert.equal(d.nextAttemptAt, START + MINUTE);
    clock.advance(MINUTE);
    await webhooks.idle();
    assert.equal(d.attempts[1].responseStatus, 503);
    clock.advance(5 * MINUTE);
    await webhooks.idle();
    assert.equal(d.status, 'succeeded');
    clock.advance(24 * HOUR);
    await webhooks.idle();
    assert.equal(sent.length, 3);
  });

  it('sends manual variants without touching the schedule: replay, old timestamp, tampered, wrong secret, rotation, re-serialised', async () => {
    const { clock, sent, webhooks, enqueue } = setup(() => 200);
    const d = enqueue();
    await webhooks.idle();
    clock.advance(10 * MINUTE);
    const now = Math.floor(clock.now() / 1000);
    const replay = await webhooks.sendManual(d);
    assert.equal(replay.kind, 'manual');
    assert.ok(verify(sent[1].body, sent[1].headers['X-Simulix-Signature'], SECRET));
    assert.equal(sent[1].headers['X-Simulix-Delivery-Id'], d.id);
    assert.equal(replay.timestamp, now);

    await webhooks.sendManual(d, { timestamp: now - 360 });
    assert.equal(sent[2].headers['X-Simulix-Signature'].split(',')[0], `t=${now - 360}`);
    assert.ok(verify(sent[2].body, sent[2].headers['X-Simulix-Signature'], SECRET), 'validly signed, only old');

    await webhooks.sendManual(d, { signature: 'tampered' });
    await webhooks.sendManual(d, { signature: 'wrong_secret' });
    for (const s of sent.slice(3, 5)) {
      assert.match(s.headers['X-Simulix-Signature'], /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.equal(verify(s.body, s.headers['X-Simulix-Signature'], SECRET), false);
      assert.equal(verify(s.body, s.headers['X-Simulix-Signature'].toUpperCase().replace('T=', 't=').replace('V1=', 'v1='), SECRET), false);
    }

    await webhooks.sendManual(d, { signature: 'rotation' });
    const values = sent[5].headers['X-Simulix-Signature'].split(',').filter((p) => p.startsWith('v1='));
    assert.equal(values.length, 2);
    assert.ok(verify(sent[5].body, `t=${now},${values[1]}`, SECRET));
    assert.equal(verify(sent[5].body, `t=${now},${values[0]}`, SECRET), false);

    await webhooks.sendManual(d, { body: 'reserialized' });
    assert.notEqual(sent[6].body, d.body);
    assert.deepEqual(JSON.parse(sent[6].body), JSON.parse(d.body));
    assert.equal(verify(sent[6].body, sent[6].headers['X-Simulix-Signature'], SECRET), false, 'signed over the original bytes');
    assert.ok(verify(d.body, sent[6].headers['X-Simulix-Signature'], SECRET));

    assert.equal(d.status, 'succeeded');
    assert.equal(d.attempts.filter((a) => a.kind === 'scheduled').length, 1);
  });
});
