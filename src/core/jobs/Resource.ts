import type { ProviderId } from '../providers/providerCatalog';

/**
 * The neutral model every view draws from (DESIGN: "The neutral model"). A provider maps its own JSON onto this;
 * the UI never reads a provider's JSON except `raw` for "Show Details".
 */
export type ResourceStatus = 'queued' | 'running' | 'stopping' | 'succeeded' | 'failed' | 'cancelled' | 'unknown';

export const TERMINAL_STATUSES: ReadonlySet<ResourceStatus> = new Set(['succeeded', 'failed', 'cancelled']);

export function isActiveStatus(status: ResourceStatus): boolean {
  return !TERMINAL_STATUSES.has(status);
}

/** What a resource is; menus and icons key off it. Providers add theirs as later issues land. */
export type ResourceKind = 'job' | 'sweep' | 'session' | 'environment' | 'dataset' | 'generation' | 'reconstruction' | 'eureka-run' | 'simulation';

/** What a user can do with a resource right now; the tree turns these into contextValue tokens for menus. */
export type ResourceAction = 'cancel' | 'complete' | 'download' | 'log' | 'details';

export interface ResourceProgress {
  /** 0..1 when the provider reports a measurable amount of work done. */
  readonly fraction?: number;
  /** Short, human: "37/60 frames". */
  readonly text?: string;
}

export interface Resource {
  readonly provider: ProviderId;
  /** The provider's id for it (a job id, a sweep id). Unique within one provider account. */
  readonly id: string;
  readonly kind: ResourceKind;
  /** What the tree shows as the label. */
  readonly displayName: string;
  readonly status: ResourceStatus;
  /** The provider's own word for the status ("completing"), shown next to the neutral one. */
  readonly rawStatus: string;
  /**
   * What the tree says instead of the neutral status word when that word would mislead: "stopped" for a session that
   * ran its course (not "completed"); "" for things without a lifecycle (an environment), which then show no status.
   */
  readonly statusLabel?: string;
  /** A codicon id for resources that are not jobs (an environment); jobs show their status icon. */
  readonly icon?: string;
  readonly progress?: ResourceProgress;
  /** Short facts for the tree's description, in order: mode, node... (progress and elapsed time are added by the UI). */
  readonly facts: readonly string[];
  /** ISO-8601 times as the provider gave them. */
  readonly createdAt?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Id of the parent resource (a sweep for its variants), in the same provider account. */
  readonly parentId?: string;
  readonly actions: readonly ResourceAction[];
  /** Every field worth showing in a tooltip or details view, label → value, in display order. */
  readonly details: readonly (readonly [label: string, value: string])[];
  /** The provider's record as received, for "Show Details". Never holds secrets or signed URLs. */
  readonly raw: unknown;
}
