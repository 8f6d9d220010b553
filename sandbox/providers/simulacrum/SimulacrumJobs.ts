// The job world: a GPU pool shared by every tenant, a FIFO queue, and per-account billing, all advanced lazily from
// the virtual clock. Every read first calls advanceTo(now), which replays what happened since the last read as
// discrete events (a GPU frees, a dispatch ends, a job finishes, an account runs dry) in time order. No timers, so
// the outcome depends only on the clock and the order of requests.
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import type { SimulacrumAccount, SimulacrumAccounts } from './SimulacrumAccounts';
import { isTraining, TERMINAL, type JobSpec, type SimulacrumJob } from './SimulacrumJob';

const CREDITS_PER_GPU_MS = P.creditsPerGpuHour / 3_600_000;
// Floating-point crumbs left when an account is charged down to exactly its balance.
const EPSILON = 1e-9;
const MAX_EVENTS_PER_ADVANCE = 1_000_000;

/** One job for SimulacrumJobs.place: where it is in its life, and when it was created (in the past, for finished ones). */
export interface PlacedJob {
  readonly jobId: string;
  readonly account: SimulacrumAccount;
  readonly spec: JobSpec;
  readonly status: 'completed' | 'failed' | 'cancelled' | 'running' | 'queued';
  readonly createdAt: number;
  /** How long a finished job ran. */
  readonly runMs: number;
  readonly error?: string;
}

export class SimulacrumJobs {
  private readonly jobs = new Map<string, SimulacrumJob>();
  private time: number;
  private seq = 0;
  private gpuCount: number = P.defaultGpus;

  constructor(
    private readonly accounts: SimulacrumAccounts,
    startAt: number,
  ) {
    this.time = startAt;
  }

  get gpus(): number {
    return this.gpuCount;
  }

  /** Resizing never evicts a running job; a smaller pool just starts nothing new until enough GPUs free. */
  setGpus(count: number, now: number): void {
    this.advanceTo(now);
    this.gpuCount = count;
    this.advanceTo(now);
  }

  busyNodes(): number[] {
    return [...this.jobs.values()].filter((job) => job.node !== undefined).map((job) => job.node as number);
  }

  /** Creates a queued job; it gets a GPU right away if one is free (the reference's 201 names the node). */
  submit(jobId: string, account: SimulacrumAccount, spec: JobSpec, now: number): SimulacrumJob {
    this.advanceTo(now);
    const job: SimulacrumJob = { ...spec, jobId, tenant: account.tenant, accountKey: account.key, seq: this.seq++, status: 'queued', createdAt: now, gpuMs: 0, chargedCredits: 0 };
    this.jobs.set(jobId, job);
    this.assignFreeNodes(now);
    return job;
  }

  /**
   * Control route (scale tests): jobs placed with their history already written. Finished ones have their times in
   * the past and charged nothing; running ones take a free GPU each and started now; queued ones wait in line like
   * any other. Placed in one go, so 10,000 jobs cost one queue pass, not one each.
   */
  place(entries: readonly PlacedJob[], now: number): SimulacrumJob[] {
    this.advanceTo(now);
    const busy = new Set(this.busyNodes());
    const placed: SimulacrumJob[] = [];
    for (const entry of entries) {
      const job: SimulacrumJob = { ...entry.spec, jobId: entry.jobId, tenant: entry.account.tenant, accountKey: entry.account.key, seq: this.seq++, status: entry.status, createdAt: entry.createdAt, gpuMs: 0, chargedCredits: 0 };
      if (entry.status === 'running') {
        let node = 1;
        while (busy.has(node)) node++;
        busy.add(node);
        job.node = node;
        job.assignedNode = node;
        job.startedAt = now;
      } else if (entry.status !== 'queued') {
        job.startedAt = entry.createdAt + 1_000;
        const endedAt = entry.createdAt + 1_000 + entry.runMs;
        job.gpuMs = entry.runMs;
        if (entry.status === 'completed') job.completedAt = endedAt;
        else if (entry.status === 'failed') {
          job.failedAt = endedAt;
          job.error = entry.error ?? 'failed (placed by the sandbox)';
        } else job.cancelledAt = endedAt;
      }
      this.jobs.set(job.jobId, job);
      placed.push(job);
    }
    this.assignFreeNodes(now);
    return placed;
  }

  /** GPUs nobody holds right now. */
  freeGpus(now: number): number {
    this.advanceTo(now);
    return Math.max(0, this.gpuCount - this.busyNodes().length);
  }

  /** The job if it belongs to `tenant`; another tenant's id reads as not found. */
  findFor(tenant: string, jobId: string, now: number): SimulacrumJob | undefined {
    this.advanceTo(now);
    const job = this.jobs.get(jobId);
    return job?.tenant === tenant ? job : undefined;
  }

  find(jobId: string, now: number): SimulacrumJob | undefined {
    this.advanceTo(now);
    return this.jobs.get(jobId);
  }

  /** Newest first. */
  listFor(tenant: string | undefined, now: number): SimulacrumJob[] {
    this.advanceTo(now);
    return [...this.jobs.values()].filter((job) => tenant === undefined || job.tenant === tenant).sort((a, b) => b.createdAt - a.createdAt || b.seq - a.seq);
  }

  count(): number {
    return this.jobs.size;
  }

  /** "You are not charged for cancelled compute": whatever the job was charged goes back to the account. */
  cancel(job: SimulacrumJob, now: number): void {
    this.advanceTo(now);
    const account = this.accounts.find(job.accountKey);
    if (account) account.credits += job.chargedCredits;
    job.chargedCredits = 0;
    job.status = 'cancelled';
    job.cancelledAt = now;
    this.release(job, now);
  }

