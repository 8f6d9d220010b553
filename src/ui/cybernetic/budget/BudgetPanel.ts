import * as vscode from 'vscode';
import { ApiError } from '../../../core/http/ApiError';
import {
  BUDGET_PANEL_VIEW_TYPE,
  BudgetPageMessage,
  BudgetPageState,
  BudgetUpdate,
  DEFAULT_HISTORY_RANGE,
  type BudgetHostMessage,
  type BudgetPanelData,
  type BudgetPanelError,
  type HistoryRange,
} from '../../../shared/cyberneticBudgetProtocol';
import { NotSignedInError } from '../../errors/showOperationError';
import { WebviewPanelHost } from '../../webview/WebviewPanelHost';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { toFigures, type BudgetTracker } from './BudgetTracker';
import { registerWebviewPanelSerializer } from '../../activation/lazySerializers';

/**
 * The budget page: current spend against the limits, the daily history as a chart (7, 30 or 90 days), and a form to
 * set the monthly budget, the daily limit and the alert threshold. One panel per window; it follows sign-in and
 * sign-out, and the status bar's refreshes.
 */
export class BudgetPanel implements vscode.Disposable {
  private static current: BudgetPanel | undefined;

  private readonly host: WebviewPanelHost<BudgetHostMessage, BudgetPageMessage>;
  private readonly subscriptions: vscode.Disposable[] = [];
  private data: BudgetPanelData | undefined;
  private loadError: BudgetPanelError | undefined;
  private loads = 0;
  private readonly abort = new AbortController();

  static createOrShow(feature: CyberneticFeatureContext, tracker: BudgetTracker): BudgetPanel {
    if (BudgetPanel.current) {
      BudgetPanel.current.host.reveal();
      void BudgetPanel.current.load();
      return BudgetPanel.current;
    }
    const panel = WebviewPanelHost.createPanel(BUDGET_PANEL_VIEW_TYPE, vscode.l10n.t('Cybernetic Physics Budget'), feature.context.extensionUri);
    return new BudgetPanel(panel, feature, tracker, DEFAULT_HISTORY_RANGE);
  }

