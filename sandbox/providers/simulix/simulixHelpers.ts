// What every Simulix route shares: the key → rate → scope check, the `{data, error, meta}` envelope and the
// simulation view.
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { SandboxResponse } from '../../http/SandboxResponse';
import type { SandboxContext } from '../ProviderModule';
import { SIMULIX_POLICY as P, type BuiltInKey, type Scope } from './simulixPolicy';
import type { Simulation, SimulixWorld } from './SimulixWorld';

export type SimulixHelpers = ReturnType<typeof simulixHelpers>;

export function simulixHelpers(ctx: SandboxContext, world: SimulixWorld) {
  const authorize = (req: SandboxRequest, scope: Scope): BuiltInKey => {
    const token = req.bearerToken();
    const challenge = (error: string) => ({ 'WWW-Authenticate': `Bearer realm="simulix", error="${error}"` });
    if (!token) throw ctx.httpError(401, { code: 'missing_api_key', message: 'Missing Authorization: Bearer <API key>' }, challenge('invalid_request'));
    const key = world.findKey(token);
    if (!key) throw ctx.httpError(401, { code: 'invalid_api_key', message: 'Invalid API key' }, challenge('invalid_token'));
    const taken = world.limiter.take(key.key);
    if (!taken.ok) {
      throw ctx.httpError(429, { code: 'rate_limited', message: `Too many requests: at most ${world.requestsPerMinute} per minute per API key; retry after ${taken.retryAfterSeconds} s` }, { 'Retry-After': String(taken.retryAfterSeconds) });
    }
    if (!key.scopes.includes(scope)) throw ctx.httpError(403, { code: 'insufficient_scope', message: `This API key lacks the ${scope} scope (it has: ${key.scopes.join(', ')})` });
    return key;
  };

  const envelope = (req: SandboxRequest, res: SandboxResponse, status: number, data: unknown, meta: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    res.json(status, { data, error: null, meta: { correlation_id: req.requestId, ...meta } }, headers);
  };

  const view = (s: Simulation) => {
    const at = world.now();
    const status = world.status(s, at);
    const terminal = status === 'completed' || status === 'failed';
    const ended = terminal ? iso(world.terminalAt(s)) : null;
    return {
      id: s.id,
      status,
      workflow_id: s.workflow.id,
      agent_count: s.agentCount,
      rounds: s.workflow.rounds,
      scenario_context: s.scenarioContext,
      callback_url: s.callbackUrl,
      webhook_subscribed: s.callbackUrl !== null,
      created_at: iso(s.createdAt),
      // A simulation failed while still queued never started.
      started_at: world.runningAt(s) <= Math.min(at, world.terminalAt(s)) ? iso(world.runningAt(s)) : null,
      completed_at: status === 'completed' ? ended : null,
      failed_at: status === 'failed' ? ended : null,
      failure_reason: status === 'failed' ? (s.failure?.reason ?? null) : null,
      estimated_completion_time_seconds: world.secondsRemaining(s, at),
      progress: { agents_completed: world.agentsCompleted(s, at), agent_count: s.agentCount },
      results_available: terminal,
      poll_url: `${ctx.baseUrl}/v1/simulations/${s.id}`,
    };
  };

  /** "While queued or running, sets a Retry-After: 5 header." */
  const pollHeaders = (s: Simulation): Record<string, string> => (world.inFlight(s) ? { 'Retry-After': String(P.pollRetryAfterSeconds) } : {});

  return { authorize, envelope, view, pollHeaders };
}

/** `2026-05-02T14:30:00Z`: whole seconds, as the reference's examples. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
