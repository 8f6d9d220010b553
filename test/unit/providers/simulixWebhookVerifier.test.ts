// The Simulix webhook verifier against SECURITY.md's webhook vectors: wrong secret, re-serialised body, timestamps
// 301 s old or ahead, duplicate ids, several v1 values, wrong-length signatures, unreadable headers.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { computeSignature, parseSignatureHeader, signaturesMatch, WebhookVerifier } from '../../../src/providers/simulix/webhookVerifier';

const SECRET = 'ZWZxYjg4c2VjcmV0LWZvci10ZXN0cy1vbmx5LTEyMzQ=';
const NOW_S = 1_714_000_000;
const body = Buffer.from(JSON.stringify({ id: 'evt_1', type: 'simulation.completed', created: NOW_S, data: { simulation_id: 'sim_1', status: 'completed' } }));

function sign(secret: string, t: number, payload: Buffer = body): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(Buffer.concat([Buffer.from(`${t}.`), payload])).digest('hex');
}

function verifier(nowS = NOW_S, remembered?: number) {
  return new WebhookVerifier({ secrets: [SECRET], now: () => nowS * 1000, rememberedDeliveries: remembered });
}

const delivery = (header: string | undefined, id = 'del_1', payload: Buffer = body) => ({ body: payload, signatureHeader: header, deliveryIdHeader: id });

describe('Simulix webhook verifier', () => {
  it('accepts a delivery signed over "{t}." + the raw body with the secret string as the key, and hands back the event', () => {
    const verdict = verifier().verify(delivery(`t=${NOW_S},v1=${sign(SECRET, NOW_S)}`));
    assert.equal(verdict.outcome, 'accepted');
    assert.equal(verdict.outcome === 'accepted' && verdict.eventId, 'evt_1');
    assert.equal(verdict.outcome === 'accepted' && (verdict.event.data as { simulation_id: string }).simulation_id, 'sim_1');
    assert.equal(computeSignature(SECRET, NOW_S, body), sign(SECRET, NOW_S));
  });

  it('rejects a signature made with another secret, and one over a re-serialised body', () => {
    assert.equal(verifier().verify(delivery(`t=${NOW_S},v1=${sign('another-secret', NOW_S)}`)).outcome, 'bad-signature');
    const pretty = Buffer.from(JSON.stringify(JSON.parse(body.toString()), null, 2));
    assert.equal(verifier().verify(delivery(`t=${NOW_S},v1=${sign(SECRET, NOW_S)}`, 'del_1', pretty)).outcome, 'bad-signature');
  });

  it('rejects timestamps 301 s old or 301 s ahead as stale, and accepts 300 s either way', () => {
    for (const offset of [-301, 301, -360]) {
      const t = NOW_S + offset;
      const verdict = verifier().verify(delivery(`t=${t},v1=${sign(SECRET, t)}`));
      assert.equal(verdict.outcome, 'stale', `offset ${offset}`);
    }
    for (const offset of [-300, 300]) {
      const t = NOW_S + offset;
      assert.equal(verifier().verify(delivery(`t=${t},v1=${sign(SECRET, t)}`)).outcome, 'accepted', `offset ${offset}`);
    }
  });

  it('ignores a repeated delivery id, and a repeated signed event id under a new delivery id', () => {
    const v = verifier();
    const header = `t=${NOW_S},v1=${sign(SECRET, NOW_S)}`;
    assert.equal(v.verify(delivery(header, 'del_1')).outcome, 'accepted');
    assert.equal(v.verify(delivery(header, 'del_1')).outcome, 'duplicate');
    assert.equal(v.verify(delivery(header, 'del_forged')).outcome, 'duplicate');
  });

  it('remembers a bounded number of deliveries, forgetting the oldest first', () => {
    const v = verifier(NOW_S, 2);
    const make = (n: number) => {
      const payload = Buffer.from(JSON.stringify({ id: `evt_${n}`, type: 'simulation.completed', data: { simulation_id: `s${n}` } }));
      return delivery(`t=${NOW_S},v1=${sign(SECRET, NOW_S, payload)}`, `del_${n}`, payload);
    };
    for (const n of [1, 2, 3]) assert.equal(v.verify(make(n)).outcome, 'accepted');
    assert.equal(v.verify(make(3)).outcome, 'duplicate');
    assert.equal(v.verify(make(1)).outcome, 'accepted', 'the oldest was forgotten');
  });

  it('does not remember a rejected delivery: the genuine one with that id is still accepted', () => {
    const v = verifier();
    assert.equal(v.verify(delivery(`t=${NOW_S},v1=${'0'.repeat(64)}`, 'del_1')).outcome, 'bad-signature');
    assert.equal(v.verify(delivery(`t=${NOW_S},v1=${sign(SECRET, NOW_S)}`, 'del_1')).outcome, 'accepted');
  });

  it('accepts when any of several v1 values matches (rotation), and with a retired secret still configured', () => {
    assert.equal(verifier().verify(delivery(`t=${NOW_S},v1=${sign('retired', NOW_S)},v1=${sign(SECRET, NOW_S)}`)).outcome, 'accepted');
    const both = new WebhookVerifier({ secrets: ['new-secret', SECRET], now: () => NOW_S * 1000 });
    assert.equal(both.verify(delivery(`t=${NOW_S},v1=${sign(SECRET, NOW_S)}`)).outcome, 'accepted');
  });

  it('returns bad-signature without throwing for wrong-length, non-hex and uppercase-mangled signatures', () => {
    const good = sign(SECRET, NOW_S);
    for (const v1 of [good.slice(0, 63), `${good}0`, 'zz', '', 'g'.repeat(64)]) {
      const verdict = verifier().verify(delivery(`t=${NOW_S},v1=${v1}`));
      assert.ok(verdict.outcome === 'bad-signature' || verdict.outcome === 'malformed', `${v1}: ${verdict.outcome}`);
    }
    assert.equal(signaturesMatch(good, good.toUpperCase()), true, 'hex compares by value');
    assert.equal(signaturesMatch(good, good.slice(2)), false);
  });

  it('calls missing or unreadable headers malformed', () => {
    const v = verifier();
    const sig = sign(SECRET, NOW_S);
    for (const header of [undefined, '', 'garbage', `v1=${sig}`, `t=${NOW_S}`, `t=abc,v1=${sig}`, `t=${NOW_S},t=${NOW_S},v1=${sig}`]) {
      assert.equal(v.verify(delivery(header)).outcome, 'malformed', String(header));
    }
    assert.equal(v.verify(delivery(`t=${NOW_S},v1=${sig}`, '')).outcome, 'malformed', 'no delivery id');
    const notJson = Buffer.from('not json');
    assert.equal(v.verify(delivery(`t=${NOW_S},v1=${sign(SECRET, NOW_S, notJson)}`, 'del_x', notJson)).outcome, 'malformed');
  });

  it('parses the header shape t=…,v1=… and ignores other schemes', () => {
    assert.deepEqual(parseSignatureHeader('t=1714000000,v1=abc,v0=old,v1=def'), { timestamp: 1714000000, signatures: ['abc', 'def'] });
  });

  it('refuses everything when no secret is configured', () => {
    const v = new WebhookVerifier({ secrets: [''], now: () => NOW_S * 1000 });
    assert.equal(v.verify(delivery(`t=${NOW_S},v1=${sign('', NOW_S)}`)).outcome, 'bad-signature');
  });
});
