import * as vscode from 'vscode';
import { DEFAULT_QUERY, isFiltered, JOB_SORTS, parseQuery, type JobFilter, type JobSort, type JobsViewQuery } from '../../core/jobs/JobsViewQuery';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import type { ContextKeys } from '../ContextKeys';
import type { JobsTreeDataProvider, JobsTreeNode } from './JobsTreeDataProvider';

/** Workspace state key of the Jobs view's filter and sort (each workspace keeps its own). */
export const QUERY_STATE_KEY = 'simcloud.jobs.viewQuery';
/** Typing in Filter Jobs… applies the text this long after the last key, so 10,000 jobs are filtered once per pause. */
export const TEXT_DEBOUNCE_MS = 150;

/** Injectable so tests drive the debounce without waiting on wall time. */
export interface Timer {
  set(run: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimer: Timer = {
  set: (run, ms) => setTimeout(run, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface FilterItem extends vscode.QuickPickItem {
  readonly filter: JobFilter;
}

interface SortItem extends vscode.QuickPickItem {
  readonly sort: JobSort;
}

/** The persisted query as the tree starts with it, before the view is drawn the first time. */
export function storedQuery(state: KeyValueStore): JobsViewQuery {
  return parseQuery(state.get(QUERY_STATE_KEY));
}

/**
 * Filter Jobs…, Sort Jobs By…, Clear Filter: they set the tree's query, keep it in workspace state, show it in the
 * view's message above the rows ("failed · "render" — 37 of 10,000"; the title's description is cut off behind the
 * title buttons in a side bar of usual width) and in the `simcloud.jobs.filtered` context key, and
 * select again after a redraw what was selected, when it is still shown.
 */
export class JobsViewCommands implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private selected: JobsTreeNode | undefined;
  private pendingDescription: unknown;
  private pendingReveal: unknown;
  /** A filter or sort change re-selects even when VS Code kept a selection (the row moved); a poll's redraw only when it was lost. */
  private forceReveal = false;

  constructor(
    private readonly tree: JobsTreeDataProvider,
    private readonly view: vscode.TreeView<JobsTreeNode>,
    private readonly state: KeyValueStore,
    private readonly contextKeys: ContextKeys,
    private readonly timer: Timer = realTimer,
  ) {
    this.subscriptions.push(
      view.onDidChangeSelection((event) => {
        if (event.selection.length > 0) this.selected = event.selection[0];
      }),
      // Polls change the counts; a whole-view redraw (sign-in, Active appearing) may drop the selection.
      tree.onDidChangeTreeData((node) => {
        if (isFiltered(this.tree.view.query)) this.later('description');
        if (node === undefined) this.later('reveal');
      }),
    );
    this.showQuery();
  }

  get query(): JobsViewQuery {
    return this.tree.view.query;
  }

  async apply(query: JobsViewQuery): Promise<void> {
    const before = this.query;
    if (before.sort === query.sort && before.text === query.text && sameFilters(before.filters, query.filters)) return;
    this.tree.setQuery(query);
    this.showQuery();
    this.forceReveal = true;
    this.later('reveal');
    await this.state.update(QUERY_STATE_KEY, query);
  }

  clear(): Promise<void> {
    return this.apply({ ...this.query, filters: [], text: '' });
  }

  /**
   * One quick pick: the checkboxes are the status filters, the input is the text filter, both applied live (the
   * text after a pause in typing). Enter keeps the filter; Escape puts back the one from before.
   */
  filter(): Promise<void> {
    const before = this.query;
    const pick = vscode.window.createQuickPick<FilterItem>();
    pick.title = vscode.l10n.t('Filter Jobs');
    pick.placeholder = vscode.l10n.t('Match names, ids and details; check to narrow');
    pick.canSelectMany = true;
    // alwaysShow: the typed text filters jobs, not these three checkboxes.
    const items: FilterItem[] = [
      { filter: 'running', label: vscode.l10n.t('Running'), description: vscode.l10n.t('queued, running or stopping'), alwaysShow: true },
      { filter: 'failed', label: vscode.l10n.t('Failed'), alwaysShow: true },
      { filter: 'mine', label: vscode.l10n.t('Mine'), description: vscode.l10n.t('submitted from this VS Code'), alwaysShow: true },
    ];
    pick.items = items;
    pick.selectedItems = items.filter((item) => before.filters.includes(item.filter));
    pick.value = before.text;
    let pendingText: unknown;
    let accepted = false;
    const applyNow = () => {
      if (pendingText !== undefined) this.timer.clear(pendingText);
      pendingText = undefined;
      return this.apply({ ...this.query, filters: pick.selectedItems.map((item) => item.filter), text: pick.value });
    };
    return new Promise<void>((resolve) => {
      const disposables = [
        pick.onDidChangeValue(() => {
          if (pendingText !== undefined) this.timer.clear(pendingText);
          pendingText = this.timer.set(() => void applyNow(), TEXT_DEBOUNCE_MS);
        }),
        pick.onDidChangeSelection(() => void applyNow()),
        pick.onDidAccept(() => {
          accepted = true;
          void applyNow();
          pick.hide();
        }),
        pick.onDidHide(() => {
          if (pendingText !== undefined) this.timer.clear(pendingText);
          for (const disposable of disposables) disposable.dispose();
          pick.dispose();
          void (accepted ? Promise.resolve() : this.apply(before)).then(resolve, resolve);
        }),
      ];
      pick.show();
    });
  }

  async sort(): Promise<void> {
    const current = this.query.sort;
    const items: SortItem[] = JOB_SORTS.map((sort) => ({ sort, label: sortLabel(sort), description: sort === current ? vscode.l10n.t('current') : undefined }));
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Sort Jobs By') });
    if (picked) await this.apply({ ...this.query, sort: picked.sort });
  }

  dispose(): void {
    if (this.pendingDescription !== undefined) this.timer.clear(this.pendingDescription);
    if (this.pendingReveal !== undefined) this.timer.clear(this.pendingReveal);
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private later(what: 'description' | 'reveal'): void {
    if (what === 'description') {
      this.pendingDescription ??= this.timer.set(() => {
        this.pendingDescription = undefined;
        this.view.message = this.describe();
      }, 0);
    } else {
      this.pendingReveal ??= this.timer.set(() => {
        this.pendingReveal = undefined;
        const force = this.forceReveal;
        this.forceReveal = false;
        void this.revealSelected(force);
      }, 0);
    }
  }

  private showQuery(): void {
    void this.contextKeys.setJobsFiltered(isFiltered(this.query));
    this.view.message = this.describe();
  }

  /** `failed · mine · "render" · by name — 37 of 10,000`; nothing when the view shows everything newest first. */
  describe(): string | undefined {
    const query = this.query;
    const parts: string[] = query.filters.map(filterWord);
    if (query.text.trim()) parts.push(`"${query.text.trim()}"`);
    if (query.sort !== DEFAULT_QUERY.sort) parts.push(vscode.l10n.t('by {0}', sortWord(query.sort)));
    if (parts.length === 0) return undefined;
    const { matching, total } = this.tree.view.counts();
    // No counts before the first listing: "0 of 0" would read as an empty account.
    if (!isFiltered(query) || total === 0) return parts.join(' · ');
    const format = new Intl.NumberFormat(vscode.env.language);
    return vscode.l10n.t('{0} — {1} of {2}', parts.join(' · '), format.format(matching), format.format(total));
  }

  private async revealSelected(force: boolean): Promise<void> {
    const node = this.selected && this.tree.shownNode(this.selected);
    if (!node || !this.view.visible) return;
    // Scrolling back to the selection on every poll's redraw would pull a user reading elsewhere in 10,000 rows away.
    if (!force && this.view.selection.length > 0) return;
    try {
      await this.view.reveal(node, { select: true, focus: false, expand: false });
    } catch {
      // The row went away between the redraw and now (a poll removed it): nothing to select.
    }
  }
}

function sameFilters(a: readonly JobFilter[], b: readonly JobFilter[]): boolean {
  return a.length === b.length && a.every((filter) => b.includes(filter));
}

function filterWord(filter: JobFilter): string {
  switch (filter) {
    case 'running':
      return vscode.l10n.t('running');
    case 'failed':
      return vscode.l10n.t('failed');
    case 'mine':
      return vscode.l10n.t('mine');
  }
}

function sortLabel(sort: JobSort): string {
  switch (sort) {
    case 'newest':
      return vscode.l10n.t('Newest first');
    case 'oldest':
      return vscode.l10n.t('Oldest first');
    case 'name':
      return vscode.l10n.t('Name');
    case 'status':
      return vscode.l10n.t('Status (running first, then failed)');
    case 'duration':
      return vscode.l10n.t('Duration (longest first)');
  }
}

function sortWord(sort: JobSort): string {
  switch (sort) {
    case 'newest':
      return vscode.l10n.t('newest');
    case 'oldest':
      return vscode.l10n.t('oldest');
    case 'name':
      return vscode.l10n.t('name');
    case 'status':
      return vscode.l10n.t('status');
    case 'duration':
      return vscode.l10n.t('duration');
  }
}
