import { cyberneticSessionSchema, type CyberneticSession } from '../../../providers/cybernetic/CyberneticApi';
import { sessionStatus } from '../../../providers/cybernetic/cyberneticResources';
import type { ViewerSession } from '../../../shared/cyberneticViewerProtocol';
import { sessionEndsAt } from './sessionTiming';

/** The toolbar's view of a session record (fresh from the API, or `Resource.raw` from the store: the same fields). */
export function toViewerSession(session: CyberneticSession, now: number): ViewerSession {
  const status = sessionStatus(session.status);
  const phase = status === 'running' ? 'running' : status === 'stopping' ? 'stopping' : status === 'queued' || status === 'unknown' ? 'waiting' : 'ended';
  const gpu = session.gpuSpec ?? (typeof session.gpu === 'string' ? session.gpu : (session.gpu?.spec ?? session.gpu?.name ?? session.gpu?.model)) ?? undefined;
  const cost = session.costSoFarUsd ?? session.costActualUsd ?? session.costEstimateUsd ?? undefined;
  const endsAt = sessionEndsAt(session);
  return {
    // Shortened to the page's schema (it drops a message that breaks it): these are the server's words.
    sessionId: session.sessionId.slice(0, 200),
    status: session.status.slice(0, 100),
    phase,
    ...(gpu ? { gpu: gpu.slice(0, 200) } : {}),
    ...(typeof session.costPerHour === 'number' && session.costPerHour >= 0 ? { costPerHour: session.costPerHour } : {}),
    ...(typeof cost === 'number' && cost >= 0 ? { costUsd: cost, costAsOf: now } : {}),
    ...(endsAt !== undefined ? { endsAt } : {}),
    ...(typeof session.idleTimeoutMinutes === 'number' && session.idleTimeoutMinutes >= 0 ? { idleTimeoutMinutes: session.idleTimeoutMinutes } : {}),
    ...(session.stopReason ? { stopReason: session.stopReason.slice(0, 200) } : {}),
  };
}

/** The store keeps the session record without `access` (its viewer URL) as `raw`; undefined when it does not parse. */
export function sessionFromRaw(raw: unknown): CyberneticSession | undefined {
  const parsed = cyberneticSessionSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
