import * as path from 'node:path';
import * as vscode from 'vscode';
import { ruleLocation, type UploadPreview } from '../../core/archive/uploadPreview';
import type { Logger } from '../../core/log/Logger';
import {
  MAX_EXCLUDED_ROWS,
  MAX_SENT_ROWS,
  UPLOAD_PREVIEW_VIEW_TYPE,
  UploadPreviewData,
  UploadPreviewPageMessage,
  type ExcludedRow,
  type UploadPreviewHostMessage,
} from '../../shared/uploadPreviewProtocol';
import { WebviewPanelHost } from '../webview/WebviewPanelHost';

/**
 * Preview Upload: one panel per workspace folder, showing what an upload would send and why the rest stays home. The
 * page sorts and filters; a click on a rule or path comes back as an index into this panel's own rows, so the page
 * can only ask to open what the host listed.
 */
export class UploadPreviewPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, UploadPreviewPanel>();
  private readonly host: WebviewPanelHost<UploadPreviewHostMessage, UploadPreviewPageMessage>;
  private preview: UploadPreview | undefined;
  private message: UploadPreviewHostMessage = { type: 'loading' };

  /** Opens (or reveals) the panel of `root` showing "loading" until `show` or `showError`. */
  static open(extensionUri: vscode.Uri, root: string, log: Logger, refresh: (root: string) => void, options: { beside?: boolean } = {}): UploadPreviewPanel {
    const open = UploadPreviewPanel.panels.get(root);
    if (open) {
      open.host.reveal(options.beside ? vscode.ViewColumn.Beside : undefined);
      return open;
    }
    const panel = WebviewPanelHost.createPanel(UPLOAD_PREVIEW_VIEW_TYPE, vscode.l10n.t('Upload Preview: {0}', path.basename(root)), extensionUri, options.beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active);
    return new UploadPreviewPanel(panel, extensionUri, root, log, refresh);
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    readonly root: string,
    private readonly log: Logger,
    refresh: (root: string) => void,
  ) {
    this.host = new WebviewPanelHost<UploadPreviewHostMessage, UploadPreviewPageMessage>(panel, {
      extensionUri,
      bundle: 'uploadPreview',
      title: 'Upload preview',
      pageMessages: UploadPreviewPageMessage,
      log,
      onReady: () => this.host.post(this.message),
      onMessage: (message) => {
        if (message.type === 'refresh') refresh(this.root);
        else if (message.type === 'openRule') return this.openRule(message.index);
        else if (message.type === 'openFile') return this.openFile(message.list, message.index);
      },
    });
    UploadPreviewPanel.panels.set(root, this);
    this.host.onDidDispose(() => {
      if (UploadPreviewPanel.panels.get(root) === this) UploadPreviewPanel.panels.delete(root);
    });
  }

  get isDisposed(): boolean {
    return this.host.isDisposed;
  }

  loading(): void {
    this.message = { type: 'loading' };
    this.host.post(this.message);
  }

  show(preview: UploadPreview, extras: { largeLimitBytes?: number; filter?: string } = {}): void {
    this.preview = preview;
    const data: UploadPreviewData = {
      folderName: path.basename(preview.root),
      sent: preview.sent.slice(0, MAX_SENT_ROWS).map((f) => ({ path: f.relPath, size: f.size })),
      sentCount: preview.sent.length,
      totalBytes: preview.totalBytes,
      maxArchiveBytes: preview.maxArchiveBytes,
      excluded: preview.excluded.slice(0, MAX_EXCLUDED_ROWS).map((e): ExcludedRow => {
        const { reason } = e;
        const location = ruleLocation(reason);
        return {
          path: e.relPath,
          kind: e.kind,
          bytes: e.bytes,
          files: e.files,
          complete: e.complete,
          rule: { source: reason.source, location, pattern: reason.pattern, detail: reason.detail, isDefault: reason.source === 'setting' ? preview.excludesAreDefault : undefined, openable: location !== undefined || reason.source === 'setting' },
        };
      }),
      excludedCount: preview.excluded.length,
      // The page lists at most 1,000 (the protocol's bound); the question before any upload names them all.
      secrets: preview.secrets.slice(0, 1000).map((s) => ({ path: s.relPath, kind: s.kind })),
      excludes: [...preview.excludes],
      excludesAreDefault: preview.excludesAreDefault,
      largeLimitBytes: extras.largeLimitBytes,
      filter: extras.filter,
    };
    // Checked here with the page's own schema, so a mistake shows as a message rather than a blank page.
    const parsed = UploadPreviewData.safeParse(data);
    if (!parsed.success) {
      this.log.error(`upload preview data is invalid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}`);
      this.showError(vscode.l10n.t('The upload preview could not be shown: its data is invalid (details in the Sim Cloud log).'));
      return;
    }
    this.message = { type: 'show', data: parsed.data };
    this.host.post(this.message);
  }

  showError(message: string): void {
    this.message = { type: 'error', message: this.log.redact(message) };
    this.host.post(this.message);
  }

  private async openRule(index: number): Promise<void> {
    const reason = this.preview?.excluded[index]?.reason;
    if (!reason) return;
    if (reason.source === 'setting') {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'simcloud.upload.exclude');
      return;
    }
    if (!reason.file || (reason.source !== '.gitignore' && reason.source !== '.simcloudignore')) return;
    const line = Math.max(0, (reason.line ?? 1) - 1);
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(this.root, ...reason.file.split('/'))));
    const range = document.lineAt(Math.min(line, document.lineCount - 1)).range;
    await vscode.window.showTextDocument(document, { selection: range, preview: false, viewColumn: vscode.ViewColumn.Beside });
  }

  private async openFile(list: 'sent' | 'excluded', index: number): Promise<void> {
    const entry = list === 'sent' ? this.preview?.sent[index] : this.preview?.excluded[index];
    if (!entry || ('kind' in entry && entry.kind !== 'file')) return;
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(path.join(this.root, ...entry.relPath.split('/'))), { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  dispose(): void {
    this.host.dispose();
  }
}
