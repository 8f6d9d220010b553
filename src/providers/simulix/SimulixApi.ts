import { z } from 'zod';
import { ApiError } from '../../core/http/ApiError';
import type { HttpClient } from '../../core/http/HttpClient';
import { jsonBody } from '../../core/http/RequestBody';
import type { RetryOptions } from '../../core/http/retryPolicy';
import { formatDuration } from '../../core/http/errorMessage';
import { parseRetryAfter } from '../../core/http/retryAfter';
import { knownValues, optionalNumber, optionalString } from '../../core/http/schema';
import { PROVIDERS } from '../../core/providers/providerCatalog';
import { systemClock, type Clock } from '../../core/util/clock';

// Schemas follow ../shared/api/simulix.md. Every answer is the envelope `{data, error, meta: {correlation_id}}`;
// objects are loose (new fields pass) and the status uses knownValues (a new one shows as "unknown").

export const SIMULIX_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export const SIMULIX_SCOPES = ['simulations:write', 'simulations:read'] as const;
export type SimulixScope = (typeof SIMULIX_SCOPES)[number];
/** "current v1 ceiling: 10000" */
export const SIMULIX_AGENT_CEILING = 10_000;
/** "limit (1–100, default 50)" */
export const SIMULIX_MAX_PAGE_LIMIT = 100;

export const simulixSimulationSchema = z.looseObject({
  id: z.string().min(1),
  status: knownValues(SIMULIX_STATUSES),
  workflow_id: optionalString,
  agent_count: optionalNumber,
  rounds: optionalNumber,
  scenario_context: z.record(z.string(), z.unknown()).nullish(),
  callback_url: optionalString,
  webhook_subscribed: z.boolean().nullish(),
  created_at: optionalString,
  started_at: optionalString,
  completed_at: optionalString,
  failed_at: optionalString,
  failure_reason: optionalString,
  estimated_completion_time_seconds: optionalNumber,
  progress: z.looseObject({ agents_completed: optionalNumber, agent_count: optionalNumber }).nullish(),
  results_available: z.boolean().nullish(),
  poll_url: optionalString,
});
export type SimulixSimulation = z.infer<typeof simulixSimulationSchema>;

/** The 202 of POST: the simulation plus, on the organisation's first webhook-enabled POST only, the signing secret. */
export const simulixCreatedSchema = simulixSimulationSchema.extend({ webhook_signing_secret: optionalString });
export type SimulixCreatedSimulation = z.infer<typeof simulixCreatedSchema>;

/** Per-agent results, loosely: simulixResults.ts normalises them (answers may be strings or numbers). */
export const simulixResultsSchema = z.looseObject({
  simulation_id: optionalString,
  workflow_id: optionalString,
  status: knownValues(SIMULIX_STATUSES).nullish(),
  failure_reason: optionalString,
  results: z.looseObject({
    agent_count: optionalNumber,
    agents_completed: optionalNumber,
    rounds: optionalNumber,
    agent_responses: z.array(z.unknown()),
  }),
});
export type SimulixResults = z.infer<typeof simulixResultsSchema>;

const metaSchema = z.looseObject({ correlation_id: optionalString, next_cursor: optionalString, has_more: z.boolean().nullish() }).nullish();

function envelope<T extends z.ZodType>(data: T) {
  return z.looseObject({ data, error: z.unknown().optional(), meta: metaSchema });
}

/** One page of the list; unreadable items are counted, never fatal (one bad record must not hide the rest). */
const listEnvelope = envelope(z.array(z.unknown())).transform((body) => {
  const items: SimulixSimulation[] = [];
  let skipped = 0;
  for (const raw of body.data) {
    const parsed = simulixSimulationSchema.safeParse(raw);
    if (parsed.success) items.push(parsed.data);
    else skipped += 1;
  }
  return { items, skipped, nextCursor: body.meta?.next_cursor ?? undefined, hasMore: body.meta?.has_more === true, requestId: body.meta?.correlation_id ?? undefined };
});

export interface SimulixPage {
  readonly items: SimulixSimulation[];
  readonly skipped: number;
  /** Pass as `cursor` for the next page; undefined when the server gave none. */
  readonly nextCursor?: string;
  readonly hasMore: boolean;
  readonly requestId?: string;
}

export interface SimulixStatusReading {
  readonly simulation: SimulixSimulation;
  /** The Retry-After the server sent with it (5 s while queued or running), in ms; undefined when none. */
  readonly retryAfterMs?: number;
  readonly requestId?: string;
}

export interface RunSimulationRequest {
  workflow_id: string;
  agent_count: number;
  scenario_context?: Record<string, unknown>;
  callback_url?: string;
}

/**
 * The reference documents no idempotency key, so POST /v1/simulations is sent exactly once: a replay after a lost
 * answer could queue (and bill) the simulation twice.
 */
const SEND_ONCE: Partial<RetryOptions> = { maxAttempts: 1 };

interface CallContext {
  /** "run the simulation": what the user was doing, for the error. */
  readonly what: string;
  readonly scope: SimulixScope;
  /** The call creates work: an ambiguous network failure must not invite a blind retry. */
  readonly creates?: boolean;
}

const WHO = { provider: 'simulix', serviceName: PROVIDERS.simulix.displayName } as const;

/** Simulix REST API (../shared/api/simulix.md): every endpoint, through the project's HttpClient. */
export class SimulixApi {
  private readonly clock: Clock;

