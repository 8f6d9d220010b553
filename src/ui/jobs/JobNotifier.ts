import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/JobStore';
import { TERMINAL_STATUSES, type Resource } from '../../core/jobs/Resource';
import type { ProviderId } from '../../core/providers/providerCatalog';
import { notificationText } from '../../core/util/notificationText';
import { walkthroughStepDone } from '../walkthrough/walkthroughStepDone';

const WATCHED_KEY = 'simcloud.watchedJobs';

export interface JobNotificationActions {
  download(resource: Resource): unknown;
  showLog(resource: Resource): unknown;
  showFailureExcerpt(resource: Resource): unknown;
}

/**
 * Tells the user when a job they submitted reaches a terminal state, once, with Download / Show Log (and Show Failure
 * Excerpt when it failed, whatever the provider). The watched set
 * lives in global state so a job submitted before a reload is still announced after it.
 */
export class JobNotifier implements vscode.Disposable {
  private readonly subscription: { dispose(): void };
  /** Announced in this window; the persisted set catches up asynchronously and must not let one through twice. */
  private readonly announced = new Set<string>();

  constructor(
    store: JobStore,
    private readonly state: vscode.Memento,
    private readonly actions: JobNotificationActions,
    /** Whether this window tells the user (once across windows, in a focused one); every window alone says yes. */
    private readonly gate: (resource: Resource) => Promise<boolean> = () => Promise.resolve(true),
  ) {
    this.subscription = store.onDidChangeResources((change) => {
      for (const resource of change.changed) if (TERMINAL_STATUSES.has(resource.status) && this.watched().includes(key(resource.provider, resource.id))) void this.announce(resource);
    });
  }

  watch(provider: ProviderId, id: string): Thenable<void> {
    // Every submit path watches the job it just submitted: the walkthrough's "submit a first job" is done.
    walkthroughStepDone('submittedJob');
    const watched = new Set(this.watched());
    watched.add(key(provider, id));
    return this.state.update(WATCHED_KEY, [...watched]);
  }

  /** The user stopped it themselves (Cancel): no need to tell them it was cancelled. */
  unwatch(provider: ProviderId, id: string): Thenable<void> {
    return this.state.update(
      WATCHED_KEY,
      this.watched().filter((entry) => entry !== key(provider, id)),
    );
  }

  private watched(): string[] {
    return this.state.get<string[]>(WATCHED_KEY) ?? [];
  }

  private async announce(resource: Resource): Promise<void> {
    if (this.announced.has(key(resource.provider, resource.id))) return;
    this.announced.add(key(resource.provider, resource.id));
    // Kept watched while held: a window closed before anyone was focused announces it after the next start.
    if (!(await this.gate(resource))) return;
    await this.state.update(
      WATCHED_KEY,
      this.watched().filter((entry) => entry !== key(resource.provider, resource.id)),
    );
    const download = vscode.l10n.t('Download Results');
    const showLog = vscode.l10n.t('Show Log');
    const excerpt = vscode.l10n.t('Show Failure Excerpt');
    const name = notificationText(resource.displayName);
    let choice: string | undefined;
    if (resource.status === 'succeeded') {
      const buttons = resource.actions.includes('download') ? [download, showLog] : [showLog];
      choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} completed.', name), ...buttons);
    } else if (resource.status === 'failed') {
      const reason = resource.details.find(([label]) => /error|reason/i.test(label))?.[1];
      choice = await vscode.window.showErrorMessage(reason ? vscode.l10n.t('{0} failed: {1}', name, notificationText(reason)) : vscode.l10n.t('{0} failed.', name), excerpt, showLog);
    } else {
      choice = await vscode.window.showInformationMessage(vscode.l10n.t('{0} was cancelled.', name), showLog);
    }
    if (choice === download) this.actions.download(resource);
    else if (choice === showLog) this.actions.showLog(resource);
    else if (choice === excerpt) this.actions.showFailureExcerpt(resource);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

function key(provider: ProviderId, id: string): string {
  return `${provider}:${id}`;
}
