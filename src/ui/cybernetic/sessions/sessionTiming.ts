import type { Resource } from '../../../core/jobs/Resource';
import { sessionEndsAt } from '../../../providers/cybernetic/cyberneticResources';

export { sessionEndsAt };

// When to warn about a session's runtime limit, from the record the tree holds (`Resource.raw`, the session without
// its viewer URL), with the same end-time rule as the tree's time left.

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
