import * as path from 'node:path';
import * as vscode from 'vscode';
import { buildUploadPreview, type UploadPreview } from '../../core/archive/uploadPreview';
import type { Logger } from '../../core/log/Logger';
import { registerCommand } from '../commands/registerCommand';
import { showOperationError } from '../errors/showOperationError';
import { excludeSettingIsDefault, uploadSettings } from '../settings/uploadSettings';
import { UploadPreflight, largeLimitMb } from './UploadPreflight';
import { UploadPreviewPanel } from './UploadPreviewPanel';

/** Preview Upload (palette, Explorer folders, the submit flow) and the preflight the submit flow runs before uploading. */
export function registerUploadPreview(context: vscode.ExtensionContext, log: Logger): UploadPreflight {
  const previews = new UploadPreviews(context.extensionUri, log);
  context.subscriptions.push(registerCommand('simcloud.upload.preview', log, (arg) => previews.command(arg)));
  return new UploadPreflight((preview, limitBytes) => previews.showBuilt(preview, limitBytes), log);
}

/** Opens panels and fills them: from the command (build, then show) and from the submit flow (already built). */
class UploadPreviews {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
  ) {}

  async command(arg: unknown): Promise<void> {
    const clicked = arg instanceof vscode.Uri && arg.scheme === 'file' ? arg : undefined;
    const folder = clicked ? vscode.workspace.getWorkspaceFolder(clicked) : await pickFolder();
    if (!folder) {
      if (clicked) void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not inside a workspace folder: Sim Cloud uploads workspace folders.', clicked.fsPath));
      return;
    }
    const root = folder.uri.fsPath;
    // Right-clicked a folder inside the workspace: the whole upload, narrowed to that folder.
    const inside = clicked ? path.relative(root, clicked.fsPath).split(path.sep).join('/') : '';
    await this.build(root, inside && !inside.startsWith('..') ? `${inside}/` : undefined);
  }

  showBuilt(preview: UploadPreview, largeLimitBytes: number | undefined): void {
    UploadPreviewPanel.open(this.extensionUri, preview.root, this.log, (root) => void this.build(root), { beside: true }).show(preview, { largeLimitBytes });
  }

  private async build(root: string, filter?: string): Promise<void> {
    const panel = UploadPreviewPanel.open(this.extensionUri, root, this.log, (again) => void this.build(again));
    panel.loading();
    try {
      const preview = await buildUploadPreview({ root, excludes: uploadSettings(root).excludes, excludesAreDefault: excludeSettingIsDefault(root) });
      const limitMb = largeLimitMb(vscode.Uri.file(root));
      if (!panel.isDisposed) panel.show(preview, { filter, largeLimitBytes: limitMb > 0 && preview.maxArchiveBytes > limitMb * 1_000_000 ? limitMb * 1_000_000 : undefined });
    } catch (error) {
      if (!panel.isDisposed) panel.showError(error instanceof Error ? error.message : String(error));
      showOperationError(error, this.log);
    }
  }
}

async function pickFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open the folder of your simulation project first: Preview Upload lists what Sim Cloud would zip from it.'));
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Preview the upload of which folder?') });
}
