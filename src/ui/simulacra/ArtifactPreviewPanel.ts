import * as vscode from 'vscode';
import type { Logger } from '../../core/log/Logger';
import {
  ARTIFACT_PREVIEW_VIEW_TYPE,
  ArtifactPageMessage,
  ArtifactPageState,
  ArtifactPreviewData,
  MAX_PREVIEW_COLUMNS,
  MAX_PREVIEW_ROWS,
  type ArtifactHostMessage,
} from '../../shared/artifactPreviewProtocol';
import { WebviewPanelHost } from '../webview/WebviewPanelHost';
import { registerWebviewPanelSerializer } from '../activation/lazySerializers';

/**
 * Shows the first rows of a generated artifact and achieved vs target per condition (see `compareArtifact`).
 * One panel per artifact key; opening it again reveals it with the new data.
 */
export class ArtifactPreviewPanel implements vscode.Disposable {
  private static readonly panels = new Map<string, ArtifactPreviewPanel>();
  private readonly host: WebviewPanelHost<ArtifactHostMessage, ArtifactPageMessage>;
  private message: ArtifactHostMessage;

  static createOrShow(extensionUri: vscode.Uri, artifactKey: string, data: ArtifactPreviewData, log: Logger, title = data.title ?? 'Artifact Preview'): ArtifactPreviewPanel {
    const open = ArtifactPreviewPanel.panels.get(artifactKey);
    if (open) {
      open.update(data);
      open.host.reveal();
      return open;
    }
    const panel = WebviewPanelHost.createPanel(ARTIFACT_PREVIEW_VIEW_TYPE, title, extensionUri);
    return new ArtifactPreviewPanel(panel, extensionUri, artifactKey, data, log);
  }

  /** `restore` reads the artifact again (it may be gone: return undefined and the panel closes). */
  static registerSerializer(extensionUri: vscode.Uri, log: Logger, restore: (artifactKey: string) => Promise<ArtifactPreviewData | undefined>): vscode.Disposable {
    return registerWebviewPanelSerializer(ARTIFACT_PREVIEW_VIEW_TYPE, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
        const parsed = ArtifactPageState.safeParse(state);
        const data = parsed.success && !ArtifactPreviewPanel.panels.has(parsed.data.artifactKey) ? await restore(parsed.data.artifactKey).catch(() => undefined) : undefined;
        if (!parsed.success || !data) {
          panel.dispose();
          return;
        }
        new ArtifactPreviewPanel(panel, extensionUri, parsed.data.artifactKey, data, log);
      },
    });
  }

  private constructor(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, readonly artifactKey: string, data: ArtifactPreviewData, private readonly log: Logger) {
    this.message = ArtifactPreviewPanel.showMessage(artifactKey, data, log);
    this.host = new WebviewPanelHost<ArtifactHostMessage, ArtifactPageMessage>(panel, {
      extensionUri,
      bundle: 'artifactPreview',
      title: 'Artifact preview',
      pageMessages: ArtifactPageMessage,
      log,
      onReady: () => this.host.post(this.message),
      onMessage: () => undefined,
    });
    ArtifactPreviewPanel.panels.set(artifactKey, this);
    this.host.onDidDispose(() => {
      if (ArtifactPreviewPanel.panels.get(artifactKey) === this) ArtifactPreviewPanel.panels.delete(artifactKey);
    });
  }

  update(data: ArtifactPreviewData): void {
    this.message = ArtifactPreviewPanel.showMessage(this.artifactKey, data, this.log);
    this.host.post(this.message);
  }

  showError(message: string): void {
    this.message = { type: 'error', message: this.log.redact(message) };
    this.host.post(this.message);
  }

  dispose(): void {
    this.host.dispose();
  }

  /**
   * Trims to the preview limits (rows, columns, very long cells; NaN and ±Infinity shown as text) and checks the data
   * with the same schema the page uses, so a mistake shows here rather than as a blank page.
   */
  private static showMessage(artifactKey: string, data: ArtifactPreviewData, log: Logger): ArtifactHostMessage {
    const columns = data.columns.slice(0, MAX_PREVIEW_COLUMNS).map((name) => clip(name, 1000));
    const rows = data.rows.slice(0, MAX_PREVIEW_ROWS).map((row) => row.slice(0, MAX_PREVIEW_COLUMNS).map(previewCell));
    const trimmed = { ...data, columns, rows };
    const parsed = ArtifactPreviewData.safeParse(trimmed);
    if (!parsed.success) {
      log.error(`artifact preview data is invalid: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.')} ${i.code}`).join(', ')}`);
      return { type: 'error', message: 'The artifact could not be shown: its preview data is invalid (details in the Sim Cloud log).' };
    }
    return { type: 'show', artifactKey, data: parsed.data };
  }
}

const MAX_CELL_CHARS = 10_000;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function previewCell(cell: string | number | null): string | number | null {
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : String(cell);
  return typeof cell === 'string' ? clip(cell, MAX_CELL_CHARS) : cell;
}
