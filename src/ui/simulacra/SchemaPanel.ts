import * as vscode from 'vscode';
import type { Logger } from '../../core/log/Logger';
import type { GenerationRequest, Scenario } from '../../shared/scenario';
import { checkScenario } from '../../shared/scenarioConditions';
import {
  SCHEMA_PANEL_VIEW_TYPE,
  SchemaPageMessage,
  SchemaPageState,
  type GenerationUpdate,
  type PanelError,
  type SchemaHostMessage,
  type SchemaPanelData,
} from '../../shared/simulacraPanelProtocol';
import { toPanelError } from '../webview/panelError';
import { WebviewPanelHost } from '../webview/WebviewPanelHost';
import { registerWebviewPanelSerializer } from '../activation/lazySerializers';

/** What the panel asks of its owner. Each may throw: the error is shown in the page (and logged). */
export interface SchemaPanelCallbacks {
  /**
   * The page's request, already checked against this panel's schema. Resolve once the generation is submitted (or
   * finished); report progress with `postGenerationUpdate`. Build the API body with `toGenerationBody(request)`.
   */
  onGenerate(request: GenerationRequest): PromiseLike<unknown> | unknown;
  /** Save to a file of the user's choice (a save dialog); the scenario holds no secrets. */
  onSaveScenario(scenario: Scenario): PromiseLike<unknown> | unknown;
  /** Let the user pick a scenario file; parse it with `Scenario` (zod); undefined when cancelled. */
  onLoadScenario(): PromiseLike<Scenario | undefined>;
  /** Open `https://api.simulacra-data.com/errors/{code}` (the code is already limited to [A-Za-z0-9_.-]). */
  onOpenErrorDocs(code: string): PromiseLike<unknown> | unknown;
}

export interface SchemaPanelRestore {
  data: SchemaPanelData;
  callbacks: SchemaPanelCallbacks;
  title?: string;
}

/**
 * The schema inspector and scenario builder of one Simulacra dataset: one panel per dataset key (opening it again
 * reveals it and refreshes its data). The page gets plain data and asks for work through `SchemaPageMessage`s.
 */
