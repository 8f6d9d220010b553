import * as vscode from 'vscode';
import type { JobStore } from '../../../core/jobs/JobStore';
import type { Logger } from '../../../core/log/Logger';
import { EUREKA_RUN_VIEW_TYPE, EurekaRunPageMessage, EurekaRunPageState, EurekaRunView, type EurekaRunHostMessage } from '../../../shared/eurekaRunProtocol';
import { WebviewPanelHost } from '../../webview/WebviewPanelHost';
import { runView, type RewardHistory } from './eurekaRunView';
import { registerWebviewPanelSerializer } from '../../activation/lazySerializers';

export interface EurekaRunPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: JobStore;
  readonly history: RewardHistory;
  readonly log: Logger;
  /** The page's buttons: the same commands as the tree's. */
  showLog(runId: string): void;
  openRewardFunction(runId: string): void;
}

/**
 * The Eureka run view: status, iteration i/N, best reward, LLM tokens and cost, and the best reward per iteration as
 * a chart. One panel per run; it redraws whenever the store (the poller) changes the run, so it follows a live run.
 */
export class EurekaRunPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, EurekaRunPanel>();
  private readonly host: WebviewPanelHost<EurekaRunHostMessage, EurekaRunPageMessage>;
  private readonly subscription: { dispose(): void };

  static createOrShow(deps: EurekaRunPanelDeps, runId: string, title: string): EurekaRunPanel {
    const open = EurekaRunPanel.panels.get(runId);
    if (open) {
      open.host.reveal();
      open.send();
      return open;
    }
    const panel = WebviewPanelHost.createPanel(EUREKA_RUN_VIEW_TYPE, title, deps.extensionUri);
    return new EurekaRunPanel(panel, deps, runId);
  }

  /** After a reload the panel comes back for its run (from the page's state); without one it closes. */
  static registerSerializer(deps: EurekaRunPanelDeps): vscode.Disposable {
    return registerWebviewPanelSerializer(EUREKA_RUN_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const parsed = EurekaRunPageState.safeParse(state);
        if (!parsed.success || EurekaRunPanel.panels.has(parsed.data.runId)) {
          panel.dispose();
          return;
        }
        new EurekaRunPanel(panel, deps, parsed.data.runId);
      },
    });
  }

  /** Redraws the run's panel, if open (its reward series changed). */
  static refresh(runId: string): void {
    EurekaRunPanel.panels.get(runId)?.send();
  }

  static disposeAll(): void {
    for (const panel of [...EurekaRunPanel.panels.values()]) panel.dispose();
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: EurekaRunPanelDeps,
    readonly runId: string,
  ) {
    this.host = new WebviewPanelHost<EurekaRunHostMessage, EurekaRunPageMessage>(panel, {
      extensionUri: deps.extensionUri,
      bundle: 'eurekaRun',
      title: 'Eureka run',
      pageMessages: EurekaRunPageMessage,
      log: deps.log,
      onReady: () => this.send(),
      onMessage: (message) => {
        if (message.type === 'showLog') deps.showLog(runId);
        else if (message.type === 'openRewardFunction') deps.openRewardFunction(runId);
      },
    });
    this.subscription = deps.store.onDidChangeResources((change) => {
      if (change.provider !== 'cybernetic') return;
      if (change.changed.some((r) => r.id === runId) || change.removed.includes(runId)) this.send();
    });
    EurekaRunPanel.panels.set(runId, this);
    this.host.onDidDispose(() => {
      this.subscription.dispose();
      if (EurekaRunPanel.panels.get(runId) === this) EurekaRunPanel.panels.delete(runId);
    });
  }

  private send(): void {
    const resource = this.deps.store.get('cybernetic', this.runId);
    if (!resource || resource.kind !== 'eureka-run') {
      this.host.post({ type: 'gone', runId: this.runId, message: vscode.l10n.t('Eureka run {0} is not in the Sim Cloud view: sign in to Cybernetic Physics (with the account that started it), then open the run again.', this.runId) });
      return;
    }
    this.host.panel.title = vscode.l10n.t('Eureka: {0}', resource.displayName.replace(/^Eureka /, ''));
    const parsed = EurekaRunView.safeParse(runView(resource, this.deps.history.points(this.runId)));
    if (!parsed.success) {
      this.deps.log.error(`Eureka run view for ${this.runId} is invalid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}`);
      this.host.post({ type: 'gone', runId: this.runId, message: vscode.l10n.t('The run could not be shown: its record is not what Sim Cloud expects (details in the Sim Cloud log).') });
      return;
    }
    this.host.post({ type: 'show', view: parsed.data });
  }

  dispose(): void {
    this.host.dispose();
  }
}
