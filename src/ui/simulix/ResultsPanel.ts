/**
 * The Simulix results explorer: one simulation's per-agent answers in a virtualised table, filters by demographic and
 * answer, the answer distribution of a chosen question as a chart, and export of the filtered agents to CSV or JSON.
 *
 * How to use it (one panel per simulation; showing an open one reveals it):
 *
 *   const deps: ResultsPanelDeps = {
 *     extensionUri: context.extensionUri,
 *     log,
 *     // GET /v1/simulations/{id}/results `data` (SimulixApi.getResults through the signed-in connection).
 *     loadResults: async (simulationId, signal) => (await session.connection()).api.getResults(simulationId, signal),
 *     // optional: where exports default to (else the first workspace folder)
 *     workspaceFolder: () => vscode.workspace.workspaceFolders?.[0]?.uri,
 *   };
 *   context.subscriptions.push(ResultsPanel.registerSerializer(deps));   // at activation
 *   ResultsPanel.show(deps, { simulationId, title: 'cdc_nhis_smoking · 10,000 agents' });
 *
 * The page keeps only the simulation id, the title and the user's filters (setState); after a reload the serializer
 * calls `loadResults` again. The panel never polls: open it once results are available (a 409 shows as an error with
 * Retry). Exports are written by the host after a save dialog that defaults to
 * `<workspace>/sim-results/<simulationId>/results.csv` (or `.json`).
 */
import * as vscode from 'vscode';
import { uriExists } from '../files/uriExists';
import { ApiError } from '../../core/http/ApiError';
import type { Logger } from '../../core/log/Logger';
import { notificationText } from '../../core/util/notificationText';
import { demographicLevels, filterRows, parseSimulixResults, toCsv, toJson, type SimulixResultTable } from '../../providers/simulix/simulixResults';
import {
  MAX_RESULT_COLUMNS,
  MAX_RESULT_ROWS,
  ResultsPageMessage,
  ResultsPageState,
  ResultsView,
  SIMULIX_RESULTS_VIEW_TYPE,
  exportSegments,
  resultsView,
  toResultFilter,
  type ExportFormat,
  type ResultsFilter,
  type ResultsHostMessage,
  type ResultsPanelError,
} from '../../shared/simulixResultsProtocol';
import { WebviewPanelHost } from '../webview/WebviewPanelHost';
import { registerWebviewPanelSerializer } from '../activation/lazySerializers';

export interface ResultsPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  /** The results answer's `data` (what `SimulixApi.getResults` returns); thrown errors are shown with Retry. */
  loadResults(simulationId: string, signal: AbortSignal): Promise<unknown>;
  /** The folder exports default to; the first workspace folder when absent or undefined. */
  workspaceFolder?(): vscode.Uri | undefined;
}

export interface ResultsPanelTarget {
  readonly simulationId: string;
  /** The tab's title after "Simulix results: " (the workflow id, for example); the id when absent. */
  readonly title?: string;
}

