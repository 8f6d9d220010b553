import { Emitter, type Disposable, type Event } from '../events/Emitter';
import type { ProviderId } from '../providers/providerCatalog';
import { isActiveStatus, type Resource } from './Resource';

/** What one store operation changed for one provider: the tree refreshes exactly these. */
export interface ResourceChange {
  readonly provider: ProviderId;
  readonly changed: readonly Resource[];
  /** Ids. */
  readonly removed: readonly string[];
}

/** Numeric collation so variants sort v0, v1, v2, ..., v10 rather than v0, v1, v10, v2. */
// Made on first sort: the first Intl.Collator of a process loads ICU data (8–13 ms), which activation must not pay.
let collator: Intl.Collator | undefined;

class ProviderResources {
  readonly byId = new Map<string, Resource>();
  /** id → the replaceAll generation that last listed it (see JobStore.replaceAll). */
  readonly seen = new Map<string, number>();
  generation = 0;
  /** parentId → ids of the resources naming it, whether or not the parent itself is in the store. */
  readonly childIds = new Map<string, Set<string>>();
  /**
   * list() order as ids, re-sorted only when an id comes or goes or a createdAt changes: a poll that updates the
   * status of every job keeps the order, and re-sorting 10,000 jobs (a Date.parse each) on every poll was the slow part.
   */
  private order: string[] | undefined;
  /** list() itself, rebuilt lazily from `order` after any change (the tree asks far more often than the store changes). */
  private sorted: Resource[] | undefined;

  set(resource: Resource): void {
    const previous = this.byId.get(resource.id);
    if (previous?.parentId !== resource.parentId) {
      if (previous?.parentId !== undefined) this.unlinkChild(previous.parentId, resource.id);
      if (resource.parentId !== undefined) this.linkChild(resource.parentId, resource.id);
    }
    if (!previous || previous.createdAt !== resource.createdAt) this.order = undefined;
    this.byId.set(resource.id, resource);
    this.sorted = undefined;
  }

  delete(id: string): boolean {
    const previous = this.byId.get(id);
    if (!previous) return false;
    if (previous.parentId !== undefined) this.unlinkChild(previous.parentId, id);
    this.byId.delete(id);
    this.seen.delete(id);
    this.order = undefined;
    this.sorted = undefined;
    return true;
  }

  newestFirst(): readonly Resource[] {
    if (!this.sorted) {
      this.order ??= sortByCreated([...this.byId.values()], -1).map((resource) => resource.id);
      this.sorted = this.order.map((id) => this.byId.get(id) as Resource);
    }
    return this.sorted;
  }

  private linkChild(parentId: string, id: string): void {
    let ids = this.childIds.get(parentId);
    if (!ids) this.childIds.set(parentId, (ids = new Set()));
    ids.add(id);
  }

  private unlinkChild(parentId: string, id: string): void {
    const ids = this.childIds.get(parentId);
    if (!ids) return;
    ids.delete(id);
    if (ids.size === 0) this.childIds.delete(parentId);
  }
}

/**
 * The single source of truth the UI draws from (DESIGN: "Watch"): pollers and commands write provider listings into
 * it, and the tree, status bar and notifications subscribe to onDidChangeResources. Indexed by provider, id and
 * parent, so a full listing of 10,000 jobs is one linear pass plus one sort when the tree next asks.
 *
 * Events fire only when something a user could see changed: a listing that repeats the last one (new objects, same
 * values) fires nothing, so a poll that found no news redraws nothing.
 */
export class JobStore implements Disposable {
  private readonly providers = new Map<ProviderId, ProviderResources>();
  private readonly changeEmitter = new Emitter<ResourceChange>();
  readonly onDidChangeResources: Event<ResourceChange> = this.changeEmitter.event;

  /** A full listing from the provider: adds, updates, removes; fires once, only when something visibly changed. */
  replaceAll(provider: ProviderId, resources: readonly Resource[]): ResourceChange {
    const state = this.state(provider);
    const changed: Resource[] = [];
    // No map of the incoming listing (10,000 entries of garbage per poll): each id is stamped with this listing's
    // generation as it is stored, and only when the store ends up larger than the listing are the unstamped removed.
    const generation = (state.generation += 1);
    let distinct = 0;
    for (const resource of resources) {
      assertProvider(provider, resource);
      if (state.seen.get(resource.id) !== generation) distinct += 1;
      state.seen.set(resource.id, generation);
      const previous = state.byId.get(resource.id);
      if (!previous || !sameResource(previous, resource)) changed.push(resource);
      // Stored even when it looks the same, so `raw` (Show Details) is always the latest record.
      state.set(resource);
    }
    const removed: string[] = [];
    if (state.byId.size > distinct) {
      for (const id of [...state.byId.keys()]) {
        if (state.seen.get(id) !== generation) {
          state.delete(id);
          removed.push(id);
        }
      }
    }
    const change: ResourceChange = { provider, changed: dedupeById(changed), removed };
    if (changed.length > 0 || removed.length > 0) this.changeEmitter.fire(change);
    return change;
  }

