import * as vscode from 'vscode';
import type { AccountsModel, AccountStatus, AccountSummary } from '../../core/accounts/AccountsModel';
import type { JobOrigins } from '../../core/jobs/JobOrigins';
import type { Event } from '../../core/events/Emitter';
import type { JobStore, ResourceChange } from '../../core/jobs/JobStore';
import { JobsView } from '../../core/jobs/JobsView';
import { DEFAULT_QUERY, RUNNING_STATUSES, type JobsViewQuery } from '../../core/jobs/JobsViewQuery';
import type { Resource } from '../../core/jobs/Resource';
import { PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import { accountLabel } from '../accounts/accountLabel';
import { accountContextValue, providerContextValue } from './contextValue';
import { resourceTooltip, resourceTreeItem } from './resourceTreeItem';

export interface ProviderNode {
  readonly type: 'provider';
  readonly provider: ProviderId;
}

/** One of several accounts of a provider: the one in use holds the provider's jobs, the others offer a switch. */
export interface AccountNode {
  readonly type: 'account';
  readonly provider: ProviderId;
  readonly account: string;
}

export interface ResourceNode {
  readonly type: 'resource';
  readonly provider: ProviderId;
  readonly id: string;
  /** A row of the Active group (a second row for a job also listed under its provider, with its own TreeItem id). */
  readonly group?: 'active';
}

/** "Active (N)" above the providers: every queued, running or stopping job that passes the filter. */
export interface ActiveNode {
  readonly type: 'active';
}

/** The only row besides the providers when the filter matches nothing: says so and offers Clear Filter. */
export interface NoMatchNode {
  readonly type: 'noMatch';
}

/** A line under a provider that is not a resource: a refresh that failed, or "no jobs yet". */
export interface MessageNode {
  readonly type: 'message';
  readonly provider: ProviderId;
  readonly kind: 'error' | 'empty';
  readonly text: string;
  readonly detail?: string;
  /** The fix is to sign in again (the key was rejected), not to retry. */
  readonly signIn?: boolean;
}

/** "Load more…" after a provider's resources, while the provider says older ones exist (cursor-paged lists). */
export interface LoadMoreNode {
  readonly type: 'more';
  readonly provider: ProviderId;
}

/** What a provider gives the tree to offer "Load more…": the label and what clicking it does. */
export interface LoadMoreHandler {
  readonly label?: string;
  load(): Promise<void>;
}

export type JobsTreeNode = ProviderNode | AccountNode | ResourceNode | MessageNode | LoadMoreNode | ActiveNode | NoMatchNode;

/** What the tree reads of JobOrigins (the "mine" filter). */
export interface MineSource {
  isMine(provider: ProviderId, id: string): boolean;
  readonly onDidChange: Event<{ readonly provider: ProviderId; readonly id: string }>;
}

export const CLEAR_FILTER_COMMAND = 'simcloud.jobs.clearFilter';

export const LOAD_MORE_COMMAND = 'simcloud.jobs.loadMore';

export const SWITCH_ACCOUNT_COMMAND = 'simcloud.account.switch';

/**
 * The Jobs view: one node per provider, its jobs under it (sweeps with their variants under them). It draws from
 * the models only and never calls the network; when nothing is signed in it returns no children so the view's
 * welcome content shows. Store changes redraw only the nodes that changed, or their parent when one was added or
 * removed.
 */
export class JobsTreeDataProvider implements vscode.TreeDataProvider<JobsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly providerNodes = new Map<ProviderId, ProviderNode>();
  /** Per provider, account id → node (kept while the account exists, so VS Code keeps its row). */
  private readonly accountNodes = new Map<ProviderId, Map<string, AccountNode>>();
  /** Providers last drawn with a level of account rows: a provider gaining or losing it takes a whole-view redraw. */
  private readonly multiShown = new Set<ProviderId>();
  /** Per provider, id → node: VS Code keys rows by node identity, so a resource keeps its node while it exists. */
  private readonly resourceNodes = new Map<ProviderId, Map<string, ResourceNode>>();
  /**
   * Rows already built, kept until the store reports the resource changed (or it shows a running clock): a poll of
   * 10,000 jobs usually changes a few, and building every row again was most of a redraw's time and garbage.
   */
  private readonly rows = new WeakMap<ResourceNode, { readonly item: vscode.TreeItem; readonly hasChildren: boolean }>();
  private readonly problems = new Map<ProviderId, { text: string; detail?: string; signIn?: boolean }>();
  private readonly subscriptions: { dispose(): void }[] = [];
  private readonly activeShown = new Map<ProviderId, number>();
  private readonly loadMoreHandlers = new Map<ProviderId, LoadMoreHandler>();
  private readonly loadMoreNodes = new Map<ProviderId, LoadMoreNode>();
  private readonly loading = new Set<ProviderId>();
  /** Whether the last root listing was empty (welcome content showing): then only a full refresh can add nodes. */
  private showingWelcome = true;
  /** The filter and sort applied to every level (JobsView caches what each level shows). */
  readonly view: JobsView;
  private readonly activeNode: ActiveNode = { type: 'active' };
  private readonly noMatchNode: NoMatchNode = { type: 'noMatch' };
  private readonly activeResourceNodes = new Map<string, ResourceNode>();
  /** `provider:id` of the Active group's rows as last listed, and whether the group was shown at all. */
  private activeShownKeys = new Set<string>();
  /** Per provider, whether its row was last drawn empty (its id then ends in `:empty`). */
  private readonly emptyShown = new Map<ProviderId, boolean>();
  private activeGroupShown = false;
  private noMatchShown = false;

  constructor(
    private readonly accounts: AccountsModel,
    private readonly store: JobStore,
    private readonly now: () => number = Date.now,
    private readonly origins?: MineSource & Pick<JobOrigins, 'get'>,
    query: JobsViewQuery = DEFAULT_QUERY,
  ) {
    const signedIn = () => this.accounts.all().filter((status) => status.state === 'signedIn').map((status) => status.provider);
    this.view = new JobsView(store, signedIn, (resource) => origins?.isMine(resource.provider, resource.id) ?? false, now);
    this.view.setQuery(query);
    if (origins) {
      this.subscriptions.push(
        origins.onDidChange(() => {
          // Only the "mine" filter reads origins; a new submission is new to the store anyway.
          if (!this.view.query.filters.includes('mine')) return;
          this.view.invalidate();
          this.changed.fire(undefined);
        }),
      );
    }
    this.subscriptions.push(
      accounts.onDidChangeAccounts((providers) => {
        // Going from "nothing signed in" to "something" swaps welcome content for nodes: that needs a full refresh.
        this.view.invalidate();
        const layoutFlipped = providers.some((provider) => this.multiShown.has(provider) !== this.hasSeveralAccounts(provider));
        if (providers.length === 1 && !layoutFlipped && this.accounts.anySignedIn && !this.showingWelcome && !this.view.filtered && !this.activeGroupShown) this.changed.fire(this.providerNode(providers[0]));
        else this.changed.fire(undefined);
      }),
      store.onDidChangeResources((change) => this.onStoreChange(change)),
    );
  }

  /**
   * A new filter or sort: one redraw of the whole view. Rows keep their TreeItem ids, so VS Code keeps what was
   * expanded and selected, and built rows are reused (only the listings are recomputed).
   */
  setQuery(query: JobsViewQuery): void {
    this.view.setQuery(query);
    this.changed.fire(undefined);
  }

  /** A failed refresh shows as a node under its provider until the next good one. */
  setProblem(provider: ProviderId, problem: { text: string; detail?: string; signIn?: boolean } | undefined): void {
    const before = this.problems.get(provider);
    if (before?.text === problem?.text) return;
    if (problem) this.problems.set(provider, problem);
    else this.problems.delete(provider);
    this.redrawProvider(provider);
  }

  /**
   * Any provider with a paged list: while a handler is set, a "Load more…" node follows the provider's resources and
   * clicking it (LOAD_MORE_COMMAND) runs the handler; undefined removes the node.
   */
  setLoadMore(provider: ProviderId, handler: LoadMoreHandler | undefined): void {
    const before = this.loadMoreHandlers.get(provider);
    if (before === handler || (before && handler && before.label === handler.label)) {
      if (handler) this.loadMoreHandlers.set(provider, handler);
      return;
    }
    if (handler) this.loadMoreHandlers.set(provider, handler);
    else this.loadMoreHandlers.delete(provider);
    this.redrawProvider(provider);
  }

  /** The command behind the "Load more…" node: one load at a time per provider. */
  async loadMore(arg: unknown): Promise<void> {
    const provider = (arg as Partial<LoadMoreNode> | undefined)?.type === 'more' ? (arg as LoadMoreNode).provider : undefined;
    const handler = provider && this.loadMoreHandlers.get(provider);
    if (!provider || !handler || this.loading.has(provider)) return;
    this.loading.add(provider);
    this.changed.fire(this.loadMoreNode(provider));
    try {
      await handler.load();
    } finally {
      this.loading.delete(provider);
      if (this.loadMoreHandlers.has(provider)) this.changed.fire(this.loadMoreNode(provider));
    }
  }

  /** Redraws running resources so their elapsed time moves (called after a poll that changed nothing). */
  refreshActive(provider: ProviderId): void {
    for (const resource of this.store.ordered(provider)) {
      if (!showsClock(resource)) continue;
      this.changed.fire(this.resourceNode(provider, resource.id));
      const activeRow = this.activeResourceNodes.get(`${provider}:${resource.id}`);
      if (activeRow && this.activeShownKeys.has(`${provider}:${resource.id}`)) this.changed.fire(activeRow);
    }
  }

  async getChildren(element?: JobsTreeNode): Promise<JobsTreeNode[]> {
    await this.accounts.ready();
    if (!element) {
      this.showingWelcome = !this.accounts.anySignedIn;
      if (this.showingWelcome) return [];
      const nodes: JobsTreeNode[] = [];
      this.noMatchShown = this.nothingMatches();
      if (this.noMatchShown) nodes.push(this.noMatchNode);
      this.activeGroupShown = this.view.active().length > 0;
      if (this.activeGroupShown) nodes.push(this.activeNode);
      nodes.push(...this.accounts.all().map((status) => this.providerNode(status.provider)));
      return nodes;
    }
    if (element.type === 'message' || element.type === 'more' || element.type === 'noMatch') return [];
    if (element.type === 'active') {
      const active = this.view.active();
      this.activeShownKeys = new Set(active.map((r) => `${r.provider}:${r.id}`));
      return active.map((r) => this.activeResourceNode(r.provider, r.id));
    }
    if (element.type === 'resource') {
      if (element.group === 'active') return [];
      return this.view.children(element.provider, element.id).map((r) => this.resourceNode(element.provider, r.id));
    }
    if (element.type === 'provider' && this.hasSeveralAccounts(element.provider)) {
      return (this.accounts.status(element.provider).accounts ?? []).map((account) => this.accountNode(element.provider, account.id));
    }
    // The provider's jobs are the account in use's: under its row when the provider has several, else under the provider.
    if (element.type === 'account' && !this.isActiveAccount(element)) return [];
    const problem = this.problems.get(element.provider);
    const nodes: JobsTreeNode[] = problem ? [{ type: 'message', provider: element.provider, kind: 'error', ...problem }] : [];
    nodes.push(...this.view.roots(element.provider).map((r) => this.resourceNode(element.provider, r.id)));
    if (this.loadMoreHandlers.has(element.provider)) nodes.push(this.loadMoreNode(element.provider));
    return nodes;
  }

  getTreeItem(node: JobsTreeNode): vscode.TreeItem {
    if (node.type === 'provider') return this.providerTreeItem(this.accounts.status(node.provider));
    if (node.type === 'account') return this.accountTreeItem(node);
    if (node.type === 'message') return messageTreeItem(node);
    if (node.type === 'more') return loadMoreTreeItem(node, this.loadMoreHandlers.get(node.provider)?.label, this.loading.has(node.provider));
    if (node.type === 'active') {
      // Drawn (with its count) even while collapsed, when VS Code asks for no children: the jobs it counts are the ones
      // whose changes must redraw it.
      const active = this.view.active();
      this.activeShownKeys = new Set(active.map((r) => `${r.provider}:${r.id}`));
      return activeTreeItem(active.length);
    }
    if (node.type === 'noMatch') return noMatchTreeItem();
    const resource = this.store.get(node.provider, node.id);
    if (!resource) return new vscode.TreeItem(node.id);
    const hasChildren = node.group !== 'active' && this.view.hasChildren(node.provider, node.id);
    const row = this.rows.get(node);
    if (row && row.hasChildren === hasChildren) return row.item;
    const item = resourceTreeItem(resource, hasChildren, this.now());
    if (node.group === 'active') {
      item.id = `active:${node.provider}:${node.id}`;
      // The same job is a row under its provider too: a screen reader (and a test) can tell the two apart.
      item.accessibilityInformation = { label: vscode.l10n.t('{0} (in Active)', item.accessibilityInformation?.label ?? resource.displayName) };
    }
    // A running resource without progress text shows its elapsed time: that row is built afresh every time.
    if (!showsClock(resource)) this.rows.set(node, { item, hasChildren });
    return item;
  }

  /** A resource's tooltip is built when VS Code shows it (on hover), not for every row drawn. */
  resolveTreeItem(item: vscode.TreeItem, node: JobsTreeNode): vscode.TreeItem {
    if (node.type === 'resource' && item.tooltip === undefined) {
      const resource = this.store.get(node.provider, node.id);
      if (resource) item.tooltip = resourceTooltip(resource, this.origins?.get(node.provider, node.id));
    }
    return item;
  }

  getParent(node: JobsTreeNode): JobsTreeNode | undefined {
    if (node.type === 'provider' || node.type === 'active' || node.type === 'noMatch') return undefined;
    if (node.type === 'resource' && node.group === 'active') return this.activeNode;
    if (node.type === 'account') return this.providerNode(node.provider);
    if (node.type === 'resource') {
      const parentId = this.store.get(node.provider, node.id)?.parentId;
      if (parentId && this.store.get(node.provider, parentId)) return this.resourceNode(node.provider, parentId);
    }
    return this.jobsParent(node.provider);
  }

  resourceNode(provider: ProviderId, id: string): ResourceNode {
    let nodes = this.resourceNodes.get(provider);
    if (!nodes) this.resourceNodes.set(provider, (nodes = new Map()));
    let node = nodes.get(id);
    if (!node) {
      node = { type: 'resource', provider, id };
      nodes.set(id, node);
    }
    return node;
  }

  /** Where a node is shown now, for reveal() after a redraw: undefined when the filter hides it. */
  shownNode(node: JobsTreeNode): JobsTreeNode | undefined {
    if (node.type !== 'resource') return node;
    if (node.group === 'active') return this.view.active().some((r) => r.provider === node.provider && r.id === node.id) ? this.activeResourceNode(node.provider, node.id) : undefined;
    return this.view.isShown(node.provider, node.id) ? this.resourceNode(node.provider, node.id) : undefined;
  }

  /** Filtered to nothing, with jobs there (before the first listing, an empty view is not the filter's doing). */
  private nothingMatches(): boolean {
    if (!this.view.filtered) return false;
    const { matching, total } = this.view.counts();
    return matching === 0 && total > 0;
  }

  private activeResourceNode(provider: ProviderId, id: string): ResourceNode {
    const key = `${provider}:${id}`;
    let node = this.activeResourceNodes.get(key);
    if (!node) {
      node = { type: 'resource', provider, id, group: 'active' };
      this.activeResourceNodes.set(key, node);
    }
    return node;
  }

  private onStoreChange(change: ResourceChange): void {
    const { provider } = change;
    this.view.invalidate(provider);
    const nodes = this.resourceNodes.get(provider);
    // Under a filter or another order, any change may move or hide a row: the provider's listing is redrawn (one
    // listing; unchanged rows come from the cache).
    let structural = change.removed.length > 0 || this.view.filtered || this.view.query.sort !== 'newest';
    for (const resource of change.changed) {
      const node = nodes?.get(resource.id);
      if (node) this.rows.delete(node);
      else structural = true;
      const activeRow = this.activeResourceNodes.get(`${provider}:${resource.id}`);
      if (activeRow) this.rows.delete(activeRow);
    }
    for (const id of change.removed) {
      nodes?.delete(id);
      this.activeResourceNodes.delete(`${provider}:${id}`);
    }
    if (this.updateActiveGroup(change)) return;
    // A removed or new resource changes its parent's children: redraw the provider (cheap: one listing).
    if (structural) {
      this.redrawProvider(provider);
      return;
    }
    for (const resource of change.changed) this.changed.fire(this.resourceNode(provider, resource.id));
    // The provider row shows "N active": redraw it when that number moved.
    const active = this.store.activeCount(provider);
    if (this.activeShown.get(provider) !== active) this.changed.fire(this.providerNode(provider));
  }

  /**
   * Redraws the Active group when the change touched a job in it or one that belongs in it; returns true when that
   * took a redraw of the whole view (the group or the no-match line appeared or went), which covers everything else.
   */
  private updateActiveGroup(change: ResourceChange): boolean {
    if (this.showingWelcome || !this.accounts.anySignedIn) return false;
    const key = (id: string) => `${change.provider}:${id}`;
    const touched = change.changed.some((r) => RUNNING_STATUSES.has(r.status) || this.activeShownKeys.has(key(r.id))) || change.removed.some((id) => this.activeShownKeys.has(key(id)));
    const noMatch = this.nothingMatches();
    if (noMatch !== this.noMatchShown || (touched && this.view.active().length > 0 !== this.activeGroupShown)) {
      this.changed.fire(undefined);
      return true;
    }
    if (touched && this.activeGroupShown) this.changed.fire(this.activeNode);
    return false;
  }

  private loadMoreNode(provider: ProviderId): LoadMoreNode {
    let node = this.loadMoreNodes.get(provider);
    if (!node) {
      node = { type: 'more', provider };
      this.loadMoreNodes.set(provider, node);
    }
    return node;
  }

  /** Whether the provider shows a row per account: only with more than one (one account is the plain layout). */
  private hasSeveralAccounts(provider: ProviderId): boolean {
    const status = this.accounts.status(provider);
    return status.state === 'signedIn' && (status.accounts?.length ?? 0) > 1;
  }

  private isActiveAccount(node: AccountNode): boolean {
    return this.accounts.status(node.provider).active === node.account;
  }

  /** The row the provider's top-level jobs hang under. */
  private jobsParent(provider: ProviderId): ProviderNode | AccountNode {
    const active = this.accounts.status(provider).active;
    return this.hasSeveralAccounts(provider) && active ? this.accountNode(provider, active) : this.providerNode(provider);
  }

  private accountNode(provider: ProviderId, account: string): AccountNode {
    let nodes = this.accountNodes.get(provider);
    if (!nodes) this.accountNodes.set(provider, (nodes = new Map()));
    let node = nodes.get(account);
    if (!node) {
      node = { type: 'account', provider, account };
      nodes.set(account, node);
    }
    return node;
  }

  private providerNode(provider: ProviderId): ProviderNode {
    let node = this.providerNodes.get(provider);
    if (!node) {
      node = { type: 'provider', provider };
      this.providerNodes.set(provider, node);
    }
    return node;
  }

  /**
   * Redraws one provider's row and children. Its row's id changes when it gains its first row or loses its last (see
   * providerTreeItem), and a refresh of that row alone left VS Code showing it collapsed: that takes a whole-view redraw.
   */
  private redrawProvider(provider: ProviderId): void {
    const emptyFlipped = this.emptyShown.has(provider) && this.emptyShown.get(provider) !== this.isEmpty(provider);
    this.changed.fire(this.accounts.anySignedIn && !this.showingWelcome && !emptyFlipped ? this.providerNode(provider) : undefined);
  }

  private isEmpty(provider: ProviderId): boolean {
    return !(this.view.roots(provider).length > 0 || this.problems.has(provider) || this.loadMoreHandlers.has(provider));
  }

  private providerTreeItem(status: AccountStatus): vscode.TreeItem {
    const item = providerTreeItem(status);
    const several = this.hasSeveralAccounts(status.provider);
    if (several) this.multiShown.add(status.provider);
    else this.multiShown.delete(status.provider);
    if (several) {
      // Always has rows (its accounts), and another id than the one-account row, so it shows expanded.
      item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
      item.id = `${item.id}:accounts`;
      this.emptyShown.delete(status.provider);
      const active = this.store.activeCount(status.provider);
      this.activeShown.set(status.provider, active);
      const inUse = status.accounts?.find((account) => account.id === status.active);
      item.description = vscode.l10n.t('Signed in as {0}', inUse ? accountLabel(status.provider, inUse) : '');
      if (active > 0) item.description = `${item.description} · ${vscode.l10n.t('{0} active', active)}`;
    } else if (status.state === 'signedIn') {
      const empty = this.isEmpty(status.provider);
      item.collapsibleState = empty ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Expanded;
      // VS Code keeps a row's expansion by id through a whole-view redraw, and a row that was a leaf comes back
      // collapsed when it gains children: an empty provider (nothing yet, or nothing passing the filter) is another
      // row, so jobs arriving or a filter cleared shows the provider expanded.
      // And a provider with rows is another id than the signed-out row it was at start-up (a leaf VS Code remembers
      // as collapsed): its first rows show expanded.
      item.id = `${item.id}:${empty ? 'empty' : 'jobs'}`;
      this.emptyShown.set(status.provider, empty);
      const active = this.store.activeCount(status.provider);
      this.activeShown.set(status.provider, active);
      if (active > 0) item.description = `${item.description as string} · ${vscode.l10n.t('{0} active', active)}`;
    }
    return item;
  }

  private accountTreeItem(node: AccountNode): vscode.TreeItem {
    const status = this.accounts.status(node.provider);
    const account: AccountSummary = status.accounts?.find((entry) => entry.id === node.account) ?? { id: node.account, location: 'secretStorage' };
    const label = accountLabel(node.provider, account);
    const inUse = status.active === node.account;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.contextValue = accountContextValue(account, inUse);
    item.accessibilityInformation = { label: inUse ? vscode.l10n.t('{0} account {1}, in use', PROVIDERS[node.provider].displayName, label) : vscode.l10n.t('{0} account {1}, not in use', PROVIDERS[node.provider].displayName, label) };
    if (!inUse) {
      item.id = `account:${node.provider}:${node.account}`;
      item.iconPath = new vscode.ThemeIcon('account');
      // Its jobs are not polled (that would spend a second key's budget on a view nobody asked for): one click shows them.
      item.description = vscode.l10n.t('Switch to see its jobs');
      item.tooltip = vscode.l10n.t('Click to switch {0} to the account "{1}": its jobs replace those of the account in use.', PROVIDERS[node.provider].displayName, label);
      item.command = { command: SWITCH_ACCOUNT_COMMAND, title: vscode.l10n.t('Switch Account'), arguments: [node] };
      return item;
    }
    const empty = this.isEmpty(node.provider);
    item.collapsibleState = empty ? vscode.TreeItemCollapsibleState.None : vscode.TreeItemCollapsibleState.Expanded;
    // Like the provider row of the one-account layout: an empty row is another id, so its first jobs show expanded.
    item.id = `account:${node.provider}:${node.account}:${empty ? 'empty' : 'jobs'}`;
    item.iconPath = new vscode.ThemeIcon('account', new vscode.ThemeColor('testing.iconPassed'));
    const active = this.store.activeCount(node.provider);
    item.description = active > 0 ? `${vscode.l10n.t('In use')} · ${vscode.l10n.t('{0} active', active)}` : vscode.l10n.t('In use');
    item.tooltip =
      account.location === 'environment'
        ? vscode.l10n.t('The {0} account in use, from an environment variable (read-only).', PROVIDERS[node.provider].displayName)
        : vscode.l10n.t('The {0} account in use. Its key is in VS Code secret storage.', PROVIDERS[node.provider].displayName);
    return item;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}

function showsClock(resource: Resource): boolean {
  return resource.status === 'running' && !resource.progress?.text;
}

function activeTreeItem(count: number): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('Active ({0})', count), vscode.TreeItemCollapsibleState.Expanded);
  item.id = 'active';
  item.iconPath = new vscode.ThemeIcon('pulse');
  item.contextValue = 'activeGroup';
  return item;
}

