// Decides, per request, which faults the sandbox plays. Scripted steps come first: each matching request consumes
// the next step of the first script that still has one. Then the random FaultConfig applies, drawn from a seeded
// PRNG so a failing run can be replayed with the same seed. The control server never asks (it is not a service).
import { API_SERVICES, type ServiceName } from '../ServiceName';
import { FaultConfigSchema, FaultStepSchema, type FaultConfig, type FaultStep } from './FaultStep';
import { mulberry32 } from './mulberry32';

export const DEFAULT_FAULT_SEED = 0x5eed;
const DEFAULT_5XX = [500, 502, 503, 504];
export const DEFAULT_LATENCY_SPIKE_MS = 2000;
export const DEFAULT_RATE_LIMIT_BURST_SECONDS = 3;

/** What the injector played, by kind: random faults by their rate's name, scripted steps as `scripted-<kind>`. */
export type FaultTally = Record<string, number>;

interface Script {
  readonly provider: ServiceName | '*';
  readonly pathPrefix: string;
  readonly steps: FaultStep[];
}

export class FaultInjector {
  private config: FaultConfig = {};
  private scripts: Script[] = [];
  private random: () => number;
  /** Virtual ms at which each service's 429 burst ends. */
  private burstUntil = new Map<ServiceName, number>();
  private tally = new Map<string, number>();
  private delayedNow = 0;

  constructor(private readonly baseSeed: number = DEFAULT_FAULT_SEED, config?: FaultConfig) {
    this.random = mulberry32(baseSeed);
    if (config) this.configure(config);
  }

  /** Replaces the random fault config and restarts the PRNG (config.seed, else the sandbox seed), so the same config
   *  applied twice replays the same sequence. */
  configure(config: FaultConfig): void {
    this.config = FaultConfigSchema.parse(config);
    this.random = mulberry32(this.config.seed ?? this.baseSeed);
    this.burstUntil.clear();
  }

  /** Queues steps for requests to `provider` ('*' = every API service) whose path starts with `pathPrefix`. */
  script(provider: ServiceName | '*', pathPrefix: string, steps: FaultStep[]): void {
    this.scripts.push({ provider, pathPrefix, steps: steps.map((step) => FaultStepSchema.parse(step)) });
  }

  /** Removes scripts and the random config. */
  clear(): void {
    this.scripts = [];
    this.config = {};
    this.random = mulberry32(this.baseSeed);
    this.burstUntil.clear();
  }

  /** Faults played since the sandbox started or resetCounts(), by kind (a chaos run prints and checks these). */
  counts(): FaultTally {
    return Object.fromEntries([...this.tally].sort(([a], [b]) => a.localeCompare(b)));
  }

  resetCounts(): void {
    this.tally.clear();
  }

  /** Requests being held by a latency fault right now. A test driving a paused clock advances it when every request
   *  in flight is one of these: the server is waiting on virtual time, not working. */
  get delayed(): number {
    return this.delayedNow;
  }

  /** Called by the server around a latency fault's wait. */
  holdStarted(): void {
    this.delayedNow += 1;
  }

  holdEnded(): void {
    this.delayedNow -= 1;
  }

  snapshot(): { config: FaultConfig; scripts: Script[] } {
    return { config: { ...this.config }, scripts: this.scripts.map((s) => ({ ...s, steps: [...s.steps] })) };
  }

  /** The faults to play for one request, in order: latency steps delay it, the first other step answers it.
   *  `now` (virtual ms) times 429 bursts. */
  decide(service: ServiceName, path: string, now = 0): FaultStep[] {
    const scripted = this.nextScripted(service, path);
    if (scripted) {
      this.count(`scripted-${scripted.kind}`);
      return [scripted];
    }
    return this.drawRandom(service, path, now);
  }

  private count(kind: string): void {
    this.tally.set(kind, (this.tally.get(kind) ?? 0) + 1);
  }

  private nextScripted(service: ServiceName, path: string): FaultStep | undefined {
    const script = this.scripts.find((s) => s.steps.length > 0 && matchesService(s.provider, service) && path.startsWith(s.pathPrefix));
    const step = script?.steps.shift();
    this.scripts = this.scripts.filter((s) => s.steps.length > 0);
    return step;
  }

  private drawRandom(service: ServiceName, path: string, now: number): FaultStep[] {
    const c = this.config;
    const inScope = (c.providers ?? API_SERVICES).includes(service) && (!c.pathPrefixes || c.pathPrefixes.some((p) => path.startsWith(p)));
    if (!inScope) return [];
    const steps: FaultStep[] = c.latencyMs ? [{ kind: 'latency', ms: c.latencyMs }] : [];
    if (c.latencyMs) this.count('latency');
    // Drawn only when configured, so configs without spikes or bursts replay the sequences they always did.
    if (c.latencySpike && this.random() < c.latencySpike) {
      steps.push({ kind: 'latency', ms: c.latencySpikeMs ?? DEFAULT_LATENCY_SPIKE_MS });
      this.count('latency-spike');
    }
    const burstEnd = this.burstUntil.get(service);
    if (burstEnd !== undefined && now < burstEnd) {
      steps.push({ kind: 'retry-after-seconds', seconds: Math.ceil((burstEnd - now) / 1000) });
      this.count('429-burst');
      return steps;
    }
    const rates = [c.reset ?? 0, c.error5xx ?? 0, c.rateLimit429 ?? 0, c.malformedJson ?? 0, c.rateLimitBurst ?? 0];
    if (rates.every((rate) => rate === 0)) return steps;
    const failure = this.pick(this.random(), rates, service, now);
    if (failure) steps.push(failure);
    return steps;
  }

  private pick(draw: number, [reset, error5xx, rateLimit429, malformedJson, rateLimitBurst]: number[], service: ServiceName, now: number): FaultStep | undefined {
    let edge = reset;
    if (draw < edge) return this.counted('reset', { kind: 'reset' });
    if (draw < (edge += error5xx)) {
      const statuses = this.config.statuses5xx ?? DEFAULT_5XX;
      return this.counted('5xx', { kind: 'status', status: statuses[Math.floor(this.random() * statuses.length)] });
    }
    if (draw < (edge += rateLimit429)) return this.counted('429', { kind: 'retry-after-seconds', seconds: this.config.retryAfterSeconds ?? 1 });
    if (draw < (edge += malformedJson)) return this.counted('malformed-json', { kind: 'malformed-json' });
    if (draw < (edge += rateLimitBurst)) {
      const seconds = this.config.rateLimitBurstSeconds ?? DEFAULT_RATE_LIMIT_BURST_SECONDS;
      this.burstUntil.set(service, now + seconds * 1000);
      this.count('429-burst-start');
      return this.counted('429-burst', { kind: 'retry-after-seconds', seconds });
    }
    return undefined;
  }

  private counted(kind: string, step: FaultStep): FaultStep {
    this.count(kind);
    return step;
  }
}

function matchesService(target: ServiceName | '*', service: ServiceName): boolean {
  return target === '*' ? API_SERVICES.includes(service) : target === service;
}