  /** After a window reload the page's saved state gives the range; the figures are read again. */
  static registerSerializer(feature: CyberneticFeatureContext, tracker: BudgetTracker): vscode.Disposable {
    return registerWebviewPanelSerializer(BUDGET_PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        if (BudgetPanel.current) {
          panel.dispose();
          return;
        }
        const parsed = BudgetPageState.safeParse(state);
        new BudgetPanel(panel, feature, tracker, parsed.success ? parsed.data.range : DEFAULT_HISTORY_RANGE);
      },
    });
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly feature: CyberneticFeatureContext,
    private readonly tracker: BudgetTracker,
    private range: HistoryRange,
  ) {
    this.host = new WebviewPanelHost<BudgetHostMessage, BudgetPageMessage>(panel, {
      extensionUri: feature.context.extensionUri,
      bundle: 'cyberneticBudget',
      title: 'Cybernetic Physics budget',
      pageMessages: BudgetPageMessage,
      log: feature.log,
      onReady: () => this.sendState(),
      onMessage: (message) => this.handle(message),
    });
    BudgetPanel.current = this;
    this.subscriptions.push(
      tracker.onDidChange((snapshot) => {
        if (!snapshot?.figures || !snapshot.readAt || !this.data) return;
        // This panel's own reads reach the tracker too: only news goes to the page.
        if (JSON.stringify(snapshot.figures) === JSON.stringify(this.data.figures)) return;
        this.data = { ...this.data, figures: snapshot.figures, readAt: snapshot.readAt.toISOString() };
        this.host.post({ type: 'figures', figures: snapshot.figures, readAt: this.data.readAt });
      }),
      feature.accounts.onDidChangeAccounts((providers) => {
        if (providers.includes('cybernetic')) void this.load();
      }),
    );
    this.host.onDidDispose(() => this.dispose());
    void this.load();
  }

  private sendState(): void {
    if (this.loadError) this.host.post({ type: 'loadError', error: this.loadError });
    else if (this.data) this.host.post({ type: 'show', data: this.data });
    else this.host.post({ type: 'loading', range: this.range });
  }

  /** Reads the figures and the history for the range; the latest load wins when several overlap. */
  private async load(): Promise<void> {
    const load = ++this.loads;
    this.host.post({ type: 'loading', range: this.range });
    try {
      // Right after a sign-out the session may still hand out the old connection: the account's status is the truth.
      if (this.feature.accounts.status('cybernetic').state !== 'signedIn') throw new NotSignedInError('cybernetic');
      const connection = await this.feature.session.connection();
      const signal = AbortSignal.any([connection.signal, this.abort.signal]);
      const [budget, history] = await Promise.all([connection.api.getBudget(signal), connection.api.getSpendHistory(this.range, signal)]);
      if (load !== this.loads || this.host.isDisposed) return;
      const readAt = new Date();
      this.data = {
        figures: toFigures(budget),
        range: this.range,
        history: history.flatMap((day) => {
          const spend = day.spendUsd ?? day.amountUsd ?? day.totalUsd;
          return typeof spend === 'number' && Number.isFinite(spend) && spend >= 0 ? [{ date: day.date.slice(0, 40), spendUsd: spend }] : [];
        }).slice(-400),
        readAt: readAt.toISOString(),
      };
      this.loadError = undefined;
      this.tracker.accept(budget);
      this.host.post({ type: 'show', data: this.data });
    } catch (error) {
      if (load !== this.loads || this.host.isDisposed) return;
      if (ApiError.is(error) && error.kind === 'aborted') {
        // The account's connection was replaced (a new key) while reading: read again through the new one.
        if (!this.abort.signal.aborted) setTimeout(() => void this.load(), 0);
        return;
      }
      if (!(error instanceof NotSignedInError)) this.feature.log.warn('Could not load the Cybernetic Physics budget page', error);
      this.data = undefined;
      this.loadError = this.panelError(error);
      this.host.post({ type: 'loadError', error: this.loadError });
    }
  }

  private async handle(message: BudgetPageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'refresh':
        return this.load();
      case 'signIn':
        await vscode.commands.executeCommand('simcloud.cybernetic.signIn');
        return;
      case 'setRange':
        this.range = message.range;
        return this.load();
      case 'save':
        return this.save(message.requestId, message.update);
    }
  }

  private async save(requestId: string, raw: unknown): Promise<void> {
    // The page checked the form already, but a page is untrusted: the schema decides here again.
    const parsed = BudgetUpdate.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 10).map((issue) => ({ field: fieldOf(issue.path), message: issue.message.slice(0, 1000) }));
      this.host.post({ type: 'saveError', error: { message: vscode.l10n.t('The limits were not saved: check the fields marked below.'), requestId }, issues });
      return;
    }
    try {
      const connection = await this.feature.session.connection();
      const budget = await connection.api.setBudget(parsed.data, AbortSignal.any([connection.signal, this.abort.signal]));
      this.feature.log.info(`Cybernetic Physics budget set: monthly ${parsed.data.monthlyBudgetUsd}, daily ${parsed.data.dailyLimitUsd}, alert at ${parsed.data.alertThresholdPercent}%`);
      const figures = toFigures(budget);
      if (this.data) this.data = { ...this.data, figures, readAt: new Date().toISOString() };
      this.tracker.accept(budget);
      this.host.post({ type: 'saved', requestId, figures });
    } catch (error) {
      if (ApiError.is(error) && error.kind === 'aborted') {
        if (this.abort.signal.aborted) return; // The panel closed: nobody waits for the answer.
        // Signed out or switched keys while saving: the page must not wait on "Saving…" for an answer that never comes.
        this.host.post({ type: 'saveError', error: { message: vscode.l10n.t('The connection changed while saving, so it is not known whether the limits were saved: check them and save again.'), requestId } });
        return this.load();
      }
      this.feature.log.error('Setting the Cybernetic Physics budget failed', error);
      this.host.post({ type: 'saveError', error: { ...this.panelError(error), requestId } });
    }
  }

  /** An error as the page shows it: redacted text, the provider's request id, and whether signing in is the fix. */
  private panelError(error: unknown): BudgetPanelError {
    const message = this.feature.log.redact(error instanceof Error ? error.message : String(error)).slice(0, 10_000);
    const signIn = error instanceof NotSignedInError || (ApiError.is(error) && error.status === 401);
    const providerRequestId = ApiError.is(error) && error.requestId ? this.feature.log.redact(error.requestId).slice(0, 1000) : undefined;
    return { message, ...(providerRequestId ? { providerRequestId } : {}), ...(signIn ? { signIn } : {}) };
  }

  dispose(): void {
    if (BudgetPanel.current === this) BudgetPanel.current = undefined;
    this.abort.abort();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.host.dispose();
  }
}

function fieldOf(path: readonly PropertyKey[]): 'monthly' | 'daily' | 'threshold' {
  const key = String(path[0] ?? '');
  return key === 'dailyLimitUsd' ? 'daily' : key === 'alertThresholdPercent' ? 'threshold' : 'monthly';
}