function noMatchTreeItem(): vscode.TreeItem {
  const item = new vscode.TreeItem(vscode.l10n.t('No jobs match the filter'), vscode.TreeItemCollapsibleState.None);
  item.id = 'noMatch';
  item.iconPath = new vscode.ThemeIcon('filter');
  item.description = vscode.l10n.t('Clear Filter');
  item.contextValue = 'message message-noMatch';
  item.command = { command: CLEAR_FILTER_COMMAND, title: vscode.l10n.t('Clear Filter') };
  return item;
}

function loadMoreTreeItem(node: LoadMoreNode, label: string | undefined, loading: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(label ?? vscode.l10n.t('Load more…'), vscode.TreeItemCollapsibleState.None);
  item.id = `more:${node.provider}`;
  item.iconPath = new vscode.ThemeIcon(loading ? 'loading~spin' : 'ellipsis');
  item.description = loading ? vscode.l10n.t('loading…') : undefined;
  item.tooltip = vscode.l10n.t('Load older items from {0}', PROVIDERS[node.provider].displayName);
  item.contextValue = 'loadMore';
  item.command = { command: LOAD_MORE_COMMAND, title: vscode.l10n.t('Load More'), arguments: [node] };
  return item;
}

function messageTreeItem(node: MessageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
  item.id = `message:${node.provider}:${node.kind}`;
  item.iconPath = node.kind === 'error' ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')) : new vscode.ThemeIcon('info');
  item.tooltip = node.detail ?? node.text;
  item.contextValue = `message message-${node.kind}`;
  if (node.kind === 'error') {
    item.command = node.signIn
      ? { command: 'simcloud.account.signIn', title: vscode.l10n.t('Sign In'), arguments: [{ type: 'provider', provider: node.provider }] }
      : { command: 'simcloud.jobs.refresh', title: vscode.l10n.t('Retry') };
  }
  return item;
}

