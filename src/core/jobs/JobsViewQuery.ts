import type { Resource, ResourceStatus } from './Resource';

/** What the Jobs view can be narrowed to. `running` and `failed` are statuses (either one shows); `mine` narrows further. */
export const JOB_FILTERS = ['running', 'failed', 'mine'] as const;
export type JobFilter = (typeof JOB_FILTERS)[number];

export const JOB_SORTS = ['newest', 'oldest', 'name', 'status', 'duration'] as const;
export type JobSort = (typeof JOB_SORTS)[number];

/** The Jobs view's filter and sort, as the user set them (persisted per workspace). */
export interface JobsViewQuery {
  readonly filters: readonly JobFilter[];
  /** Matched case-insensitively against display name, id and facts; every whitespace-separated word must occur. */
  readonly text: string;
  readonly sort: JobSort;
}

export const DEFAULT_QUERY: JobsViewQuery = { filters: [], text: '', sort: 'newest' };

/** "running" in the filter means work not finished yet that the provider is acting on. */
export const RUNNING_STATUSES: ReadonlySet<ResourceStatus> = new Set(['queued', 'running', 'stopping']);

export function isFiltered(query: JobsViewQuery): boolean {
  return query.filters.length > 0 || query.text.trim() !== '';
}

/** What workspace state held, made safe: unknown filters and sorts (an older or newer version wrote them) are dropped. */
export function parseQuery(value: unknown): JobsViewQuery {
  if (typeof value !== 'object' || value === null) return DEFAULT_QUERY;
  const raw = value as { filters?: unknown; text?: unknown; sort?: unknown };
  const filters = Array.isArray(raw.filters) ? JOB_FILTERS.filter((filter) => (raw.filters as unknown[]).includes(filter)) : [];
  const text = typeof raw.text === 'string' ? raw.text : '';
  const sort = (JOB_SORTS as readonly unknown[]).includes(raw.sort) ? (raw.sort as JobSort) : 'newest';
  return { filters, text, sort };
}

/** Is this resource one the user submitted from this VS Code (JobOrigins)? */
export type MineLookup = (resource: Resource) => boolean;

/**
 * The query split into its three tests. A sweep's variants inherit their sweep's name and origin (the text and `mine`
 * parts), never its status: filtering "failed" shows the failed variants, not every variant of a failed sweep.
 */
export interface QueryMatcher {
  readonly status: (resource: Resource) => boolean;
  readonly mine: (resource: Resource) => boolean;
  readonly text: (resource: Resource) => boolean;
}

/** Built once per query change; the lower-cased search text of each resource is kept as long as the resource object. */
export function queryMatcher(query: JobsViewQuery, isMine: MineLookup): QueryMatcher {
  const running = query.filters.includes('running');
  const failed = query.filters.includes('failed');
  const words = query.text.toLowerCase().split(/\s+/).filter(Boolean);
  return {
    status: running || failed ? (r) => (running && RUNNING_STATUSES.has(r.status)) || (failed && r.status === 'failed') : () => true,
    mine: query.filters.includes('mine') ? isMine : () => true,
    text: words.length === 0 ? () => true : (r) => {
      const haystack = searchText(r);
      return words.every((word) => haystack.includes(word));
    },
  };
}

export function matchesQuery(matcher: QueryMatcher, resource: Resource): boolean {
  return matcher.status(resource) && matcher.mine(resource) && matcher.text(resource);
}

const searchTexts = new WeakMap<Resource, string>();

/** Resources are replaced, never mutated, when they change: keyed by object, a stale text cannot survive a change. */
function searchText(resource: Resource): string {
  let text = searchTexts.get(resource);
  if (text === undefined) {
    text = [resource.displayName, resource.id, ...resource.facts].join('\n').toLowerCase();
    searchTexts.set(resource, text);
  }
  return text;
}

// Made on first use: the first Intl.Collator of a process loads ICU data, which activation must not pay.
let collator: Intl.Collator | undefined;
const names = () => (collator ??= new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' }));

/** Work in progress first (what you are watching), then failures, then the rest. */
const STATUS_RANK: Record<ResourceStatus, number> = { running: 0, stopping: 1, queued: 2, failed: 3, unknown: 4, cancelled: 5, succeeded: 6 };

/**
 * `resources` in the given order. The input is newest first (JobStore's order) and ties keep it, so every sort is
 * total and "name" lists equal names newest first. Each key is computed once per resource, not per comparison.
 * `duration`: longest first; a running job counts up to `now`; never started goes last.
 */
export function sortResources(resources: readonly Resource[], sort: JobSort, now: number): Resource[] {
  if (sort === 'newest') return resources.slice();
  const keyed = resources.map((resource, index) => ({ resource, index, key: sortKey(resource, sort, now) }));
  const compare = sort === 'name' ? (a: string | number, b: string | number) => names().compare(a as string, b as string) : (a: string | number, b: string | number) => compareNumbers(a as number, b as number);
  keyed.sort((a, b) => compare(a.key, b.key) || a.index - b.index);
  return keyed.map((entry) => entry.resource);
}

/** Newest first across providers (for the Active group): createdAt descending, missing last, then id. */
export function sortNewestFirst(resources: readonly Resource[]): Resource[] {
  const keyed = resources.map((resource) => ({ resource, key: -time(resource.createdAt) }));
  keyed.sort((a, b) => compareNumbers(a.key, b.key) || names().compare(a.resource.id, b.resource.id));
  return keyed.map((entry) => entry.resource);
}

function sortKey(resource: Resource, sort: Exclude<JobSort, 'newest'>, now: number): string | number {
  switch (sort) {
    case 'oldest':
      return time(resource.createdAt);
    case 'name':
      return resource.displayName;
    case 'status':
      return STATUS_RANK[resource.status];
    case 'duration':
      return -durationMs(resource, now);
  }
}

/** Ascending, NaN (no value) last. */
function compareNumbers(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a - b;
}

function time(iso: string | undefined): number {
  return iso === undefined ? Number.NaN : Date.parse(iso);
}

/** NaN when it never started. */
export function durationMs(resource: Resource, now: number): number {
  const started = time(resource.startedAt);
  if (Number.isNaN(started)) return Number.NaN;
  const finished = resource.finishedAt !== undefined ? time(resource.finishedAt) : RUNNING_STATUSES.has(resource.status) ? now : Number.NaN;
  return finished - started;
}