  constructor(
    private readonly http: HttpClient,
    options: { clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
  }

  /** POST /v1/simulations (202). Sent once. Keep `webhook_signing_secret` at once when present: it is never shown again. */
  async runSimulation(request: RunSimulationRequest, signal: AbortSignal): Promise<SimulixCreatedSimulation> {
    const body: Record<string, unknown> = { workflow_id: request.workflow_id, agent_count: request.agent_count };
    if (request.scenario_context !== undefined) body.scenario_context = request.scenario_context;
    if (request.callback_url !== undefined && request.callback_url !== '') body.callback_url = request.callback_url;
    return this.call({ what: 'run the simulation', scope: 'simulations:write', creates: true }, async () => {
      const response = await this.http.request({ method: 'POST', url: '/v1/simulations', body: jsonBody(body), retry: SEND_ONCE, response: 'json', schema: envelope(simulixCreatedSchema), signal });
      return response.body.data;
    });
  }

  /** GET /v1/simulations?cursor=&limit=: one page, newest first. */
  async listSimulations(options: { cursor?: string; limit?: number }, signal: AbortSignal): Promise<SimulixPage> {
    return this.call({ what: 'list simulations', scope: 'simulations:read' }, async () => {
      const response = await this.http.request({ url: '/v1/simulations', query: { cursor: options.cursor, limit: options.limit }, response: 'json', schema: listEnvelope, signal });
      return response.body;
    });
  }

  /**
   * GET /v1/simulations/{id}: the status, with the server's Retry-After (honour it before asking again). `sendOnce`
   * turns off the HTTP core's own retries (whose backoff starts under a second): a poller that spaces its questions
   * per simulation handles failures itself.
   */
  async getSimulation(id: string, signal: AbortSignal, options: { sendOnce?: boolean } = {}): Promise<SimulixStatusReading> {
    return this.call({ what: 'read the simulation', scope: 'simulations:read' }, async () => {
      const response = await this.http.request({ url: `/v1/simulations/${seg(id)}`, retry: options.sendOnce ? SEND_ONCE : undefined, response: 'json', schema: envelope(simulixSimulationSchema), signal });
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.clock.now());
      return { simulation: response.body.data, retryAfterMs, requestId: response.body.meta?.correlation_id ?? response.requestId };
    });
  }

  /** GET /v1/simulations/{id}/results: 409 simulation_not_complete until results_available. */
  async getResults(id: string, signal: AbortSignal): Promise<SimulixResults> {
    return this.call({ what: 'read the results', scope: 'simulations:read' }, async () => {
      const response = await this.http.request({ url: `/v1/simulations/${seg(id)}/results`, response: 'json', schema: envelope(simulixResultsSchema), signal });
      return response.body.data;
    });
  }

  /** The cheapest authenticated call (the reference has no "me"): one item of the list. Used to check a key at sign-in. */
  async verifyKey(signal: AbortSignal): Promise<void> {
    await this.listSimulations({ limit: 1 }, signal);
  }

  private async call<T>(context: CallContext, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw explainSimulixError(error, context);
    }
  }
}

/** Words a Simulix refusal: which scope a key lacks, the plan ceiling, what is missing, when to retry. */
export function explainSimulixError(error: unknown, context: CallContext): unknown {
  if (!ApiError.is(error)) return error;
  if (context.creates && (error.kind === 'network' || error.kind === 'timeout')) {
    return error.withNextStep(`It is not known whether it was queued (Sim Cloud does not send it twice, which could run it twice): refresh the simulations list and check before you ${context.what} again.`, WHO);
  }
  if (error.kind !== 'http' && error.kind !== 'deadline') return error;
  const step = nextStepFor(error, context);
  return step === undefined ? error : error.withNextStep(step, WHO);
}

export type { CallContext as SimulixCallContext };

function nextStepFor(error: ApiError, context: CallContext): string | undefined {
  switch (error.code) {
    case 'missing_api_key':
      return 'No API key was sent: sign in with a Simulix API key.';
    case 'invalid_api_key':
      return 'The API key was not accepted (revoked or mistyped): sign in again with a valid Simulix key.';
    case 'insufficient_scope':
      return scopeStep(error, context);
    case 'workflow_not_found':
      return 'No published workflow has that id: check the workflow id (the published workflows are listed in the Simulix API reference).';
    case 'simulation_not_found':
      return 'The simulation was not found: it may belong to another organization or the id is mistyped. Refresh the list.';
    case 'simulation_not_complete':
      return 'The simulation is still queued or running: results can be read once it has finished (results available). Sim Cloud keeps polling it; try again then.';
    case 'agent_count_exceeds_plan':
      return `The agent count is over your plan's ceiling (Simulix v1: at most ${SIMULIX_AGENT_CEILING.toLocaleString('en-US')} agents): lower the agent count to ${SIMULIX_AGENT_CEILING.toLocaleString('en-US')} or fewer, or split the run.`;
    case 'rate_limited':
      return `Too many requests for this API key: wait ${error.retryAfterMs !== undefined ? formatDuration(error.retryAfterMs) : 'a minute'} (the server's Retry-After) and try again.`;
    case 'invalid_cursor':
      return 'The list position is no longer valid: refresh the simulations list.';
  }
  if (error.status === 401) return 'The API key was not accepted: sign in again with a valid Simulix key.';
  if (error.status === 403) return scopeStep(error, context);
  if (error.status === 400) return 'Check the values you entered (the server names the field); if they look right, report this with the request id.';
  if (error.status !== undefined && error.status >= 500) return 'Simulix had a server error: try again later, and quote the request id if it keeps happening.';
  return undefined;
}

function scopeStep(error: ApiError, context: CallContext): string {
  const named = /\bsimulations:(read|write)\b/i.exec(error.serverMessage ?? '')?.[0]?.toLowerCase();
  const scope = named ?? context.scope;
  return `The API key lacks the ${scope} scope, so it cannot ${context.what}: create a key with ${scope} in Simulix's API key settings, then sign in with it.`;
}

/** Server-given ids always travel as one encoded path segment. */
function seg(id: string): string {
  return encodeURIComponent(id);
}
