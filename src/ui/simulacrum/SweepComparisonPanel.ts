/**
 * Compare Sweep Variants: one sweep's variants side by side (parameters, status, duration, cost, and the metrics read
 * from each finished variant's results), sortable, with a chart of a metric against a parameter and Download Best.
 *
 * The table follows the jobs store (the tree's source): every poll that changes a variant redraws it, and a variant
 * that finishes gets its metrics fetched then (only its metrics file, through `loadMetrics`, which caches). The page
 * never names the variant to download: it sends the metric and direction, and the host picks the best itself.
 */
import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import type { MetricsOutcome } from '../../core/metrics/fetchMetrics';
import { notificationText } from '../../core/util/notificationText';
import {
  SWEEP_COMPARISON_VIEW_TYPE,
  SweepPageMessage,
  SweepPageState,
  SweepView,
  pickBest,
  type SweepHostMessage,
} from '../../shared/sweepComparisonProtocol';
import { registerWebviewPanelSerializer } from '../activation/lazySerializers';
import { WebviewPanelHost } from '../webview/WebviewPanelHost';
import { sweepComparisonView, type VariantMetrics } from './sweepComparisonView';

/** Metrics files fetched at once: each costs a manifest call against the key's 60 requests a minute. */
const FETCH_CONCURRENCY = 3;
const PROVIDER = 'simulacrum';

export interface SweepComparisonDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  readonly store: JobStore;
  /** A finished variant's metrics (cached per account and job: asking again costs nothing). */
  loadMetrics(jobId: string, signal: AbortSignal): Promise<MetricsOutcome>;
  /** The existing Download Results flow for one variant; undefined when the user dismissed it. */
  download(resource: Resource): Promise<unknown>;
}

