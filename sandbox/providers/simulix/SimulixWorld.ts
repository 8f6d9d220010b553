// Simulix state: organisations (tenants) and their API keys, simulations and their lifecycle on the virtual clock.
// A simulation's status is derived from its timestamps whenever someone looks (queued → running → completed, or
// failed when the control route says so); one clock timer per simulation fires at its terminal instant so the
// webhook goes out on its own, also on a paused clock moved with advance().
import type { VirtualClock } from '../../clock/VirtualClock';
import { TokenBucketLimiter } from '../../limits/TokenBucketLimiter';
import { agentResponses, pinnedDemographics, simulationSeed } from './generateResponses';
import { SimulixIds } from './SimulixIds';
import { BUILT_IN_KEYS, SIMULIX_POLICY as P, type BuiltInKey } from './simulixPolicy';
import type { Workflow } from './workflowCatalogue';

export interface SimulixWorldDeps {
  clock: VirtualClock;
  seed: number;
  /** The Simulix origin, for poll_url. */
  baseUrl: string;
  log?: (line: string) => void;
}

export interface Organization {
  id: string;
  /** Created on the organisation's first webhook-enabled POST and shown in that answer only. */
  webhookSecret?: string;
  webhookSecretIssuedAt?: number;
}

export type SimulationStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface Simulation {
  id: string;
  /** Creation order, the list's sort key (newest first). */
  seq: number;
  organizationId: string;
  workflow: Workflow;
  agentCount: number;
  scenarioContext: Record<string, unknown>;
  callbackUrl: string | null;
  /** The organisation's signing secret when the simulation was queued (its webhook is signed with it). */
  webhookSecret?: string;
  createdAt: number;
  /** Set by the control route: the run fails at `at` with this reason. */
  failure?: { at: number; reason: string };
  /** Set by the control route: what the results answer in place of the workflow id and the first agents. */
  planted?: { workflowId?: string; agentResponses: unknown[] };
  timer?: number;
}

export interface SimulationPage {
  items: Simulation[];
  nextCursor: string | null;
  hasMore: boolean;
}

export interface SimulationResults {
  simulation_id: string;
  workflow_id: string;
  status: 'completed' | 'failed';
  failure_reason?: string;
  results: { agent_count: number; agents_completed: number; rounds: number; agent_responses: unknown[] };
}

export class SimulixWorld {
  readonly keys: BuiltInKey[] = [...BUILT_IN_KEYS];
  readonly organizations = new Map<string, Organization>();
  readonly simulations: Simulation[] = [];
  readonly ids: SimulixIds;
  requestsPerMinute: number = P.requestsPerMinute;
  limiter: TokenBucketLimiter;
  /** Called once per simulation at its terminal instant (the webhook dispatcher listens). */
  onTerminal: (simulation: Simulation) => void = () => {};
  private seq = 0;
  /** Serialised results of the last few simulations asked for (a 10,000-agent result is a few MB). */
  private readonly resultCache = new Map<string, string>();

  constructor(readonly deps: SimulixWorldDeps) {
    this.ids = new SimulixIds(deps.seed);
    for (const key of this.keys) this.organization(key.organizationId);
    this.limiter = this.newLimiter();
  }

  now(): number {
    return this.deps.clock.now();
  }

  findKey(token: string): BuiltInKey | undefined {
    return this.keys.find((k) => k.key === token);
  }

  organization(id: string): Organization {
    let org = this.organizations.get(id);
    if (!org) this.organizations.set(id, (org = { id }));
    return org;
  }

  setRequestsPerMinute(perMinute: number): void {
    this.requestsPerMinute = perMinute;
    this.limiter = this.newLimiter();
  }

  private newLimiter(): TokenBucketLimiter {
    return new TokenBucketLimiter(this.deps.clock, { capacity: this.requestsPerMinute, refillPerSecond: this.requestsPerMinute / 60 });
  }

  // --- simulations ---

  /** Queues a simulation; `signingSecret` is set only when this POST created the organisation's webhook secret. */
  createSimulation(input: { organizationId: string; workflow: Workflow; agentCount: number; scenarioContext: Record<string, unknown>; callbackUrl: string | null }): {
    simulation: Simulation;
    signingSecret?: string;
  } {
    const at = this.now();
    const simulation: Simulation = { id: this.ids.uuidv7(at), seq: ++this.seq, createdAt: at, ...input };
    this.simulations.push(simulation);
    let signingSecret: string | undefined;
    if (input.callbackUrl !== null) {
      const org = this.organization(input.organizationId);
      if (org.webhookSecret === undefined) {
        org.webhookSecret = signingSecret = this.ids.signingSecret(org.id);
        org.webhookSecretIssuedAt = at;
      }
      simulation.webhookSecret = org.webhookSecret;
    }
    this.schedule(simulation);
    return { simulation, signingSecret };
  }

  find(organizationId: string, id: string): Simulation | undefined {
    return this.simulations.find((s) => s.id === id && s.organizationId === organizationId);
  }

  findAny(id: string): Simulation | undefined {
    return this.simulations.find((s) => s.id === id);
  }

  runningAt(s: Simulation): number {
    return s.createdAt + P.queuedMs;
  }