  /** A running training job keeps its GPU (and is charged) while it wraps up, then completes with what it has. */
  complete(job: SimulacrumJob, now: number): void {
    this.advanceTo(now);
    job.status = 'completing';
    job.completingAt = now;
  }

  fail(job: SimulacrumJob, error: string, now: number): void {
    this.advanceTo(now);
    this.failAt(job, error, now);
    this.assignFreeNodes(now);
  }

  /** Replays every event up to `now`, in time order. */
  advanceTo(now: number): void {
    for (let i = 0; i < MAX_EVENTS_PER_ADVANCE && this.time <= now; i++) {
      const at = Math.max(this.time, Math.min(now, this.nextEventAt()));
      this.charge(at);
      this.time = at;
      this.fireEventsAt(at);
      if (at >= now) return;
    }
  }

  private nextEventAt(): number {
    let next = Infinity;
    const activeByAccount = new Map<string, number>();
    for (const job of this.jobs.values()) {
      if (job.status === 'queued' && job.dispatchAt !== undefined) next = Math.min(next, job.dispatchAt);
      const end = endOf(job);
      if (end !== undefined) next = Math.min(next, end);
      if (isCharged(job)) activeByAccount.set(job.accountKey, (activeByAccount.get(job.accountKey) ?? 0) + 1);
    }
    for (const [key, running] of activeByAccount) {
      const credits = this.accounts.find(key)?.credits ?? 0;
      next = Math.min(next, this.time + Math.max(0, credits) / (running * CREDITS_PER_GPU_MS));
    }
    return next;
  }

  /** Bills every job on a GPU for the time since the last event. */
  private charge(until: number): void {
    const elapsed = until - this.time;
    if (elapsed <= 0) return;
    for (const job of this.jobs.values()) {
      if (!isCharged(job)) continue;
      const cost = elapsed * CREDITS_PER_GPU_MS;
      job.gpuMs += elapsed;
      job.chargedCredits += cost;
      const account = this.accounts.find(job.accountKey);
      if (account) account.credits = account.credits - cost <= EPSILON ? 0 : account.credits - cost;
    }
  }

  private fireEventsAt(at: number): void {
    const ordered = [...this.jobs.values()].sort((a, b) => a.seq - b.seq);
    for (const job of ordered) {
      const end = endOf(job);
      if (end !== undefined && end <= at) this.finish(job, end);
    }
    // An account at zero cannot pay for anything it has queued or running.
    for (const job of ordered) {
      if (TERMINAL.has(job.status)) continue;
      const credits = this.accounts.find(job.accountKey)?.credits ?? 0;
      if (credits <= EPSILON) this.failAt(job, 'insufficient credits', at);
    }
    for (const job of ordered) {
      if (job.status === 'queued' && job.dispatchAt !== undefined && job.dispatchAt <= at) {
        job.status = 'running';
        job.startedAt = job.dispatchAt;
      }
    }
    this.assignFreeNodes(at);
  }

  private finish(job: SimulacrumJob, at: number): void {
    job.status = 'completed';
    job.completedAt = at;
    this.release(job, at);
  }

  private failAt(job: SimulacrumJob, error: string, at: number): void {
    job.status = 'failed';
    job.failedAt = at;
    job.error = error;
    this.release(job, at);
  }

  private release(job: SimulacrumJob, at: number): void {
    job.node = undefined;
    job.dispatchAt = undefined;
    this.assignFreeNodes(at);
  }

  /** Hands free GPUs (lowest node number first) to queued jobs in submission order. */
  private assignFreeNodes(at: number): void {
    const busy = new Set(this.busyNodes());
    if (busy.size >= this.gpuCount) return;
    const waiting = [...this.jobs.values()].filter((job) => job.status === 'queued' && job.node === undefined).sort((a, b) => a.seq - b.seq);
    for (const job of waiting) {
      if (busy.size >= this.gpuCount) return;
      let node = 1;
      while (busy.has(node)) node++;
      busy.add(node);
      job.node = node;
      job.assignedNode = node;
      job.dispatchAt = at + P.dispatchDelayMs;
    }
  }
}

function isCharged(job: SimulacrumJob): boolean {
  return job.status === 'running' || job.status === 'completing';
}

/** When a job on a GPU is due to finish, if it is on one. */
export function endOf(job: SimulacrumJob): number | undefined {
  if ((job.status !== 'running' && job.status !== 'completing') || job.startedAt === undefined) return undefined;
  const natural = job.startedAt + (isTraining(job) ? P.trainingDurationMs : job.numFrames * P.msPerFrame);
  // Asked to complete near its natural end, a job is done at whichever comes first.
  return job.status === 'completing' && job.completingAt !== undefined ? Math.min(natural, job.completingAt + P.completingMs) : natural;
}

/** Frames rendered by `at` (annotation jobs), or all of them once completed. */
export function framesCompleted(job: SimulacrumJob, at: number): number {
  if (isTraining(job)) return 0;
  if (job.status === 'completed') return job.numFrames;
  if (job.startedAt === undefined) return 0;
  const until = job.failedAt ?? job.cancelledAt ?? at;
  return Math.min(job.numFrames, Math.max(0, Math.floor((until - job.startedAt) / P.msPerFrame)));
}

/** Epochs a training job finished: one per trainingEpochMs of running, fewer when stopped early. */
export function epochsCompleted(job: SimulacrumJob, at: number): number {
  if (!isTraining(job) || job.startedAt === undefined) return 0;
  const until = job.completedAt ?? job.failedAt ?? job.cancelledAt ?? at;
  return Math.min(P.trainingDurationMs / P.trainingEpochMs, Math.max(0, Math.floor((until - job.startedAt) / P.trainingEpochMs)));
}
