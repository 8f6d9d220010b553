import * as vscode from 'vscode';
import type { JobStore } from '../../../core/jobs/JobStore';
import type { Logger } from '../../../core/log/Logger';
import type { CyberneticSession } from '../../../providers/cybernetic/CyberneticApi';
import { checkViewerUrl, VIEWER_VIEW_TYPE, ViewerPageMessage, ViewerPageState, type ViewerAction, ViewerHostMessage, type ViewerSession, type ViewerUrlProblem } from '../../../shared/cyberneticViewerProtocol';
import { toPanelError } from '../../webview/panelError';
import { WebviewPanelHost } from '../../webview/WebviewPanelHost';
import { sessionFromRaw, toViewerSession } from './viewerSession';
import { registerWebviewPanelSerializer } from '../../activation/lazySerializers';

/** What the viewer needs from the rest of the sessions feature. Each may throw; the panel shows the error. */
export interface ViewerPanelDeps {
  readonly extensionUri: vscode.Uri;
  readonly store: JobStore;
  readonly log: Logger;
  /** The session as the API has it now, with its viewer URL (a credential: kept in memory only). */
  fetchSession(sessionId: string, signal: AbortSignal): Promise<CyberneticSession>;
  /** Asks for confirmation, then stops it; false when the user said no. */
  stop(sessionId: string): Promise<boolean>;
  publish(sessionId: string): Promise<void>;
  /** Shows a failed action the way every command does (buttons for the next step). */
  showError(error: unknown, context: string): void;
}

/**
 * The Isaac Sim viewer of one session: the session's WebRTC viewer in an iframe (CSP `frame-src` limited to the viewer
 * URL's origin) under a toolbar (stop, publish, time left, cost, open in a browser). The viewer URL is fetched fresh
 * whenever the page loads (open, reveal after being hidden, reload of the window) and is never persisted. When the
 * session stops, from anywhere, the store says so and the page swaps the frame for the session's end state.
 */
