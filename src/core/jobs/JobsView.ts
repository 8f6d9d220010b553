import type { ProviderId } from '../providers/providerCatalog';
import type { JobStore } from './JobStore';
import { DEFAULT_QUERY, isFiltered, queryMatcher, RUNNING_STATUSES, sortNewestFirst, sortResources, type JobsViewQuery, type MineLookup, type QueryMatcher } from './JobsViewQuery';
import type { Resource } from './Resource';

const ACTIVE_RANK: Record<Resource['status'], number> = { running: 0, stopping: 1, queued: 2, unknown: 3, failed: 3, cancelled: 3, succeeded: 3 };

/** One provider's listing under the current query, built once per store change or query change. */
interface ProviderListing {
  /** Every resource of the provider in the query's order (reused while only the filter changes). */
  readonly sorted: readonly Resource[];
  /** Ids shown; undefined when nothing is filtered (everything is). */
  readonly visible: ReadonlySet<string> | undefined;
  readonly roots: readonly Resource[];
  /** Jobs shown (what "37 of 10,000" counts): a sweep is a group of jobs, not one, and is not counted. */
  readonly matching: number;
  /** Jobs in the store, groups (a sweep with variants) not counted. */
  readonly total: number;
}

/**
 * What each level of the Jobs view shows under a filter and sort: the providers' roots, a sweep's variants, the
 * Active group, and the counts. vscode-free, so the rules are unit-tested; the tree asks, this answers from caches.
 *
 * Cost: a sort change re-sorts each provider once; a filter change (a keystroke) is one pass over the sorted
 * resources with a substring test on a cached lower-cased text; no resource is copied. A store change rebuilds only
 * its provider's listing, on the next read.
 */
export class JobsView {
  private current: JobsViewQuery = DEFAULT_QUERY;
  private matcher: QueryMatcher;
  private readonly sorted = new Map<ProviderId, readonly Resource[]>();
  private readonly listings = new Map<ProviderId, ProviderListing>();
  private activeList: readonly Resource[] | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly providers: () => readonly ProviderId[],
    private readonly isMine: MineLookup,
    private readonly now: () => number = Date.now,
  ) {
    this.matcher = queryMatcher(this.current, isMine);
  }

  get query(): JobsViewQuery {
    return this.current;
  }

  get filtered(): boolean {
    return isFiltered(this.current);
  }

  setQuery(query: JobsViewQuery): void {
    if (query.sort !== this.current.sort) this.sorted.clear();
    this.current = query;
    this.matcher = queryMatcher(query, this.isMine);
    this.listings.clear();
    this.activeList = undefined;
  }

  /** The store changed for this provider (or, without one, something every provider reads, such as JobOrigins). */
  invalidate(provider?: ProviderId): void {
    if (provider) {
      this.sorted.delete(provider);
      this.listings.delete(provider);
    } else {
      this.sorted.clear();
      this.listings.clear();
    }
    this.activeList = undefined;
  }

  roots(provider: ProviderId): readonly Resource[] {
    return this.listing(provider).roots;
  }

  /** A sweep's variants that are shown, in the store's order (v0, v1, …): a variant's place in its sweep is its name. */
  children(provider: ProviderId, parentId: string): Resource[] {
    const { visible } = this.listing(provider);
    const children = this.store.children(provider, parentId);
    return visible ? children.filter((child) => visible.has(child.id)) : children;
  }

  hasChildren(provider: ProviderId, parentId: string): boolean {
    if (!this.store.hasChildren(provider, parentId)) return false;
    const { visible } = this.listing(provider);
    return !visible || this.children(provider, parentId).length > 0;
  }

  /** Is this resource shown under its provider (so the tree may reveal it)? */
  isShown(provider: ProviderId, id: string): boolean {
    const { visible } = this.listing(provider);
    return visible ? visible.has(id) : this.store.get(provider, id) !== undefined;
  }

  /**
   * The Active group: every queued, running or stopping job of every provider that passes the filter, running ones
   * first, each status in the query's order. Sweeps are left out (their running variants are listed), so each row is
   * one job.
   */
  active(): readonly Resource[] {
    if (this.activeList) return this.activeList;
    const found: Resource[] = [];
    for (const provider of this.providers()) {
      for (const resource of this.store.ordered(provider)) {
        if (!RUNNING_STATUSES.has(resource.status) || this.store.hasChildren(provider, resource.id)) continue;
        if (this.isShown(provider, resource.id)) found.push(resource);
      }
    }
    // Running before stopping before queued (what is using a GPU now is what you watch), then the query's order.
    const sorted = sortResources(sortNewestFirst(found), this.current.sort, this.now());
    this.activeList = sorted.map((resource, index) => ({ resource, index })).sort((a, b) => ACTIVE_RANK[a.resource.status] - ACTIVE_RANK[b.resource.status] || a.index - b.index).map((entry) => entry.resource);
    return this.activeList;
  }

  /** "37 of 10,000": jobs shown of all jobs; a sweep's variants count, the sweep itself does not. */
  counts(): { readonly matching: number; readonly total: number } {
    let matching = 0;
    let total = 0;
    for (const provider of this.providers()) {
      const listing = this.listing(provider);
      matching += listing.matching;
      total += listing.total;
    }
    return { matching, total };
  }

  private sortedOf(provider: ProviderId): readonly Resource[] {
    let sorted = this.sorted.get(provider);
    if (!sorted) {
      const newestFirst = this.store.ordered(provider);
      sorted = this.current.sort === 'newest' ? newestFirst : sortResources(newestFirst, this.current.sort, this.now());
      this.sorted.set(provider, sorted);
    }
    return sorted;
  }

  private listing(provider: ProviderId): ProviderListing {
    let listing = this.listings.get(provider);
    if (!listing) {
      listing = this.build(provider);
      this.listings.set(provider, listing);
    }
    return listing;
  }

  private build(provider: ProviderId): ProviderListing {
    const sorted = this.sortedOf(provider);
    const isRoot = (resource: Resource) => resource.parentId === undefined || this.store.get(provider, resource.parentId) === undefined;
    const isGroup = (resource: Resource) => this.store.hasChildren(provider, resource.id);
    let groups = 0;
    for (const resource of sorted) if (isGroup(resource)) groups += 1;
    const total = sorted.length - groups;
    if (!this.filtered) return { sorted, visible: undefined, roots: sorted.filter(isRoot), matching: total, total };
    const { status, mine, text } = this.matcher;
    const visible = new Set<string>();
    let matching = 0;
    // Variants first: a sweep that does not match itself is still shown when one of its variants is.
    for (const resource of sorted) {
      if (isRoot(resource)) {
        if (status(resource) && mine(resource) && text(resource)) {
          visible.add(resource.id);
          if (!isGroup(resource)) matching += 1;
        }
        continue;
      }
      const parent = this.store.get(provider, resource.parentId as string) as Resource;
      if (status(resource) && (mine(resource) || mine(parent)) && (text(resource) || text(parent))) {
        visible.add(resource.id);
        visible.add(parent.id);
        matching += 1;
      }
    }
    return { sorted, visible, roots: sorted.filter((resource) => visible.has(resource.id) && isRoot(resource)), matching, total };
  }
}
