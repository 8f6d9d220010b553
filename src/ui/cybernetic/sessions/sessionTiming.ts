import type { Resource } from '../../../core/jobs/Resource';

// When a session ends and when to warn about it, from the record the tree holds (`Resource.raw`, the session without
// its viewer URL). The same rule as cyberneticResources' time left: expiresAt, else start + maxRuntimeMinutes.

interface SessionTimes {
  readonly expiresAt?: unknown;
  readonly startedAt?: unknown;
  readonly maxRuntimeMinutes?: unknown;
}

function time(value: unknown): number | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
}

/** Epoch ms when the runtime limit stops the session; undefined until it has started (or when unknown). */
export function sessionEndsAt(raw: unknown): number | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const times = raw as SessionTimes;
  const expires = time(times.expiresAt);
  if (expires !== undefined) return expires;
  const start = time(times.startedAt);
  return start !== undefined && typeof times.maxRuntimeMinutes === 'number' ? start + times.maxRuntimeMinutes * 60_000 : undefined;
}

/**
 * The running sessions whose runtime limit is at most `leadMinutes` away and that were not warned about yet. A lead of
 * 0 turns warnings off.
 */
export function sessionsToWarn(resources: readonly Resource[], now: number, leadMinutes: number, warned: ReadonlySet<string>): { resource: Resource; msLeft: number }[] {
  if (!(leadMinutes > 0)) return [];
  const due: { resource: Resource; msLeft: number }[] = [];
  for (const resource of resources) {
    if (resource.kind !== 'session' || resource.status !== 'running' || warned.has(resource.id)) continue;
    const endsAt = sessionEndsAt(resource.raw);
    if (endsAt === undefined) continue;
    const msLeft = endsAt - now;
    if (msLeft > 0 && msLeft <= leadMinutes * 60_000) due.push({ resource, msLeft });
  }
  return due;
}