function providerTreeItem(status: AccountStatus): vscode.TreeItem {
  const descriptor = PROVIDERS[status.provider];
  const item = new vscode.TreeItem(descriptor.displayName, vscode.TreeItemCollapsibleState.None);
  item.id = `provider:${status.provider}`;
  item.contextValue = providerContextValue(status);
  const host = status.endpoints ? new URL(status.endpoints.baseUrl).host : undefined;
  switch (status.state) {
    case 'signedIn':
      item.description = status.location === 'environment' ? vscode.l10n.t('Signed in (environment)') : vscode.l10n.t('Signed in');
      item.iconPath = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
      item.tooltip = new vscode.MarkdownString(
        status.location === 'environment'
          ? vscode.l10n.t('**{0}** — signed in to `{1}` with a key from an environment variable.', descriptor.displayName, host ?? '')
          : vscode.l10n.t('**{0}** — signed in to `{1}`. The key is in VS Code secret storage.', descriptor.displayName, host ?? ''),
      );
      break;
    case 'signedOut':
      item.description = vscode.l10n.t('Not signed in');
      item.iconPath = new vscode.ThemeIcon('circle-large-outline');
      item.tooltip = vscode.l10n.t('{0} — not signed in to {1}. Use the sign-in button to add a key.', descriptor.displayName, host ?? '');
      item.command = { command: 'simcloud.account.signIn', title: vscode.l10n.t('Sign In'), arguments: [{ type: 'provider', provider: status.provider }] };
      break;
    case 'misconfigured':
      item.description = vscode.l10n.t('Check settings');
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.tooltip = status.problem;
      item.command = { command: 'simcloud.openSettings', title: vscode.l10n.t('Open Settings') };
      break;
  }
  return item;
}
