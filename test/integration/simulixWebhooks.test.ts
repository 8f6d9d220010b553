// Simulix webhooks from the sandbox to the extension's WebhookListener over loopback: a real delivery updates the
// job state; a wrong signature, a timestamp six minutes old and a replayed delivery id are each turned away (and
// logged without the secret or the signature); the listener binds to loopback only and releases its port; a
// 10,000-agent completion arrives whole and exports 10,000 CSV rows.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import { JobStore } from '../../src/core/jobs/JobStore';
import { RedactingLogger } from '../../src/core/log/RedactingLogger';
import { Redactor } from '../../src/core/log/Redactor';
import { SimulixJobSource } from '../../src/providers/simulix/SimulixJobSource';
import { parseSimulixResults, toCsv } from '../../src/providers/simulix/simulixResults';
import { WebhookListener, type SimulixWebhookEvent, type SimulixWebhookRejection } from '../../src/providers/simulix/WebhookListener';
import { CapturingSink } from '../support/CapturingSink';
import { apiFor, control, dev, type Json, signal, startSimulixSandbox, waitFor } from './simulixSupport';

describe('Simulix webhooks to the WebhookListener', () => {
  let sb: Sandbox;
  let listener: WebhookListener;
  let url = '';
  let secret = '';
  const sink = new CapturingSink();
  const received: SimulixWebhookEvent[] = [];
  const rejected: SimulixWebhookRejection[] = [];
  const store = new JobStore();
  let source: SimulixJobSource;

  const api = () => apiFor(sb, dev.SIMULIX_DEV_API_KEY).api;
  const deliveryOf = async (simulationId: string): Promise<Json> => {
    const deliveries = (await control(sb, 'GET', `/deliveries?simulation_id=${simulationId}`)).body.deliveries as Json[];
    assert.equal(deliveries.length, 1);
    return deliveries[0] as Json;
  };
  const sendAgain = async (deliveryId: string, body: Json) => (await control(sb, 'POST', `/deliveries/${deliveryId}/send`, body)).body;

  before(async () => {
    sb = await startSimulixSandbox(63);
    listener = new WebhookListener({ port: 0, secrets: [], logger: new RedactingLogger(sink, new Redactor(), { level: 'debug' }) });
    listener.onDidReceive((event) => received.push(event));
    listener.onDidReject((rejection) => rejected.push(rejection));
    url = await listener.start();
    source = new SimulixJobSource({ api: api(), store, clock: sb.clock });
  });
  after(async () => {
    await listener.close();
    await sb.close();
  });

  it('receives a signed simulation.completed from the sandbox and the simulation shows finished at once', async () => {
    const created = await api().runSimulation({ workflow_id: 'cdc_nhis_smoking', agent_count: 50, callback_url: url }, signal());
    secret = created.webhook_signing_secret ?? '';
    assert.ok(secret, 'the first webhook-enabled POST carries the secret');
    listener.setSecrets([secret]);
    source.track(created);
    assert.equal(store.get('simulix', created.id)?.status, 'queued');

    sb.clock.advance(60_000);
    const event = await waitFor('the delivery', () => received.find((e) => e.simulationId === created.id));
    assert.equal(event.eventType, 'simulation.completed');
    assert.equal(event.status, 'completed');
    assert.match(event.eventId ?? '', /^evt_/);
    source.applyWebhook(event);
    assert.equal(store.get('simulix', created.id)?.status, 'succeeded');
    assert.ok(store.get('simulix', created.id)?.actions.includes('download'));
    assert.equal(parseSimulixResults(event.data).rows.length, 50, 'the event carries the results');

    const delivery = await deliveryOf(created.id);
    await waitFor('the attempt to be recorded', async () => (await deliveryOf(created.id)).status === 'succeeded');
    assert.equal(event.deliveryId, delivery.delivery_id);
    assert.equal((await deliveryOf(created.id)).attempts[0].response_status, 204, 'a 2xx ends Simulix’s retries');
  });

  it('rejects a wrong signature, a tampered one, a timestamp six minutes old and a re-serialised body with 400; a replayed delivery id is ignored', async () => {
    const created = await api().runSimulation({ workflow_id: 'cdc_nhis_smoking', agent_count: 20, callback_url: url }, signal());
    sb.clock.advance(60_000);
    await waitFor('the delivery', () => received.find((e) => e.simulationId === created.id));
    const delivery = await deliveryOf(created.id);
    const before = received.length;
    rejected.length = 0;

    assert.equal((await sendAgain(delivery.delivery_id, { signature: 'wrong_secret' })).response_status, 400);
    assert.equal((await sendAgain(delivery.delivery_id, { signature: 'tampered' })).response_status, 400);
    assert.equal((await sendAgain(delivery.delivery_id, { age_seconds: 360 })).response_status, 400);
    assert.equal((await sendAgain(delivery.delivery_id, { body: 'reserialized' })).response_status, 400);
    const replay = await sendAgain(delivery.delivery_id, {});
    assert.equal(replay.response_status, 204, 'a duplicate is acknowledged so Simulix stops retrying');
    assert.equal(received.length, before, 'none of them was processed');
    assert.deepEqual(rejected.map((r) => r.outcome), ['bad-signature', 'bad-signature', 'stale', 'bad-signature', 'duplicate']);

    const log = sink.text;
    assert.match(log, /rejected \(stale, HTTP 400\)/);
    assert.ok(!log.includes(secret), 'the secret is never logged');
    const delivered = (await deliveryOf(created.id)).attempts as Json[];
    for (const attempt of delivered) {
      const v1 = /v1=([0-9a-f]{64})/.exec(String(attempt.signature))?.[1] as string;
      assert.ok(!log.includes(v1), 'no signature is logged');
    }
  });

  it('verifies a rotation header where one of several v1 values is valid (a duplicate here, so 2xx, not 400)', async () => {
    const created = await api().runSimulation({ workflow_id: 'gss_happiness', agent_count: 5, callback_url: url }, signal());
    sb.clock.advance(60_000);
    await waitFor('the delivery', () => received.find((e) => e.simulationId === created.id));
    const delivery = await deliveryOf(created.id);
    rejected.length = 0;
    assert.equal((await sendAgain(delivery.delivery_id, { signature: 'rotation' })).response_status, 204);
    assert.deepEqual(rejected.map((r) => r.outcome), ['duplicate']);
  });

  it('binds to 127.0.0.1 only: other hosts are refused, and other interfaces cannot connect', async () => {
    assert.equal(listener.address?.address, '127.0.0.1');
    for (const host of ['0.0.0.0', '::', 'localhost', '192.168.1.10']) {
      assert.throws(() => new WebhookListener({ host, port: 0, secrets: ['s'] }), /127\.0\.0\.1 only/);
    }
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      const port = listener.address?.port as number;
      const status = await fetch(`http://${external.address}:${port}/webhooks/simulix`, { method: 'POST', body: '{}' }).then(
        (r) => r.status,
        (e: unknown) => String((e as { cause?: { code?: string } }).cause?.code ?? e),
      );
      assert.equal(status, 'ECONNREFUSED', `reachable on ${external.address}`);
    }
  });

  it('answers 404 off its path, 413 over its size cap, and releases the port on close()', async () => {
    assert.equal((await fetch(url.replace('/webhooks/simulix', '/other'), { method: 'POST', body: '{}' })).status, 404);
    const small = new WebhookListener({ port: 0, secrets: ['s'], maxBodyBytes: 1024 });
    const smallUrl = await small.start();
    const big = await fetch(smallUrl, { method: 'POST', body: 'x'.repeat(4096), headers: { 'x-simulix-delivery-id': 'd', 'x-simulix-signature': 't=1,v1=00' } }).then(
      (r) => r.status,
      () => 413,
    );
    assert.equal(big, 413);
    const port = small.address?.port as number;
    await small.close();
    assert.equal(small.listening, false);
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once('error', reject);
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
    });
  });

  it('receives a 10,000-agent completion whole: it parses into 10,000 agents and exports 10,000 CSV rows', async () => {
    const created = await api().runSimulation({ workflow_id: 'cdc_nhis_smoking', agent_count: 10_000, callback_url: url }, signal());
    source.track(created);
    sb.clock.advance(600_000);
    const event = await waitFor('the delivery', () => received.find((e) => e.simulationId === created.id), 30_000);
    source.applyWebhook(event);
    assert.equal(store.get('simulix', created.id)?.status, 'succeeded');
    const table = parseSimulixResults(event.data);
    assert.equal(table.rows.length, 10_000);
    assert.equal(toCsv(table).trimEnd().split('\r\n').length - 1, 10_000);
  });
});
