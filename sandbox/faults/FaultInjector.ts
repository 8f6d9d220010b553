// Decides, per request, which faults the sandbox plays. Scripted steps come first: each matching request consumes
// the next step of the first script that still has one. Then the random FaultConfig applies, drawn from a seeded
// PRNG so a failing run can be replayed with the same seed. The control server never asks (it is not a service).
import { API_SERVICES, type ServiceName } from '../ServiceName';
import { FaultConfigSchema, FaultStepSchema, type FaultConfig, type FaultStep } from './FaultStep';
import { mulberry32 } from './mulberry32';

export const DEFAULT_FAULT_SEED = 0x5eed;
const DEFAULT_5XX = [500, 502, 503, 504];

interface Script {
  readonly provider: ServiceName | '*';
  readonly pathPrefix: string;
  readonly steps: FaultStep[];
}

export class FaultInjector {
  private config: FaultConfig = {};
  private scripts: Script[] = [];
  private random: () => number;

  constructor(private readonly baseSeed: number = DEFAULT_FAULT_SEED, config?: FaultConfig) {
    this.random = mulberry32(baseSeed);
    if (config) this.configure(config);
  }

  /** Replaces the random fault config and restarts the PRNG (config.seed, else the sandbox seed), so the same config
   *  applied twice replays the same sequence. */
  configure(config: FaultConfig): void {
    this.config = FaultConfigSchema.parse(config);
    this.random = mulberry32(this.config.seed ?? this.baseSeed);
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
  }

  snapshot(): { config: FaultConfig; scripts: Script[] } {
    return { config: { ...this.config }, scripts: this.scripts.map((s) => ({ ...s, steps: [...s.steps] })) };
  }

  /** The faults to play for one request, in order: latency steps delay it, the first other step answers it. */
  decide(service: ServiceName, path: string): FaultStep[] {
    const scripted = this.nextScripted(service, path);
    if (scripted) return [scripted];
    return this.drawRandom(service, path);
  }

  private nextScripted(service: ServiceName, path: string): FaultStep | undefined {
    const script = this.scripts.find((s) => s.steps.length > 0 && matchesService(s.provider, service) && path.startsWith(s.pathPrefix));
    const step = script?.steps.shift();
    this.scripts = this.scripts.filter((s) => s.steps.length > 0);
    return step;
  }

  private drawRandom(service: ServiceName, path: string): FaultStep[] {
    const c = this.config;
    const inScope = (c.providers ?? API_SERVICES).includes(service) && (!c.pathPrefixes || c.pathPrefixes.some((p) => path.startsWith(p)));
    if (!inScope) return [];
    const steps: FaultStep[] = c.latencyMs ? [{ kind: 'latency', ms: c.latencyMs }] : [];
    const rates = [c.reset ?? 0, c.error5xx ?? 0, c.rateLimit429 ?? 0, c.malformedJson ?? 0];
    if (rates.every((rate) => rate === 0)) return steps;
    const failure = this.pick(this.random(), rates);
    if (failure) steps.push(failure);
    return steps;
  }

  private pick(draw: number, [reset, error5xx, rateLimit429, malformedJson]: number[]): FaultStep | undefined {
    let edge = reset;
    if (draw < edge) return { kind: 'reset' };
    if (draw < (edge += error5xx)) {
      const statuses = this.config.statuses5xx ?? DEFAULT_5XX;
      return { kind: 'status', status: statuses[Math.floor(this.random() * statuses.length)] };
    }
    if (draw < (edge += rateLimit429)) return { kind: 'retry-after-seconds', seconds: this.config.retryAfterSeconds ?? 1 };
    if (draw < (edge += malformedJson)) return { kind: 'malformed-json' };
    return undefined;
  }
}

function matchesService(target: ServiceName | '*', service: ServiceName): boolean {
  return target === '*' ? API_SERVICES.includes(service) : target === service;
}
