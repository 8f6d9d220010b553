import * as vscode from 'vscode';
import type { JobStore } from '../../../core/jobs/JobStore';
import type { Resource } from '../../../core/jobs/Resource';
import { notificationText } from '../../../core/util/notificationText';
import { formatTimeLeft } from '../../../providers/cybernetic/cyberneticResources';
import type { StartedSessions } from './SessionCommands';
import { sessionsToWarn } from './sessionTiming';

const WARNED_KEY = 'simcloud.cybernetic.runtimeWarned';
const MAX_WARNED = 200;
/** How often running sessions are checked against their runtime limit between polls. */
const CHECK_EVERY_MS = 30_000;

export interface SessionWatcherActions {
  openViewer(sessionId: string): unknown;
  stop(sessionId: string): unknown;
}

/**
 * Tells the user, once each: when a session started in this window is running (Open Viewer), and when a running
 * session is `simcloud.cybernetic.runtimeWarningMinutes` from its runtime limit (Open Viewer / Stop Now). The warned
 * ids live in global state so a reload does not warn twice.
 */
export class SessionWatcher implements vscode.Disposable, StartedSessions {
  private readonly awaitingRunning = new Set<string>();
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: JobStore,
    private readonly state: vscode.Memento,
    private readonly actions: SessionWatcherActions,
  ) {
    this.subscription = store.onDidChangeResources((change) => {
      if (change.provider !== 'cybernetic') return;
      for (const resource of change.changed) if (resource.kind === 'session') this.onSession(resource);
      this.check();
    });
  }

  add(sessionId: string): void {
    this.awaitingRunning.add(sessionId);
  }

  private onSession(resource: Resource): void {
    if (!this.awaitingRunning.has(resource.id)) return;
    if (resource.status === 'queued' || resource.status === 'unknown') return;
    this.awaitingRunning.delete(resource.id);
    if (resource.status !== 'running') return;
    const open = vscode.l10n.t('Open Viewer');
    void vscode.window.showInformationMessage(vscode.l10n.t('Isaac Sim session {0} is running.', notificationText(resource.id)), open).then((choice) => {
      if (choice === open) this.actions.openViewer(resource.id);
    });
  }

  /** Warns about sessions near their runtime limit, and keeps checking while any session runs. */
  private check(): void {
    const sessions = this.store.list('cybernetic').filter((r) => r.kind === 'session');
    const warned = new Set(this.state.get<string[]>(WARNED_KEY) ?? []);
    for (const { resource, msLeft } of sessionsToWarn(sessions, Date.now(), leadMinutes(), warned)) this.warn(resource, msLeft, warned);
    const running = sessions.some((r) => r.status === 'running');
    if (running && !this.timer) this.timer = setInterval(() => this.check(), CHECK_EVERY_MS);
    if (!running && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private warn(resource: Resource, msLeft: number, warned: Set<string>): void {
    warned.add(resource.id);
    void this.state.update(WARNED_KEY, [...warned].slice(-MAX_WARNED));
    const open = vscode.l10n.t('Open Viewer');
    const stop = vscode.l10n.t('Stop Now');
    void vscode.window
      .showWarningMessage(vscode.l10n.t('Isaac Sim session {0} reaches its runtime limit soon ({1}); it will be stopped then. Publish it first to keep its state.', notificationText(resource.id), formatTimeLeft(msLeft)), open, stop)
      .then((choice) => {
        if (choice === open) this.actions.openViewer(resource.id);
        else if (choice === stop) this.actions.stop(resource.id);
      });
  }

  dispose(): void {
    this.subscription.dispose();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** `simcloud.cybernetic.runtimeWarningMinutes`; 0 turns the warning off. */
function leadMinutes(): number {
  const value = vscode.workspace.getConfiguration('simcloud.cybernetic').get<number>('runtimeWarningMinutes', 10);
  return Number.isFinite(value) && value > 0 ? value : 0;
}
