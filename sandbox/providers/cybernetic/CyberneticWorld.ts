// Cybernetic Physics state: API keys with scopes, one personal workspace, sessions and Eureka runs. Nothing ticks:
// every status, cost and log line is derived from timestamps on the VirtualClock when someone looks (settle()).
import { createHash, randomBytes } from 'node:crypto';
import * as dev from '../../config/devCredentials';
import type { SandboxContext } from '../ProviderModule';
import { CYBERNETIC_POLICY as P, SCOPES, type Scope } from './cyberneticPolicy';

export const WORKSPACE_ID = 'ws_sandbox_personal';

export interface ApiKey {
  id: string;
  name: string;
  key: string;
  scopes: Scope[];
  createdAt: number;
  revokedAt?: number;
  /** Dev keys are fixed and cannot be revoked. */
  builtIn: boolean;
}

export interface Session {
  sessionId: string;
  gpuSpec: string;
  costPerHour: number;
  maxRuntimeMinutes: number;
  idleTimeoutMinutes: number;
  envId: string | null;
  baseVersionId: string | null;
  fromSessionId: string | null;
  createdAt: number;
  lastActivityAt?: number;
  stoppedAt?: number;
  stopReason?: 'user' | 'max_runtime' | 'idle_timeout';
  viewerToken: string;
}

export interface EurekaRun {
  jobId: string;
  taskId: string;
  rlLibrary: 'rl_games' | 'rsl_rl';
  maxTrainingIterations: number;
  numParallelRuns: number;
  seed: number | null;
  envId: string | null;
  notes: string | null;
  createdAt: number;
  cancelledAt?: number;
  logs: string[];
  naturalLines: number;
  finalLogged: boolean;
  /** Set by the control route: what the run's record answers in place of its task id, and an error text. */
  planted?: { taskId?: string; error?: string };
}

export interface Budget {
  monthlyBudgetUsd: number;
  dailyLimitUsd: number;
  alertThresholdPercent: number;
}

export interface EnvVersion {
  versionId: string;
  envId: string;
  version: number;
  notes: string | null;
  rootStageRelpath: string;
  /** Object key of the USD bundle in S3. */
  key: string;
  source: 'upload' | 'session';
  sessionId: string | null;
  createdAt: number;
}

export interface Env {
  envId: string;
  name: string;
  description: string | null;
  createdAt: number;
  versions: EnvVersion[];
}

export interface Upload {
  uploadId: string;
  inputKind: 'photos' | 'video';
  prefix: string;
  files: Array<{ name: string; size: number; contentType: string; key: string }>;
  createdAt: number;
}

export interface ReconJob {
  jobId: string;
  uploadId: string;
  inputKind: 'photos' | 'video';
  config: { extractFps: number | null; maxResolution: number; exportUsdz: boolean };
  costGuardrails: { maxRuntimeMinutes: number; maxHourlyPrice: number | null; gpuMinVram: number };
  gpuSpec: string;
  costPerHour: number;
  estimateMinutes: number;
  /** The real run takes this long (a little under the estimate). */
  actualMs: number;
  createdAt: number;
  cancelledAt?: number;
  artifactsWritten: boolean;
}

