// The WebhookListener on its own (real loopback sockets, a fake clock for the tolerance): answers per outcome, what it
// fires, and log lines that carry neither the secret, the signature nor a forged line from a crafted header.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { RedactingLogger } from '../../../src/core/log/RedactingLogger';
import { Redactor } from '../../../src/core/log/Redactor';
import { WebhookListener, type SimulixWebhookEvent } from '../../../src/providers/simulix/WebhookListener';
import { CapturingSink } from '../../support/CapturingSink';
import { FakeClock } from '../../support/FakeClock';

const SECRET = 'whsec-sentinel-0123456789abcdef0123456789abcdef';

describe('WebhookListener', () => {
  const clock = new FakeClock(Date.UTC(2026, 4, 2, 14, 30));
  const sink = new CapturingSink();
  const events: SimulixWebhookEvent[] = [];
  let listener: WebhookListener;
  let url = '';

  const post = async (body: string, headers: Record<string, string>) => (await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })).status;
  const signed = (body: string, t = Math.floor(clock.now() / 1000)) => `t=${t},v1=${createHmac('sha256', SECRET).update(`${t}.${body}`).digest('hex')}`;
  const event = (n: number, data: Record<string, unknown> = { simulation_id: `sim_${n}`, status: 'failed' }) => JSON.stringify({ id: `evt_${n}`, type: 'simulation.failed', created: 1, data });

  before(async () => {
    listener = new WebhookListener({ port: 0, secrets: [SECRET], clock, logger: new RedactingLogger(sink, new Redactor(), { level: 'trace' }) });
    listener.onDidReceive((e) => events.push(e));
    url = await listener.start();
  });
  after(async () => {
    await listener.close();
  });

  it('fires an accepted delivery once with its simulation, type, status and delivery id (204), then ignores its repeat (204)', async () => {
    const body = event(1);
    assert.equal(await post(body, { 'x-simulix-signature': signed(body), 'x-simulix-delivery-id': 'del_1', 'x-simulix-event': 'simulation.failed' }), 204);
    assert.equal(await post(body, { 'x-simulix-signature': signed(body), 'x-simulix-delivery-id': 'del_1' }), 204);
    assert.equal(events.length, 1);
    assert.deepEqual({ ...events[0], data: undefined }, { deliveryId: 'del_1', eventId: 'evt_1', eventType: 'simulation.failed', simulationId: 'sim_1', workflowId: undefined, status: 'failed', created: 1, data: undefined });
  });

  it('answers 400 for a bad signature, a stale or future timestamp, a missing header, and an event without a simulation id', async () => {
    const body = event(2);
    const now = Math.floor(clock.now() / 1000);
    assert.equal(await post(body, { 'x-simulix-signature': signed(`${body} `), 'x-simulix-delivery-id': 'del_2' }), 400);
    assert.equal(await post(body, { 'x-simulix-signature': signed(body, now - 301), 'x-simulix-delivery-id': 'del_2' }), 400);
    assert.equal(await post(body, { 'x-simulix-signature': signed(body, now + 301), 'x-simulix-delivery-id': 'del_2' }), 400);
    assert.equal(await post(body, { 'x-simulix-delivery-id': 'del_2' }), 400);
    assert.equal(await post(body, { 'x-simulix-signature': signed(body) }), 400);
    const noSim = event(3, { status: 'completed' });
    assert.equal(await post(noSim, { 'x-simulix-signature': signed(noSim), 'x-simulix-delivery-id': 'del_3' }), 400);
    assert.equal(events.length, 1);
    assert.equal(await post(body, { 'x-simulix-signature': signed(body), 'x-simulix-delivery-id': 'del_2' }), 204, 'the genuine one still passes');
    assert.equal(events.length, 2);
  });

  it('answers 404 to anything but a POST to its path', async () => {
    assert.equal((await fetch(url)).status, 404);
    assert.equal((await fetch(`${url}/x`, { method: 'POST', body: '{}' })).status, 404);
  });

  it('logs reasons and delivery ids, never the secret, a signature or the markup of a header', async () => {
    const body = event(4);
    const header = signed(body, Math.floor(clock.now() / 1000) - 400);
    await post(body, { 'x-simulix-signature': header, 'x-simulix-delivery-id': 'del_4 <script>[error] forged' });
    const text = sink.text;
    assert.match(text, /rejected \(stale, HTTP 400\)/);
    assert.ok(!text.includes(SECRET));
    assert.ok(!text.includes(header.split('v1=')[1] as string));
    assert.match(text, /delivery del_4\?\?script\?\?error\?\?forged/, 'only id-like characters of a header reach the log');
  });

  it('has a URL to give Simulix as callback_url', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/webhooks\/simulix$/);
  });
});