export class ResultsPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, ResultsPanel>();

  private readonly host: WebviewPanelHost<ResultsHostMessage, ResultsPageMessage>;
  private readonly abort = new AbortController();
  private table: SimulixResultTable | undefined;
  private view: ResultsView | undefined;
  private loadError: ResultsPanelError | undefined;
  private loads = 0;

  /** Opens (or reveals) the explorer for one simulation and loads its results. */
  static show(deps: ResultsPanelDeps, target: ResultsPanelTarget): ResultsPanel {
    const open = ResultsPanel.panels.get(target.simulationId);
    if (open) {
      open.host.reveal();
      return open;
    }
    const panel = WebviewPanelHost.createPanel(SIMULIX_RESULTS_VIEW_TYPE, tabTitle(target), deps.extensionUri);
    return new ResultsPanel(panel, deps, target);
  }

  /** After a window reload the page's state names the simulation; its results are fetched again. */
  static registerSerializer(deps: ResultsPanelDeps): vscode.Disposable {
    return registerWebviewPanelSerializer(SIMULIX_RESULTS_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const parsed = ResultsPageState.safeParse(state);
        if (!parsed.success || ResultsPanel.panels.has(parsed.data.simulationId)) {
          panel.dispose();
          return;
        }
        new ResultsPanel(panel, deps, { simulationId: parsed.data.simulationId, title: parsed.data.title });
      },
    });
  }

  /** The open panel of a simulation, if any (tests and commands). */
  static get(simulationId: string): ResultsPanel | undefined {
    return ResultsPanel.panels.get(simulationId);
  }

  static disposeAll(): void {
    for (const panel of [...ResultsPanel.panels.values()]) panel.dispose();
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: ResultsPanelDeps,
    private readonly target: ResultsPanelTarget,
  ) {
    panel.title = tabTitle(target);
    this.host = new WebviewPanelHost<ResultsHostMessage, ResultsPageMessage>(panel, {
      extensionUri: deps.extensionUri,
      bundle: 'simulixResults',
      title: 'Simulix results',
      pageMessages: ResultsPageMessage,
      log: deps.log,
      onReady: () => this.sendState(),
      onMessage: (message) => this.handle(message),
    });
    ResultsPanel.panels.set(target.simulationId, this);
    this.host.onDidDispose(() => this.dispose());
    void this.load();
  }

  /** Fetches again (the page's Retry). */
  reload(): Promise<void> {
    return this.load();
  }

  private sendState(): void {
    if (this.loadError) this.host.post({ type: 'loadError', simulationId: this.target.simulationId, error: this.loadError });
    else if (this.view) this.host.post({ type: 'show', view: this.view });
    else this.host.post({ type: 'loading', simulationId: this.target.simulationId, title: this.target.title ?? this.target.simulationId });
  }

  private async load(): Promise<void> {
    const load = ++this.loads;
    this.view = undefined;
    this.loadError = undefined;
    this.sendState();
    try {
      const data = await this.deps.loadResults(this.target.simulationId, this.abort.signal);
      if (load !== this.loads || this.host.isDisposed) return;
      const table = parseSimulixResults(data);
      const view = ResultsView.safeParse(resultsView(this.target.simulationId, table, demographicLevels(table)));
      if (!view.success) {
        this.deps.log.error(`Simulix results of ${this.target.simulationId} could not be shown: ${view.error.issues.slice(0, 5).map((i) => `${i.path.slice(0, 3).join('.')} ${i.code}`).join(', ')}`);
        throw new Error(vscode.l10n.t('The results of {0} are larger or stranger than the explorer can show (at most {1} agents and {2} columns); details are in the Sim Cloud log.', this.target.simulationId, MAX_RESULT_ROWS, MAX_RESULT_COLUMNS));
      }
      this.table = table;
      this.view = view.data;
      this.deps.log.info(`Simulix results of ${this.target.simulationId}: ${table.rows.length} agents, ${table.columns.length} columns${table.skipped ? `, ${table.skipped} unreadable records skipped` : ''}.`);
      this.sendState();
    } catch (error) {
      if (load !== this.loads || this.host.isDisposed) return;
      if (ApiError.is(error) && error.kind === 'aborted' && this.abort.signal.aborted) return;
      this.deps.log.warn(`Loading the Simulix results of ${this.target.simulationId} failed`, error);
      this.loadError = this.panelError(error);
      this.sendState();
    }
  }

  private async handle(message: ResultsPageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'retry':
        return this.load();
      case 'export':
        return this.export(message.requestId, message.format, message.filter);
    }
  }

  private async export(requestId: string, format: ExportFormat, filter: ResultsFilter): Promise<void> {
    const table = this.table;
    if (!table) {
      this.host.post({ type: 'exportError', error: { message: vscode.l10n.t('The results are not loaded (any more): press Retry, then export again.'), requestId } });
      return;
    }
    try {
      const rows = filterRows(table, toResultFilter(filter));
      const target = await this.askExportTarget(format);
      if (!target) {
        this.host.post({ type: 'exportCancelled', requestId });
        return;
      }
      const content = format === 'csv' ? toCsv(table, rows) : toJson(table, rows);
      await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(target, '..'));
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
      const shown = vscode.workspace.asRelativePath(target, false);
      this.deps.log.info(`Simulix results of ${this.target.simulationId}: ${rows.length} agents exported as ${format.toUpperCase()} to ${shown}.`);
      this.host.post({ type: 'exported', requestId, format, path: shown.slice(0, 4096), agents: rows.length });
      const open = vscode.l10n.t('Open File');
      const reveal = vscode.l10n.t('Reveal in Explorer');
      void vscode.window.showInformationMessage(notificationText(vscode.l10n.t('Exported {0} agents to {1}.', rows.length.toLocaleString('en-US'), shown)), open, reveal).then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('vscode.open', target);
        else if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', target);
      });
    } catch (error) {
      this.deps.log.error(`Exporting the Simulix results of ${this.target.simulationId} failed`, error);
      this.host.post({ type: 'exportError', error: { ...this.panelError(error), requestId } });
    }
  }

  /**
   * The save dialog, starting at `sim-results/<id>/results.<ext>` in the workspace. The folder is made first (VS Code's
   * simple dialog, used in code-server, refuses a path whose folder does not exist) and removed again when the user
   * cancels and it is still empty.
   */
  private async askExportTarget(format: ExportFormat): Promise<vscode.Uri | undefined> {
    const root = this.deps.workspaceFolder?.() ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const [top, folderName, fileName] = exportSegments(this.target.simulationId, format);
    let folder: vscode.Uri | undefined;
    let created = false;
    if (root) {
      folder = vscode.Uri.joinPath(root, top, folderName);
      created = !(await uriExists(folder));
      if (created) await vscode.workspace.fs.createDirectory(folder);
    }
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined,
      filters: format === 'csv' ? { [vscode.l10n.t('CSV files')]: ['csv'] } : { [vscode.l10n.t('JSON files')]: ['json'] },
      saveLabel: vscode.l10n.t('Export'),
      title: vscode.l10n.t('Export the filtered agents as {0}', format.toUpperCase()),
    });
    if (folder && created && (!target || !target.toString().startsWith(`${folder.toString()}/`))) {
      try {
        if ((await vscode.workspace.fs.readDirectory(folder)).length === 0) await vscode.workspace.fs.delete(folder);
      } catch {
        // Best effort: an empty folder left behind is harmless.
      }
    }
    return target;
  }

  private panelError(error: unknown): ResultsPanelError {
    const message = this.deps.log.redact(error instanceof Error ? error.message : String(error)).slice(0, 10_000);
    const providerRequestId = ApiError.is(error) && error.requestId ? this.deps.log.redact(error.requestId).slice(0, 1000) : undefined;
    return { message, ...(providerRequestId ? { providerRequestId } : {}) };
  }

  dispose(): void {
    if (ResultsPanel.panels.get(this.target.simulationId) === this) ResultsPanel.panels.delete(this.target.simulationId);
    this.abort.abort();
    this.table = undefined;
    this.view = undefined;
    this.host.dispose();
  }
}

function tabTitle(target: ResultsPanelTarget): string {
  return vscode.l10n.t('Simulix results: {0}', (target.title ?? target.simulationId).slice(0, 120));
}
