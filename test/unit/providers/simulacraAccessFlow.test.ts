// Request Access: polls with jittered exponential backoff on the injected clock, claims once, persists first.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AccessDeclinedError, AccessTimeoutError, backoffDelayMs, DEFAULT_ACCESS_BACKOFF, requestAndClaimAccess, type AccessApi, type SimulacraCredential } from '../../../src/providers/simulacra/accessFlow';
import type { AccessRequest } from '../../../src/providers/simulacra/SimulacraApi';
import { FakeClock } from '../../support/FakeClock';

function fakeApi(statuses: AccessRequest[]): AccessApi & { calls: string[] } {
  const calls: string[] = [];
  let i = 0;
  return {
    calls,
    requestAccess: async () => {
      calls.push('signup');
      return { request_id: 'req_abc', status: 'pending', created: true };
    },
    getAccessRequest: async (id) => {
      calls.push(`poll ${id}`);
      return statuses[Math.min(i++, statuses.length - 1)];
    },
    claimCredential: async (token) => {
      calls.push(`claim ${token}`);
      return { client_id: 'cid', client_secret: 'secret_value', token_url: 'https://auth.example/oauth/token', audience: 'https://api.example' };
    },
  };
}

describe('Simulacra access flow', () => {
  it('backs off exponentially with jitter between 2 s and the cap', () => {
    const delays = [0, 1, 2, 3, 10].map((n) => backoffDelayMs(n, DEFAULT_ACCESS_BACKOFF, () => 1));
    assert.deepEqual(delays, [2_000, 4_000, 8_000, 16_000, 60_000]);
    assert.equal(backoffDelayMs(0, DEFAULT_ACCESS_BACKOFF, () => 0), 1_000);
  });

  it('polls until approved, claims once, and persists the secret before returning', async () => {
    const clock = new FakeClock();
    const api = fakeApi([{ request_id: 'req_abc', status: 'pending' }, { request_id: 'req_abc', status: 'approved', client_id: 'cid', credential_claim_token: 'claim_1' }]);
    const order: string[] = [];
    const flow = requestAndClaimAccess({ company: 'Acme', email: 'a@b.c' }, {
      api,
      clock,
      signal: new AbortController().signal,
      random: () => 1,
      persist: async (c: SimulacraCredential) => {
        order.push(`persist ${c.clientSecret}`);
      },
    });
    await clock.advance(2_000);
    await clock.advance(4_000);
    const credential = await flow;
    assert.deepEqual(api.calls, ['signup', 'poll req_abc', 'poll req_abc', 'claim claim_1']);
    assert.deepEqual(order, ['persist secret_value']);
    assert.deepEqual(credential, { clientId: 'cid', clientSecret: 'secret_value', tokenUrl: 'https://auth.example/oauth/token', audience: 'https://api.example' });
    assert.deepEqual(clock.requestedSleeps, [2_000, 4_000]);
  });

  it('stops at declined, and at the deadline with the request id to resume', async () => {
    const clock = new FakeClock();
    const declined = assert.rejects(requestAndClaimAccess({ company: 'A', email: 'a@b.c' }, { api: fakeApi([{ request_id: 'req_abc', status: 'declined' }]), clock, signal: new AbortController().signal, random: () => 1, persist: async () => undefined }), AccessDeclinedError);
    await clock.advance(2_000);
    await declined;

    const pending = fakeApi([{ request_id: 'req_abc', status: 'pending' }]);
    const timedOut = assert.rejects(requestAndClaimAccess({ company: 'A', email: 'a@b.c' }, { api: pending, clock, signal: new AbortController().signal, random: () => 1, backoff: { deadlineMs: 10_000 }, persist: async () => undefined }), (error: unknown) => error instanceof AccessTimeoutError && /req_abc/.test(error.message));
    await clock.advance(2_000);
    await clock.advance(4_000);
    await timedOut;
    assert.ok(!pending.calls.some((c) => c.startsWith('claim')));
  });
});