  /** When it would complete untouched: queued, then a base plus a slice per agent per round. */
  naturalEndAt(s: Simulation): number {
    return this.runningAt(s) + P.runningBaseMs + P.runningMsPerAgentRound * s.agentCount * s.workflow.rounds;
  }

  terminalAt(s: Simulation): number {
    return s.failure?.at ?? this.naturalEndAt(s);
  }

  status(s: Simulation, at = this.now()): SimulationStatus {
    if (at >= this.terminalAt(s)) return s.failure ? 'failed' : 'completed';
    return at < this.runningAt(s) ? 'queued' : 'running';
  }

  inFlight(s: Simulation, at = this.now()): boolean {
    return at < this.terminalAt(s);
  }

  /** Agents finished by `at`: linear over the running phase (a failed run keeps the ones done when it failed). */
  agentsCompleted(s: Simulation, at = this.now()): number {
    const end = Math.min(at, this.terminalAt(s));
    const start = this.runningAt(s);
    const span = this.naturalEndAt(s) - start;
    if (end <= start) return 0;
    return Math.min(s.agentCount, Math.floor((s.agentCount * (end - start)) / span));
  }

  /** Seconds until the natural end (0 once finished): what the POST's estimated_completion_time_seconds means. */
  secondsRemaining(s: Simulation, at = this.now()): number {
    if (!this.inFlight(s, at)) return 0;
    return Math.max(0, Math.ceil((this.naturalEndAt(s) - at) / 1000));
  }

  /** Makes a running or queued simulation fail at `share` of its running phase, or now if that has passed. False when
   *  it has already finished. */
  fail(s: Simulation, reason: string, options: { now?: boolean; share?: number } = {}): boolean {
    const at = this.now();
    if (at >= this.terminalAt(s)) return false;
    const share = options.share ?? P.defaultFailAtShare;
    const planned = this.runningAt(s) + share * (this.naturalEndAt(s) - this.runningAt(s));
    s.failure = { at: options.now ? at : Math.max(at, planned), reason };
    this.schedule(s);
    return true;
  }

  /** Undoes a planned failure that has not happened yet. */
  clearFailure(s: Simulation): boolean {
    if (!s.failure || this.now() >= s.failure.at) return false;
    s.failure = undefined;
    this.schedule(s);
    return true;
  }

  /** Newest first. `cursor` is the last id the caller saw; undefined when it is not one of this organisation's. */
  page(organizationId: string, cursor: string | null, limit: number): SimulationPage | undefined {
    const mine = this.simulations.filter((s) => s.organizationId === organizationId).sort((a, b) => b.seq - a.seq);
    let start = 0;
    if (cursor !== null) {
      const index = mine.findIndex((s) => s.id === cursor);
      if (index < 0) return undefined;
      start = index + 1;
    }
    const items = mine.slice(start, start + limit);
    const hasMore = start + limit < mine.length;
    return { items, hasMore, nextCursor: hasMore ? (items[items.length - 1]?.id ?? null) : null };
  }

  /** The results object (GET …/results `data` and the webhook's `data`), serialised once and cached. */
  resultsJson(s: Simulation): string {
    const cached = this.resultCache.get(s.id);
    if (cached !== undefined) return cached;
    const status = this.status(s);
    if (status !== 'completed' && status !== 'failed') throw new Error(`simulation ${s.id} is ${status}`);
    const completed = this.agentsCompleted(s);
    const pinned = pinnedDemographics(s.workflow, s.scenarioContext);
    const results: SimulationResults = {
      simulation_id: s.id,
      workflow_id: s.planted?.workflowId ?? s.workflow.id,
      status,
      ...(s.failure ? { failure_reason: s.failure.reason } : {}),
      results: {
        agent_count: s.agentCount,
        agents_completed: completed,
        rounds: s.workflow.rounds,
        agent_responses: withPlanted(agentResponses(s.workflow, simulationSeed(s.id), completed, pinned), s.planted?.agentResponses ?? []),
      },
    };
    const json = JSON.stringify(results);
    this.resultCache.set(s.id, json);
    while (this.resultCache.size > 4) this.resultCache.delete(this.resultCache.keys().next().value as string);
    return json;
  }

  /** Plants what the results answer (the control route); the cached results are made again. */
  plant(s: Simulation, planted: { workflowId?: string; agentResponses: unknown[] }): void {
    s.planted = planted;
    this.resultCache.delete(s.id);
  }

  private schedule(s: Simulation): void {
    const { clock } = this.deps;
    if (s.timer !== undefined) clock.clearTimer(s.timer);
    s.timer = undefined;
    const delay = this.terminalAt(s) - this.now();
    try {
      s.timer = clock.setTimer(() => {
        s.timer = undefined;
        this.onTerminal(s);
      }, Math.max(0, delay));
    } catch (error) {
      this.deps.log?.(`[simulix] cannot schedule ${s.id}: ${(error as Error).message}`);
    }
  }
}

function withPlanted(generated: unknown[], planted: unknown[]): unknown[] {
  return planted.length === 0 ? generated : [...planted, ...generated.slice(planted.length)];
}