export type SessionStatus = 'queued' | 'starting' | 'running' | 'stopped';
export type RunStatus = 'queued' | 'running' | 'completed' | 'cancelled';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export class CyberneticWorld {
  readonly keys: ApiKey[] = [];
  readonly sessions: Session[] = [];
  readonly runs: EurekaRun[] = [];
  readonly envs: Env[] = [];
  readonly uploads: Upload[] = [];
  readonly jobs: ReconJob[] = [];
  budget: Budget = { ...P.defaultBudget };
  private counter = 0;

  constructor(readonly ctx: SandboxContext) {
    const builtIn = (name: string, key: string, scopes: readonly Scope[]) =>
      this.keys.push({ id: `key_${name}`, name, key, scopes: [...scopes], createdAt: ctx.clock.now(), builtIn: true });
    builtIn('sandbox-dev', dev.CYBERNETIC_DEV_API_KEY, SCOPES);
    builtIn('sandbox-readonly', dev.CYBERNETIC_READONLY_API_KEY, ['sessions:read', 'isaac:read', 'jobs:read']);
    builtIn('sandbox-sessions', dev.CYBERNETIC_SESSIONS_API_KEY, ['sessions:read', 'sessions:write']);
    builtIn('sandbox-mcp', dev.CYBERNETIC_MCP_API_KEY, ['sessions:write', 'isaac:execute']);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  /** A short id, deterministic per sandbox seed and call order. */
  id(prefix: string): string {
    const hex = createHash('sha256').update(`${this.ctx.seed}:${++this.counter}:${prefix}`).digest('hex').slice(0, 16);
    return `${prefix}_${hex}`;
  }

  findKey(token: string): ApiKey | undefined {
    return this.keys.find((k) => k.key === token && k.revokedAt === undefined);
  }

  createKey(name: string, scopes: Scope[]): ApiKey {
    // `cp_live_sbx_…`: never matches the repo's production-key guard (underscore after three characters).
    const key: ApiKey = { id: this.id('key'), name, key: `cp_live_sbx_${randomBytes(16).toString('hex')}`, scopes, createdAt: this.now(), builtIn: false };
    this.keys.push(key);
    return key;
  }

  // --- sessions ---

  runningAt(s: Session): number {
    return s.createdAt + P.sessionQueuedMs + P.sessionStartingMs;
  }

  /** Stops a session whose runtime or idle timeout has passed, at the moment it passed. */
  settleSession(s: Session, at: number): void {
    if (s.stoppedAt !== undefined) return;
    const running = this.runningAt(s);
    const runtimeEnd = running + s.maxRuntimeMinutes * 60_000;
    const idleEnd = Math.max(running, s.lastActivityAt ?? running) + s.idleTimeoutMinutes * 60_000;
    const end = Math.min(runtimeEnd, idleEnd);
    if (at >= end) {
      s.stoppedAt = end;
      s.stopReason = runtimeEnd <= idleEnd ? 'max_runtime' : 'idle_timeout';
    }
  }

  sessionStatus(s: Session, at: number): SessionStatus {
    this.settleSession(s, at);
    if (s.stoppedAt !== undefined && at >= s.stoppedAt) return 'stopped';
    if (at < s.createdAt + P.sessionQueuedMs) return 'queued';
    if (at < this.runningAt(s)) return 'starting';
    return 'running';
  }

  stopSession(s: Session, at: number): void {
    this.settleSession(s, at);
    if (s.stoppedAt === undefined) {
      s.stoppedAt = at;
      s.stopReason = 'user';
    }
  }

  touchSession(s: Session, at: number): void {
    if (this.sessionStatus(s, at) === 'running') s.lastActivityAt = at;
  }

  /** Billing interval: GPU time from running until stopped (per second, as the reference says). */
  private sessionInterval(s: Session, at: number): [number, number, number] {
    this.settleSession(s, at);
    return [this.runningAt(s), Math.min(at, s.stoppedAt ?? at), s.costPerHour];
  }

  sessionCost(s: Session, at: number): number {
    return intervalCost(this.sessionInterval(s, at), 0, at);
  }

  /** The most an active session can still cost (its remaining max runtime). */
  sessionReserve(s: Session, at: number): number {
    if (this.sessionStatus(s, at) === 'stopped') return 0;
    const running = this.runningAt(s);
    const end = running + s.maxRuntimeMinutes * 60_000;
    return ((end - Math.max(at, running)) / HOUR) * s.costPerHour;
  }

  // --- Eureka ---

  runStart(r: EurekaRun): number {
    return r.createdAt + P.eurekaQueuedMs;
  }

  runEnd(r: EurekaRun): number {
    return this.runStart(r) + r.maxTrainingIterations * P.eurekaIterationMs;
  }

  runStatus(r: EurekaRun, at: number): RunStatus {
    if (r.cancelledAt !== undefined && at >= r.cancelledAt) return 'cancelled';
    if (at < this.runStart(r)) return 'queued';
    if (at < this.runEnd(r)) return 'running';
    return 'completed';
  }

  /** Iterations finished by `at`. */
  completedIterations(r: EurekaRun, at: number): number {
    const until = Math.min(at, r.cancelledAt ?? at);
    return Math.max(0, Math.min(r.maxTrainingIterations, Math.floor((until - this.runStart(r)) / P.eurekaIterationMs)));
  }

  currentIteration(r: EurekaRun, at: number): number {
    const status = this.runStatus(r, at);
    const done = this.completedIterations(r, at);
    return status === 'running' ? done + 1 : done;
  }

  bestReward(r: EurekaRun, iterations: number): number | null {
    if (iterations === 0) return null;
    // Improves every iteration towards a task-specific ceiling.
    const ceiling = 400 + (hash(r.taskId + String(r.seed ?? 0)) % 200);
    return Math.round(ceiling * (1 - 0.55 ** iterations) * 100) / 100;
  }

  tokenUsage(r: EurekaRun, at: number): { promptTokens: number; completionTokens: number; totalTokens: number } {
    // Each iteration asks the LLM for its candidates when it starts.
    const status = this.runStatus(r, at);
    const started = at < this.runStart(r) ? 0 : status === 'running' ? this.completedIterations(r, at) + 1 : this.completedIterations(r, at) + (status === 'cancelled' && this.completedIterations(r, at) < r.maxTrainingIterations ? 1 : 0);
    const candidates = started * r.numParallelRuns;
    const promptTokens = candidates * P.eurekaPromptTokensPerCandidate;
    const completionTokens = candidates * P.eurekaCompletionTokensPerCandidate;
    return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  }

  private runInterval(r: EurekaRun, at: number): [number, number, number] {
    return [this.runStart(r), Math.min(at, this.runEnd(r), r.cancelledAt ?? at), P.eurekaCostPerHour];
  }

  runCost(r: EurekaRun, at: number): number {
    return intervalCost(this.runInterval(r, at), 0, at);
  }

  /** Appends the log lines the worker has printed by `at`. */
  fillLogs(r: EurekaRun, at: number): void {
    const until = Math.min(at, this.runEnd(r), r.cancelledAt ?? Infinity);
    const start = this.runStart(r);
    while (start + r.naturalLines * P.eurekaLogEveryMs <= until) {
      const t = start + r.naturalLines * P.eurekaLogEveryMs;
      const iteration = Math.min(r.maxTrainingIterations, Math.floor((t - start) / P.eurekaIterationMs) + 1);
      const step = r.naturalLines++;
      const candidate = step % r.numParallelRuns;
      const reward = this.bestReward(r, iteration) ?? 0;
      r.logs.push(`${new Date(t).toISOString()} [eureka] iteration ${iteration}/${r.maxTrainingIterations} candidate ${candidate} step ${step} ${r.rlLibrary} mean_reward=${((reward * (0.5 + (step % 7) / 14)) / 1).toFixed(2)}`);
    }
    const status = this.runStatus(r, at);
    if (!r.finalLogged && (status === 'completed' || status === 'cancelled')) {
      r.finalLogged = true;
      const t = status === 'completed' ? this.runEnd(r) : (r.cancelledAt ?? at);
      r.logs.push(`${new Date(t).toISOString()} [eureka] run ${status}; best reward ${this.bestReward(r, this.completedIterations(r, at)) ?? 'n/a'}`);
    }
  }

  // --- reconstruction ---

  jobStart(j: ReconJob): number {
    return j.createdAt + P.reconQueuedMs;
  }

  jobEnd(j: ReconJob): number {
    return this.jobStart(j) + j.actualMs;
  }

  jobStatus(j: ReconJob, at: number): 'queued' | 'running' | 'completed' | 'cancelled' {
    if (j.cancelledAt !== undefined && at >= j.cancelledAt) return 'cancelled';
    if (at < this.jobStart(j)) return 'queued';
    if (at < this.jobEnd(j)) return 'running';
    return 'completed';
  }

  private jobInterval(j: ReconJob, at: number): [number, number, number] {
    return [this.jobStart(j), Math.min(at, this.jobEnd(j), j.cancelledAt ?? at), j.costPerHour];
  }

  jobCost(j: ReconJob, at: number): number {
    return intervalCost(this.jobInterval(j, at), 0, at);
  }

  // --- spending ---

  private intervals(at: number): Array<[number, number, number]> {
    return [...this.sessions.map((s) => this.sessionInterval(s, at)), ...this.runs.map((r) => this.runInterval(r, at)), ...this.jobs.map((j) => this.jobInterval(j, at))];
  }

  spendBetween(from: number, to: number, at: number): number {
    return this.intervals(at).reduce((sum, iv) => sum + intervalCost(iv, from, to), 0);
  }

  spendToday(at: number): number {
    const day = Math.floor(at / DAY) * DAY;
    return this.spendBetween(day, day + DAY, at);
  }

  spendThisMonth(at: number): number {
    const d = new Date(at);
    const from = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    const to = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    return this.spendBetween(from, to, at);
  }

  /** The remaining worst-case cost of everything still active. */
  reserved(at: number): number {
    const sessions = this.sessions.reduce((sum, s) => sum + this.sessionReserve(s, at), 0);
    const runs = this.runs.reduce((sum, r) => {
      const status = this.runStatus(r, at);
      if (status !== 'queued' && status !== 'running') return sum;
      return sum + ((this.runEnd(r) - Math.max(at, this.runStart(r))) / HOUR) * P.eurekaCostPerHour;
    }, 0);
    const jobs = this.jobs.reduce((sum, j) => {
      const status = this.jobStatus(j, at);
      if (status !== 'queued' && status !== 'running') return sum;
      return sum + ((this.jobEnd(j) - Math.max(at, this.jobStart(j))) / HOUR) * j.costPerHour;
    }, 0);
    return sessions + runs + jobs;
  }
}

function intervalCost([start, end, perHour]: [number, number, number], from: number, to: number): number {
  const overlap = Math.min(end, to) - Math.max(start, from);
  return overlap > 0 ? (overlap / HOUR) * perHour : 0;
}

function hash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

export const usd = (value: number): number => Math.round(value * 100) / 100;
export const DAY_MS = DAY;
