import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/core/http/ApiError';
import type { Resource } from '../../../src/core/jobs/Resource';
import { cyberneticSessionSchema } from '../../../src/providers/cybernetic/CyberneticApi';
import { sessionToResource } from '../../../src/providers/cybernetic/cyberneticResources';
import { isBudgetRefusal } from '../../../src/ui/cybernetic/sessions/budgetRefusal';
import { GPU_CATALOG, parseMinutes, worstCaseCost } from '../../../src/ui/cybernetic/sessions/gpuCatalog';
import { sessionEndsAt, sessionsToWarn } from '../../../src/ui/cybernetic/sessions/sessionTiming';
import { toViewerSession } from '../../../src/ui/cybernetic/sessions/viewerSession';
import { ViewerSession } from '../../../src/shared/cyberneticViewerProtocol';

const START = Date.parse('2026-11-27T10:00:00Z');
const MIN = 60_000;

function session(fields: Record<string, unknown>) {
  return cyberneticSessionSchema.parse({ sessionId: 'sess_1', status: 'running', gpuSpec: 'RTX_4090', costPerHour: 0.85, maxRuntimeMinutes: 60, startedAt: new Date(START).toISOString(), access: { viewerUrl: 'http://127.0.0.1:4104/_viewer/sess_1?token=SECRET' }, ...fields });
}

function resource(fields: Record<string, unknown>, now = START): Resource {
  return sessionToResource(session(fields), now);
}

describe('Start Isaac Sim Session form', () => {
  it('quotes the most a session can cost: price × max runtime, in cents', () => {
    assert.equal(worstCaseCost(0.85, 240), 3.4);
    assert.equal(worstCaseCost(3.2, 90), 4.8);
    assert.equal(worstCaseCost(1.4, 1), 0.02);
    assert.deepEqual(GPU_CATALOG.map((g) => g.spec), ['RTX_4090', 'L40S', 'A100_80GB', 'H100']);
    assert.equal(GPU_CATALOG[0].costPerHour, 0.85, 'the reference example price');
  });

  it('accepts whole minutes within the bounds only', () => {
    assert.equal(parseMinutes(' 240 ', 1, 1440), 240);
    for (const bad of ['0', '1441', '1.5', '-3', '', 'ten', '1e3']) assert.equal(parseMinutes(bad, 1, 1440), undefined, bad);
  });
});

describe('session timing', () => {
  it('ends at expiresAt when given, else at start + max runtime, and not before it started', () => {
    assert.equal(sessionEndsAt({ startedAt: new Date(START).toISOString(), maxRuntimeMinutes: 60 }), START + 60 * MIN);
    assert.equal(sessionEndsAt({ expiresAt: new Date(START + 5 * MIN).toISOString(), startedAt: new Date(START).toISOString(), maxRuntimeMinutes: 60 }), START + 5 * MIN);
    assert.equal(sessionEndsAt({ startedAt: null, maxRuntimeMinutes: 60 }), undefined);
    assert.equal(sessionEndsAt(undefined), undefined);
  });

  it('warns once per running session inside the lead time, never for stopped ones or when turned off', () => {
    const sessions = [resource({}), resource({ sessionId: 'sess_2', maxRuntimeMinutes: 240 }), resource({ sessionId: 'sess_3', status: 'stopped' })];
    const at = START + 52 * MIN;
    assert.deepEqual(sessionsToWarn(sessions, at, 10, new Set()).map((d) => [d.resource.id, d.msLeft]), [['sess_1', 8 * MIN]]);
    assert.deepEqual(sessionsToWarn(sessions, at, 10, new Set(['sess_1'])), [], 'already warned');
    assert.deepEqual(sessionsToWarn(sessions, START + 40 * MIN, 10, new Set()), [], 'not yet');
    assert.deepEqual(sessionsToWarn(sessions, START + 61 * MIN, 10, new Set()), [], 'past the limit: the server stops it');
    assert.deepEqual(sessionsToWarn(sessions, at, 0, new Set()), [], 'off');
  });
});

describe('viewer session', () => {
  it('maps the API record onto the toolbar, without the viewer URL', () => {
    const info = toViewerSession(session({ costEstimateUsd: 0.42, idleTimeoutMinutes: 30 }), START + MIN);
    assert.deepEqual(info, { sessionId: 'sess_1', status: 'running', phase: 'running', gpu: 'RTX_4090', costPerHour: 0.85, costUsd: 0.42, costAsOf: START + MIN, endsAt: START + 60 * MIN, idleTimeoutMinutes: 30 });
    assert.doesNotMatch(JSON.stringify(info), /SECRET|viewer/);
  });

  it('shortens long server words so the page schema accepts the record', () => {
    const info = toViewerSession(session({ status: 'x'.repeat(500), gpuSpec: 'G'.repeat(500) }), START);
    assert.equal(ViewerSession.safeParse(info).success, true);
    assert.equal(info.status.length, 100);
  });

  it('waits while queued or starting, and shows the end (with its reason) once stopped', () => {
    assert.equal(toViewerSession(session({ status: 'queued', startedAt: null }), START).phase, 'waiting');
    assert.equal(toViewerSession(session({ status: 'starting', startedAt: null }), START).phase, 'waiting');
    const stopped = toViewerSession(session({ status: 'stopped', stopReason: 'idle_timeout' }), START);
    assert.equal(stopped.phase, 'ended');
    assert.equal(stopped.stopReason, 'idle_timeout');
    assert.equal(toViewerSession(session({ status: 'rebooting' }), START).phase, 'waiting', 'an unknown status waits rather than streams');
  });
});

describe('budget refusals', () => {
  const refusal = (status: number, code: string) => new ApiError({ kind: 'http', method: 'POST', url: 'http://127.0.0.1/v1/sessions', status, code, retryable: false, provider: 'cybernetic' });

  it('gets a Show Budget button for a spending limit, not for a scope, a bad GPU or a network failure', () => {
    assert.equal(isBudgetRefusal(refusal(422, 'daily_limit_exceeded')), true);
    assert.equal(isBudgetRefusal(refusal(422, 'monthly_budget_exceeded')), true);
    assert.equal(isBudgetRefusal(refusal(402, 'payment_required')), true);
    assert.equal(isBudgetRefusal(refusal(403, 'insufficient_scope')), false);
    assert.equal(isBudgetRefusal(refusal(422, 'unknown_gpu_spec')), false);
    assert.equal(isBudgetRefusal(new ApiError({ kind: 'network', method: 'POST', url: 'http://127.0.0.1/v1/sessions', code: 'ECONNRESET', retryable: true })), false);
    assert.equal(isBudgetRefusal(new Error('daily_limit_exceeded')), false);
  });
});
