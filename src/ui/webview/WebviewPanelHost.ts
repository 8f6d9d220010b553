import * as vscode from 'vscode';
import type { z } from 'zod';
import type { Logger } from '../../core/log/Logger';
import { describeMessage, filterPageMessage } from './filterPageMessage';
import { createNonce, renderWebviewHtml } from './webviewHtml';
/** Messages held while the page is not ready; the oldest go first (panels re-send their state on `ready` anyway). */
const MAX_QUEUED_MESSAGES = 200;
/** How long a page shown again gets to say `ready` before it is taken as ready (see onDidChangeViewState). */
const READY_FALLBACK_MS = 1500;

export interface WebviewPanelHostOptions<PageMessage extends { type: string }> {
  extensionUri: vscode.Uri;
  /** The folder under `webview/`: loads `dist/webview/<bundle>.js` and `media/webview/<bundle>.css`. */
  bundle: string;
  /** Shown in the HTML `<title>` (the tab title is `panel.title`). */
  title: string;
  pageMessages: z.ZodType<PageMessage>;
  /** The one origin the page may embed in an iframe (CSP `frame-src`); change it later with `setFrameSrc`. */
  frameSrc?: string;
  log: Logger;
  /** The page (re)loaded and said `ready`: post its full state now. Runs before queued messages are flushed. */
  onReady(): void;
  /** A page message that passed `pageMessages` (never `ready`, which the host handles). */
  onMessage(message: PageMessage): void | Promise<void>;
}

/**
 * What every panel host needs, once: the webview options (scripts on, command URIs off, resources only from
 * `media/` and `dist/webview/`), the HTML shell with a fresh nonce, the ready handshake with a queue, and page
 * messages validated with the panel's zod schema (anything else is logged by type and dropped).
 * Works for a new panel and for one VS Code hands back through a `WebviewPanelSerializer`.
 */
export class WebviewPanelHost<HostMessage extends { type: string }, PageMessage extends { type: string }> implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly queue: HostMessage[] = [];
  private ready = false;
  private disposed = false;
  private frameSrc: string | undefined;
  private readonly disposeEmitter = new vscode.EventEmitter<void>();
  readonly onDidDispose = this.disposeEmitter.event;

  static webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      enableCommandUris: false,
      enableForms: false,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media'), vscode.Uri.joinPath(extensionUri, 'dist', 'webview')],
      enableFindWidget: true,
      // The page keeps its draft with setState and the host re-sends its data on `ready`: no need to pin memory.
      retainContextWhenHidden: false,
    };
  }

  static createPanel(viewType: string, title: string, extensionUri: vscode.Uri, column: vscode.ViewColumn = vscode.ViewColumn.Active): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(viewType, title, { viewColumn: column, preserveFocus: false }, WebviewPanelHost.webviewOptions(extensionUri));
  }

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly options: WebviewPanelHostOptions<PageMessage>,
  ) {
    const webview = panel.webview;
    this.frameSrc = options.frameSrc;
    webview.options = WebviewPanelHost.webviewOptions(options.extensionUri);
    this.disposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      // Without retainContextWhenHidden a hidden page is torn down; it says `ready` again when shown.
      panel.onDidChangeViewState(() => {
        if (!panel.visible) {
          this.ready = false;
          return;
        }
        // Shown again. A page that was torn down says `ready` when it reloads; but a hide that did not tear it down
        // (seen while a window restores its layout) sends no `ready` at all, and every post would wait in the queue
        // for ever. So if none comes soon, the page is taken as ready and sent its state (onReady is idempotent).
        if (!this.ready) this.armReadyFallback();
      }),
      panel.onDidDispose(() => this.dispose()),
    );
    this.render();
  }

  /** Sends now when the page is ready, otherwise when it next says `ready`. */
  post(message: HostMessage): void {
    if (this.disposed) return;
    if (!this.ready) {
      this.queue.push(message);
      if (this.queue.length > MAX_QUEUED_MESSAGES) this.queue.shift();
      return;
    }
    void this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.options.log.debug(`webview ${this.options.bundle}: ${message.type} not delivered (page hidden)`);
      },
      (error: unknown) => this.options.log.warn(`webview ${this.options.bundle}: posting ${message.type} failed`, error),
    );
  }

  get isDisposed(): boolean {
    return this.disposed;
  }

  reveal(column?: vscode.ViewColumn): void {
    this.panel.reveal(column);
  }

  /** A new origin for `frame-src` reloads the page (the CSP is fixed per document); the same one changes nothing. */
  setFrameSrc(origin: string | undefined): void {
    if (origin === this.frameSrc || this.disposed) return;
    this.frameSrc = origin;
    this.render();
  }

  private readyFallback: NodeJS.Timeout | undefined;

  private armReadyFallback(): void {
    clearTimeout(this.readyFallback);
    this.readyFallback = setTimeout(() => {
      if (this.disposed || this.ready || !this.panel.visible) return;
      this.options.log.debug(`webview ${this.options.bundle}: shown again without a ready; sending its state`);
      this.markReady();
    }, READY_FALLBACK_MS);
  }

  private markReady(): void {
    clearTimeout(this.readyFallback);
    this.ready = true;
    this.options.onReady();
    for (const message of this.queue.splice(0)) this.post(message);
  }

  /** Reloads the page with a fresh nonce; it will say `ready` again. */
  render(): void {
    const webview = this.panel.webview;
    const asUri = (...segments: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(this.options.extensionUri, ...segments)).toString();
    this.ready = false;
    webview.html = renderWebviewHtml({
      cspSource: webview.cspSource,
      nonce: createNonce(),
      scriptUri: asUri('dist', 'webview', `${this.options.bundle}.js`),
      styleUris: [asUri('media', 'webview', 'common.css'), asUri('media', 'webview', `${this.options.bundle}.css`)],
      title: this.options.title,
      frameSrc: this.frameSrc,
      language: vscode.env.language,
      l10nBundle: vscode.l10n.bundle,
    });
  }

  private receive(raw: unknown): void {
    if (this.disposed) return;
    const result = filterPageMessage(raw, this.options.pageMessages);
    switch (result.kind) {
      case 'dropped':
        this.options.log.warn(`webview ${this.options.bundle}: dropped an ${result.reason}`);
        return;
      case 'ready':
        this.markReady();
        return;
      case 'message':
        void Promise.resolve()
          .then(() => this.options.onMessage(result.message))
          .catch((error: unknown) => this.options.log.error(`webview ${this.options.bundle}: handling ${describeMessage(raw)} failed`, error));
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.readyFallback);
    this.queue.length = 0;
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
    this.panel.dispose();
    this.disposeEmitter.fire();
    this.disposeEmitter.dispose();
  }
}