export class ViewerPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, ViewerPanel>();

  private readonly host: WebviewPanelHost<ViewerHostMessage, ViewerPageMessage>;
  private readonly abort = new AbortController();
  private readonly subscription: vscode.Disposable;
  /** The last session shown and its viewer URL (memory only). */
  private shown: ViewerSession | undefined;
  private viewerUrl: string | undefined;
  private frameOrigin: string | undefined;
  /** A record fetched just before the page (re)loads: used by that load instead of asking again. */
  private prefetched: CyberneticSession | undefined;
  private loading: Promise<void> | undefined;

  /** Opens (or reveals) the viewer of a session; `fresh` is a record just fetched with its viewer URL. */
  static open(deps: ViewerPanelDeps, sessionId: string, fresh?: CyberneticSession): ViewerPanel {
    const open = ViewerPanel.panels.get(sessionId);
    if (open) {
      open.host.reveal();
      return open;
    }
    const panel = WebviewPanelHost.createPanel(VIEWER_VIEW_TYPE, titleOf(sessionId), deps.extensionUri);
    return new ViewerPanel(panel, deps, sessionId, fresh);
  }

  static get(sessionId: string): ViewerPanel | undefined {
    return ViewerPanel.panels.get(sessionId);
  }

  /** After a window reload the page's state names only the session; its viewer URL is fetched again. */
  static registerSerializer(deps: ViewerPanelDeps): vscode.Disposable {
    return registerWebviewPanelSerializer(VIEWER_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const parsed = ViewerPageState.safeParse(state);
        if (!parsed.success || ViewerPanel.panels.has(parsed.data.sessionId)) {
          panel.dispose();
          return;
        }
        panel.title = titleOf(parsed.data.sessionId);
        new ViewerPanel(panel, deps, parsed.data.sessionId);
      },
    });
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly deps: ViewerPanelDeps,
    readonly sessionId: string,
    fresh?: CyberneticSession,
  ) {
    const check = fresh?.access?.viewerUrl ? checkViewerUrl(fresh.access.viewerUrl) : undefined;
    this.frameOrigin = check?.ok ? check.origin : undefined;
    this.prefetched = fresh;
    this.host = new WebviewPanelHost<ViewerHostMessage, ViewerPageMessage>(panel, {
      extensionUri: deps.extensionUri,
      bundle: 'cyberneticViewer',
      title: 'Isaac Sim viewer',
      pageMessages: ViewerPageMessage,
      frameSrc: this.frameOrigin,
      log: deps.log,
      onReady: () => void this.load(),
      onMessage: (message) => this.handle(message),
    });
    ViewerPanel.panels.set(sessionId, this);
    this.subscription = deps.store.onDidChangeResources((change) => {
      if (change.provider !== 'cybernetic') return;
      if (change.removed.includes(sessionId)) this.unlisted();
      const resource = change.changed.find((r) => r.id === sessionId);
      const session = resource && sessionFromRaw(resource.raw);
      if (session) this.onRecord(session);
    });
    this.host.onDidDispose(() => this.dispose());
  }

  reveal(): void {
    this.host.reveal();
  }

  dispose(): void {
    if (ViewerPanel.panels.get(this.sessionId) === this) ViewerPanel.panels.delete(this.sessionId);
    this.abort.abort();
    this.subscription.dispose();
    this.viewerUrl = undefined;
    this.host.dispose();
  }

  /** The page loaded: show what the store knows at once, then the fresh record with its viewer URL. */
  private load(): Promise<void> {
    const known = this.deps.store.get('cybernetic', this.sessionId);
    const session = known && sessionFromRaw(known.raw);
    if (session && !this.prefetched) this.post({ type: 'show', session: toViewerSession(session, Date.now()) });
    this.loading ??= this.fetchAndShow().finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async fetchAndShow(): Promise<void> {
    try {
      const fresh = this.prefetched ?? (await this.deps.fetchSession(this.sessionId, this.abort.signal));
      this.prefetched = undefined;
      if (this.abort.signal.aborted) return;
      this.showFresh(fresh);
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.deps.log.warn(`Viewer of ${this.sessionId}: reading the session failed`, error);
      this.post({ type: 'error', error: toPanelError(error, (text) => this.deps.log.redact(text)) });
    }
  }

  /** A record with its viewer URL: embed it when running and allowed, else show why not. */
  private showFresh(session: CyberneticSession): void {
    const info = toViewerSession(session, Date.now());
    const url = info.phase === 'running' ? (session.access?.viewerUrl ?? undefined) : undefined;
    if (info.phase === 'running' && !url) {
      this.viewerUrl = undefined;
      this.show(info);
      this.post({ type: 'error', error: { message: vscode.l10n.t('The session is running but Cybernetic Physics gave no viewer URL for it. Try Open Viewer again in a moment.') } });
      return;
    }
    if (url) {
      const check = checkViewerUrl(url);
      if (!check.ok) {
        this.viewerUrl = undefined;
        this.show(info);
        this.post({ type: 'error', error: { message: vscode.l10n.t('The viewer was not embedded. {0}', viewerUrlProblemText(check)) } });
        return;
      }
      if (check.origin !== this.frameOrigin) {
        // The CSP is fixed when the page loads: reload it allowing this origin, and show this record when it is back.
        this.frameOrigin = check.origin;
        this.prefetched = session;
        this.host.setFrameSrc(check.origin);
        return;
      }
    }
    this.viewerUrl = url;
    this.show(info);
  }

  /** A poll (or a stop from anywhere) changed the session in the store. */
  private onRecord(session: CyberneticSession): void {
    const info = toViewerSession(session, Date.now());
    const was = this.shown?.phase;
    if (info.phase === 'running' && !this.viewerUrl) {
      // It just started (or the URL was refused): ask for the viewer URL, which the store never holds.
      this.show(info);
      if (was !== 'running') void this.load();
      return;
    }
    if (info.phase !== 'running') this.viewerUrl = undefined;
    this.show(info);
  }

  private unlisted(): void {
    this.viewerUrl = undefined;
    if (this.shown) this.show({ ...this.shown, phase: 'ended', status: 'unlisted' });
    this.post({ type: 'error', error: { message: vscode.l10n.t('This session is no longer listed: Cybernetic Physics was signed out or switched to another key.') } });
  }

  private show(session: ViewerSession): void {
    this.shown = session;
    this.post({ type: 'show', session, ...(this.viewerUrl ? { viewerUrl: this.viewerUrl } : {}) });
  }

  /** The page drops what fails its schema: checked here first, so a record out of bounds says so instead of nothing. */
  private post(message: ViewerHostMessage): void {
    const parsed = ViewerHostMessage.safeParse(message);
    if (parsed.success) {
      this.host.post(parsed.data);
      return;
    }
    this.deps.log.error(`Viewer message '${message.type}' for ${this.sessionId} is invalid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}`);
    this.host.post({ type: 'error', error: { message: vscode.l10n.t('The session could not be shown: its record is not what Sim Cloud expects (details in the Sim Cloud log).') } });
  }

  private async handle(message: ViewerPageMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        return;
      case 'stop':
        return this.run('stop', vscode.l10n.t('Stopping the session failed.'), async () => {
          await this.deps.stop(this.sessionId);
        });
      case 'publish':
        return this.run('publish', vscode.l10n.t('Publishing the session failed.'), () => this.deps.publish(this.sessionId));
      case 'openExternal':
        return this.run('openExternal', vscode.l10n.t('Opening the viewer in a browser failed.'), () => this.openExternal());
    }
  }

  private async openExternal(): Promise<void> {
    const fresh = await this.deps.fetchSession(this.sessionId, this.abort.signal);
    const url = fresh.access?.viewerUrl;
    if (!url || toViewerSession(fresh, Date.now()).phase !== 'running') {
      void vscode.window.showInformationMessage(vscode.l10n.t('Session {0} is {1}: there is no viewer to open.', this.sessionId, fresh.status));
      return;
    }
    const check = checkViewerUrl(url);
    if (!check.ok) throw new Error(viewerUrlProblemText(check));
    // Parsed strictly so the token's query is kept as the server wrote it.
    await vscode.env.openExternal(vscode.Uri.parse(url, true));
  }

  private async run(action: ViewerAction, context: string, work: () => Promise<void>): Promise<void> {
    this.post({ type: 'busy', action, busy: true });
    try {
      await work();
    } catch (error) {
      this.post({ type: 'error', error: toPanelError(error, (text) => this.deps.log.redact(text)) });
      this.deps.showError(error, context);
    } finally {
      this.post({ type: 'busy', action, busy: false });
    }
  }
}

function titleOf(sessionId: string): string {
  return vscode.l10n.t('Isaac Sim · {0}', sessionId);
}

/** Why a viewer URL was refused, in the user's language (the shared check returns a code). */
function viewerUrlProblemText(check: ViewerUrlProblem): string {
  switch (check.problem) {
    case 'invalid':
      return vscode.l10n.t('The viewer URL the server returned is not a valid URL.');
    case 'credentials':
      return vscode.l10n.t('The viewer URL carries a user name or password; Sim Cloud does not embed such URLs.');
    case 'plain-http':
      return vscode.l10n.t('The viewer is served over plain http from {0}; Sim Cloud embeds a viewer only over https (or http on this machine: 127.0.0.1, localhost, ::1).', check.host);
    case 'scheme':
      return vscode.l10n.t('The viewer URL uses {0}; only https (or http on this machine) can be embedded.', check.scheme);
  }
}
