// "Job submission: 5 jobs per hour per account (free tier)": a sliding hour of accepted submissions per key, so the
// 429's Retry-After can say exactly when the oldest one leaves the window and a slot frees.
import type { VirtualClock } from '../../clock/VirtualClock';

export type SubmissionCheck = { ok: true } | { ok: false; retryAfterSeconds: number; freesAt: number };

export class SubmissionWindow {
  private readonly accepted = new Map<string, number[]>();
  private readonly totals = new Map<string, number>();

  constructor(
    private readonly clock: VirtualClock,
    private readonly windowMs: number,
  ) {}

  check(key: string, limit: number): SubmissionCheck {
    const recent = this.prune(key);
    if (recent.length < limit) return { ok: true };
    const freesAt = recent[recent.length - limit] + this.windowMs;
    return { ok: false, freesAt, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - this.clock.now()) / 1000)) };
  }

  record(key: string): void {
    this.prune(key).push(this.clock.now());
    this.totals.set(key, (this.totals.get(key) ?? 0) + 1);
  }

  /** Accepted submissions per key since start (for the control API's stats). */
  totalsByKey(): Record<string, number> {
    return Object.fromEntries(this.totals);
  }

  private prune(key: string): number[] {
    const since = this.clock.now() - this.windowMs;
    const recent = (this.accepted.get(key) ?? []).filter((at) => at > since);
    this.accepted.set(key, recent);
    return recent;
  }
}