export class SchemaPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, SchemaPanel>();

  private readonly host: WebviewPanelHost<SchemaHostMessage, SchemaPageMessage>;
  private lastUpdate?: GenerationUpdate;
  private lastError?: PanelError;

  static createOrShow(
    extensionUri: vscode.Uri,
    datasetKey: string,
    data: SchemaPanelData,
    callbacks: SchemaPanelCallbacks,
    log: Logger,
    title = `Schema: ${data.dataset.displayName || data.dataset.id}`,
  ): SchemaPanel {
    const open = SchemaPanel.panels.get(datasetKey);
    if (open) {
      open.callbacks = callbacks;
      open.update(data);
      open.host.reveal();
      return open;
    }
    const panel = WebviewPanelHost.createPanel(SCHEMA_PANEL_VIEW_TYPE, title, extensionUri);
    return new SchemaPanel(panel, extensionUri, datasetKey, data, callbacks, log);
  }

  static get(datasetKey: string): SchemaPanel | undefined {
    return SchemaPanel.panels.get(datasetKey);
  }

  /**
   * Brings panels back after a window reload. The page's saved state names only its dataset key; `restore` looks the
   * dataset up again (signed in? still retained?) and returns undefined to close the panel instead.
   */
  static registerSerializer(extensionUri: vscode.Uri, log: Logger, restore: (datasetKey: string) => Promise<SchemaPanelRestore | undefined>): vscode.Disposable {
    return registerWebviewPanelSerializer(SCHEMA_PANEL_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const parsed = SchemaPageState.safeParse(state);
        const restored = parsed.success && !SchemaPanel.panels.has(parsed.data.datasetKey) ? await restore(parsed.data.datasetKey).catch(() => undefined) : undefined;
        if (!parsed.success || !restored) {
          panel.dispose();
          return;
        }
        if (restored.title) panel.title = restored.title;
        new SchemaPanel(panel, extensionUri, parsed.data.datasetKey, restored.data, restored.callbacks, log);
      },
    });
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly datasetKey: string,
    private data: SchemaPanelData,
    private callbacks: SchemaPanelCallbacks,
    private readonly log: Logger,
  ) {
    this.host = new WebviewPanelHost<SchemaHostMessage, SchemaPageMessage>(panel, {
      extensionUri,
      bundle: 'simulacra',
      title: 'Simulacra schema',
      pageMessages: SchemaPageMessage,
      log,
      onReady: () => this.sendState(),
      onMessage: (message) => this.handle(message),
    });
    SchemaPanel.panels.set(datasetKey, this);
    this.host.onDidDispose(() => {
      if (SchemaPanel.panels.get(datasetKey) === this) SchemaPanel.panels.delete(datasetKey);
    });
  }

  /** New data (a refreshed schema, a scenario to load): the page re-renders and keeps the user's draft. */
  update(data: SchemaPanelData): void {
    this.data = data;
    this.host.post({ type: 'show', datasetKey: this.datasetKey, data });
  }

  postGenerationUpdate(update: GenerationUpdate): void {
    this.lastUpdate = update;
    this.host.post({ type: 'generationUpdate', update });
  }

  /** Shows an error in the page: an `Error`/`ApiError` (message redacted, code and request id kept) or a PanelError. */
  showError(error: unknown, requestId?: string): void {
    const panelError = isPanelError(error) ? { ...error, message: this.log.redact(error.message) } : toPanelError(error, (text) => this.log.redact(text), requestId);
    this.lastError = panelError;
    this.host.post({ type: 'error', error: panelError });
  }

  reveal(): void {
    this.host.reveal();
  }

  get onDidDispose(): vscode.Event<void> {
    return this.host.onDidDispose;
  }

  dispose(): void {
    this.host.dispose();
  }

  private sendState(): void {
    this.host.post({ type: 'show', datasetKey: this.datasetKey, data: this.data });
    if (this.lastUpdate) this.host.post({ type: 'generationUpdate', update: this.lastUpdate });
    if (this.lastError) this.host.post({ type: 'error', error: this.lastError });
  }

  private async handle(message: SchemaPageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'generate': {
        // The page checked too, but a page is untrusted: the schema decides here again.
        const errors = checkScenario(message.request, this.data.schema).filter((issue) => issue.severity === 'error');
        if (errors.length > 0) return this.showError({ message: errors.map((issue) => issue.message).join('\n'), requestId: message.requestId });
        this.lastError = undefined;
        this.host.post({ type: 'generationStarted', requestId: message.requestId });
        return this.run(message.requestId, () => this.callbacks.onGenerate(message.request), 'Generation failed');
      }
      case 'saveScenario':
        return this.run(message.requestId, async () => {
          await this.callbacks.onSaveScenario(message.scenario);
          this.host.post({ type: 'scenarioSaved', requestId: message.requestId });
        }, 'Saving the scenario failed');
      case 'loadScenario':
        return this.run(message.requestId, async () => {
          const scenario = await this.callbacks.onLoadScenario();
          this.host.post(scenario ? { type: 'scenarioLoaded', requestId: message.requestId, scenario } : { type: 'requestDone', requestId: message.requestId });
        }, 'Loading the scenario failed');
      case 'openErrorDocs':
        return this.run(undefined, () => this.callbacks.onOpenErrorDocs(message.code), 'Opening the error docs failed');
    }
  }

  private async run(requestId: string | undefined, work: () => PromiseLike<unknown> | unknown, context: string): Promise<void> {
    try {
      await work();
    } catch (error) {
      this.log.error(context, error);
      this.showError(error, requestId);
    }
  }
}

function isPanelError(error: unknown): error is PanelError {
  return typeof error === 'object' && error !== null && !(error instanceof Error) && typeof (error as { message?: unknown }).message === 'string';
}