export class SweepComparisonPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, SweepComparisonPanel>();

  private readonly host: WebviewPanelHost<SweepHostMessage, SweepPageMessage>;
  private readonly abort = new AbortController();
  private readonly metrics = new Map<string, VariantMetrics>();
  private readonly queue: string[] = [];
  private fetching = 0;
  private view: SweepView | undefined;
  private readonly subscription: { dispose(): void };

  static show(deps: SweepComparisonDeps, sweepId: string): SweepComparisonPanel {
    const open = SweepComparisonPanel.panels.get(sweepId);
    if (open) {
      open.host.reveal();
      return open;
    }
    return new SweepComparisonPanel(WebviewPanelHost.createPanel(SWEEP_COMPARISON_VIEW_TYPE, tabTitle(sweepId), deps.extensionUri), deps, sweepId);
  }

  /** After a window reload the page's state names the sweep; the table is rebuilt from the store (metrics from cache). */
  static registerSerializer(deps: SweepComparisonDeps): vscode.Disposable {
    return registerWebviewPanelSerializer(SWEEP_COMPARISON_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const parsed = SweepPageState.safeParse(state);
        if (!parsed.success || SweepComparisonPanel.panels.has(parsed.data.sweepId)) {
          panel.dispose();
          return;
        }
        new SweepComparisonPanel(panel, deps, parsed.data.sweepId);
      },
    });
  }

  static get(sweepId: string): SweepComparisonPanel | undefined {
    return SweepComparisonPanel.panels.get(sweepId);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: SweepComparisonDeps,
    private readonly sweepId: string,
  ) {
    panel.title = tabTitle(sweepId);
    this.host = new WebviewPanelHost<SweepHostMessage, SweepPageMessage>(panel, {
      extensionUri: deps.extensionUri,
      bundle: 'sweepComparison',
      title: 'Sweep comparison',
      pageMessages: SweepPageMessage,
      log: deps.log,
      onReady: () => this.update(),
      onMessage: (message) => this.handle(message),
    });
    SweepComparisonPanel.panels.set(sweepId, this);
    this.subscription = deps.store.onDidChangeResources((change) => {
      if (change.provider !== PROVIDER) return;
      const concerns = (id: string) => id === sweepId || this.metrics.has(id);
      if (change.changed.some((resource) => resource.id === sweepId || resource.parentId === sweepId) || change.removed.some(concerns)) this.update();
    });
    this.host.onDidDispose(() => this.dispose());
    this.update();
  }

  /** Rebuilds the table from the store, starts fetching the metrics of newly finished variants, and posts it. */
  private update(): void {
    if (this.host.isDisposed) return;
    const sweep = this.deps.store.get(PROVIDER, this.sweepId);
    if (!sweep) {
      // The sweep left the view (another account is in use, or signed out): variants still queued are not fetched with
      // whichever key is in use now; they queue again if the sweep comes back.
      for (const jobId of this.queue.splice(0)) this.metrics.delete(jobId);
      this.view = undefined;
      this.host.post({ type: 'missing', sweepId: this.sweepId });
      return;
    }
    const variants = this.deps.store.children(PROVIDER, this.sweepId);
    for (const variant of variants) {
      if (variant.actions.includes('download') && !this.metrics.has(variant.id)) {
        this.metrics.set(variant.id, { state: 'loading' });
        this.queue.push(variant.id);
      }
    }
    this.pump();
    const view = SweepView.safeParse(sweepComparisonView(sweep, variants, this.metrics));
    if (!view.success) {
      // Built by our own code from clipped values: a failure here is a bug, logged by path only (values are customer data).
      this.deps.log.error(`Sweep comparison of ${this.sweepId} could not be shown: ${view.error.issues.slice(0, 5).map((i) => `${i.path.slice(0, 4).join('.')} ${i.code}`).join(', ')}`);
      return;
    }
    this.view = view.data;
    this.host.post({ type: 'show', view: view.data });
  }

  private pump(): void {
    while (this.fetching < FETCH_CONCURRENCY && this.queue.length > 0) {
      const jobId = this.queue.shift() as string;
      this.fetching += 1;
      void this.deps
        .loadMetrics(jobId, this.abort.signal)
        .then(
          (outcome) => this.metrics.set(jobId, { state: 'done', outcome }),
          (error: unknown) => {
            if (this.abort.signal.aborted) return;
            this.deps.log.warn(`Metrics of sweep variant ${jobId} could not be read`, error);
            this.metrics.set(jobId, { state: 'error', message: this.errorText(error) });
          },
        )
        .finally(() => {
          this.fetching -= 1;
          this.pump();
          this.update();
        });
    }
  }

  private async handle(message: SweepPageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'retryMetrics':
        for (const [id, known] of this.metrics) if (known.state === 'error') this.metrics.delete(id);
        this.update();
        return;
      case 'downloadBest':
        return this.downloadBest(message.requestId, message.metric, message.direction);
    }
  }

  private async downloadBest(requestId: string, metric: string, direction: 'min' | 'max'): Promise<void> {
    const best = this.view && pickBest(this.view.rows, metric, direction);
    const resource = best && this.deps.store.get(PROVIDER, best.id);
    if (!best || !resource) {
      this.host.post({ type: 'download', requestId, state: 'failed', message: vscode.l10n.t('No finished variant has this metric yet, so there is no best one to download.') });
      return;
    }
    this.deps.log.info(`Sweep ${this.sweepId}: downloading the results of ${best.id}, the best variant by ${metric} (${direction}).`);
    this.host.post({ type: 'download', requestId, state: 'started', variant: best.label });
    try {
      const result = await this.deps.download(resource);
      this.host.post({ type: 'download', requestId, state: result === undefined ? 'cancelled' : 'done', variant: best.label });
    } catch (error) {
      this.deps.log.error(`Downloading the results of ${best.id} failed`, error);
      this.host.post({ type: 'download', requestId, state: 'failed', variant: best.label, message: this.errorText(error) });
      void vscode.window.showErrorMessage(notificationText(vscode.l10n.t('Downloading the results of {0} failed: {1}', best.id, this.errorText(error))));
    }
  }

  /** An ApiError's message already says what happened, the request id and what to do; redacted again for the page. */
  private errorText(error: unknown): string {
    return this.deps.log.redact(error instanceof Error ? error.message : String(error)).slice(0, 2000);
  }

  dispose(): void {
    if (SweepComparisonPanel.panels.get(this.sweepId) === this) SweepComparisonPanel.panels.delete(this.sweepId);
    this.abort.abort();
    this.queue.length = 0;
    this.subscription.dispose();
    this.host.dispose();
  }
}

function tabTitle(sweepId: string): string {
  return vscode.l10n.t('Compare: {0}', sweepId.slice(0, 120));
}