  upsert(resource: Resource): void {
    const state = this.state(resource.provider);
    const previous = state.byId.get(resource.id);
    state.set(resource);
    if (!previous || !sameResource(previous, resource)) this.changeEmitter.fire({ provider: resource.provider, changed: [resource], removed: [] });
  }

  remove(provider: ProviderId, id: string): void {
    if (this.providers.get(provider)?.delete(id)) this.changeEmitter.fire({ provider, changed: [], removed: [id] });
  }

  /** Forgets everything of one provider (sign-out). */
  clear(provider: ProviderId): void {
    const state = this.providers.get(provider);
    if (!state) return;
    this.providers.delete(provider);
    const removed = [...state.byId.keys()];
    if (removed.length > 0) this.changeEmitter.fire({ provider, changed: [], removed });
  }

  get(provider: ProviderId, id: string): Resource | undefined {
    return this.providers.get(provider)?.byId.get(id);
  }

  /** Newest first: createdAt descending (resources without one last), then id. */
  list(provider: ProviderId): Resource[] {
    return [...(this.providers.get(provider)?.newestFirst() ?? [])];
  }

  /** list() without the copy, for readers that only iterate (the Jobs view's filter runs on every keystroke). */
  ordered(provider: ProviderId): readonly Resource[] {
    return this.providers.get(provider)?.newestFirst() ?? [];
  }

  /** How many resources one provider has. */
  size(provider: ProviderId): number {
    return this.providers.get(provider)?.byId.size ?? 0;
  }

  /** Resources without a parent, or whose parent is not in the store (so a variant never disappears); newest first. */
  roots(provider: ProviderId): Resource[] {
    const state = this.providers.get(provider);
    if (!state) return [];
    return state.newestFirst().filter((resource) => resource.parentId === undefined || !state.byId.has(resource.parentId));
  }

  /** Oldest first (a sweep's v0, v1, ...). */
  children(provider: ProviderId, parentId: string): Resource[] {
    const state = this.providers.get(provider);
    const ids = state?.childIds.get(parentId);
    if (!state || !ids) return [];
    return sortByCreated([...ids].map((id) => state.byId.get(id) as Resource), 1);
  }

  /** Whether any resource names `parentId` as its parent: what the tree needs per row, without sorting the children. */
  hasChildren(provider: ProviderId, parentId: string): boolean {
    return (this.providers.get(provider)?.childIds.get(parentId)?.size ?? 0) > 0;
  }

  /** Resources not yet in a terminal state (queued, running, stopping, unknown). */
  activeCount(provider: ProviderId): number {
    let count = 0;
    for (const resource of this.providers.get(provider)?.byId.values() ?? []) if (isActiveStatus(resource.status)) count += 1;
    return count;
  }

  dispose(): void {
    this.changeEmitter.dispose();
  }

  private state(provider: ProviderId): ProviderResources {
    let state = this.providers.get(provider);
    if (!state) this.providers.set(provider, (state = new ProviderResources()));
    return state;
  }
}

/** A listing naming one id twice reports it once, as its last (stored) version. */
function dedupeById(changed: Resource[]): Resource[] {
  if (changed.length < 2) return changed;
  const last = new Map<string, Resource>();
  for (const resource of changed) last.set(resource.id, resource);
  return last.size === changed.length ? changed : [...last.values()];
}

function assertProvider(provider: ProviderId, resource: Resource): void {
  if (resource.provider !== provider) throw new Error(`JobStore.replaceAll(${provider}) was given a ${resource.provider} resource (${resource.id})`);
}

/** direction -1: newest first; 1: oldest first. Ties (and missing times) are broken by id, numerically, ascending. */
function sortByCreated(resources: Resource[], direction: 1 | -1): Resource[] {
  // Parse each time once: a comparator calling Date.parse would do it n·log n times.
  const keyed = resources.map((resource) => ({ resource, time: createdTime(resource) }));
  keyed.sort((a, b) => {
    if (a.time !== b.time) {
      if (Number.isNaN(a.time)) return 1;
      if (Number.isNaN(b.time)) return -1;
      return direction * (a.time - b.time);
    }
    return (collator ??= new Intl.Collator('en', { numeric: true })).compare(a.resource.id, b.resource.id);
  });
  return keyed.map((entry) => entry.resource);
}

function createdTime(resource: Resource): number {
  return resource.createdAt === undefined ? Number.NaN : Date.parse(resource.createdAt);
}

/** Equal in everything a user can see (everything but `raw`, which only Show Details reads, on demand). */
export function sameResource(a: Resource, b: Resource): boolean {
  return (
    a.provider === b.provider &&
    a.id === b.id &&
    a.kind === b.kind &&
    a.displayName === b.displayName &&
    a.status === b.status &&
    a.rawStatus === b.rawStatus &&
    a.progress?.fraction === b.progress?.fraction &&
    a.progress?.text === b.progress?.text &&
    a.createdAt === b.createdAt &&
    a.startedAt === b.startedAt &&
    a.finishedAt === b.finishedAt &&
    a.parentId === b.parentId &&
    sameList(a.facts, b.facts) &&
    sameList(a.actions, b.actions) &&
    a.details.length === b.details.length &&
    a.details.every(([label, value], i) => b.details[i][0] === label && b.details[i][1] === value)
  );
}

function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}
