import * as path from 'node:path';
import * as vscode from 'vscode';
import { appendIgnoreLines, gitignoreLiteral } from '../../core/archive/likelySecrets';
import { buildUploadPreview, type UploadPreview } from '../../core/archive/uploadPreview';
import type { Logger } from '../../core/log/Logger';
import { formatBytes } from '../format';
import { excludeSettingIsDefault, uploadSettings } from '../settings/uploadSettings';
import { secretKindText } from '../../shared/uploadPreviewProtocol';

export type PreviewMode = 'never' | 'whenWarned' | 'always';

/** What the submit flow uploads after the check: the extra patterns excluded for this upload only. */
export interface UploadPlan {
  readonly extraExcludes: readonly string[];
}

export const DEFAULT_LARGE_ARCHIVE_MB = 500;

/** `simcloud.upload.largeArchiveWarningMB` for a folder; 0 (or a nonsense value) never warns. */
export function largeLimitMb(scope: vscode.Uri): number {
  const value = vscode.workspace.getConfiguration('simcloud.upload', scope).get<number>('largeArchiveWarningMB', DEFAULT_LARGE_ARCHIVE_MB);
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

/**
 * The submit flow's look before it leaps: lists what would be sent (as Preview Upload does), and asks before an
 * unusually large upload or one holding likely secrets. A flagged file is never uploaded without the user choosing
 * so; `simcloud.upload.preview` only decides whether the Preview Upload panel opens too. Undefined: the user cancelled.
 */
export class UploadPreflight {
  constructor(
    /** Opens the Preview Upload panel on an already built preview. */
    private readonly showPreview: (preview: UploadPreview, largeLimitBytes: number | undefined) => void,
    private readonly log: Logger,
  ) {}

  async check(folder: vscode.WorkspaceFolder): Promise<UploadPlan | undefined> {
    const config = vscode.workspace.getConfiguration('simcloud.upload', folder);
    const mode = config.get<PreviewMode>('preview', 'whenWarned');
    const limitMb = largeLimitMb(folder.uri);
    const root = folder.uri.fsPath;
    const preview = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking what would be uploaded from {0}…', folder.name), cancellable: true }, async (_progress, token) => {
      const controller = new AbortController();
      const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
      try {
        return await buildUploadPreview({ root, excludes: uploadSettings(root).excludes, excludesAreDefault: excludeSettingIsDefault(root), signal: controller.signal });
      } finally {
        onCancel.dispose();
      }
    });
    const large = limitMb > 0 && preview.maxArchiveBytes > limitMb * 1_000_000;
    const secrets = preview.secrets;
    this.log.info(`Upload check of ${folder.name}: ${preview.sent.length} files, ${preview.totalBytes} bytes, ${preview.excluded.length} excluded entries, ${secrets.length} likely secrets${large ? `, larger than ${limitMb} MB` : ''}.`);
    if (secrets.length === 0 && !large && mode !== 'always') return { extraExcludes: [] };
    if (mode !== 'never') this.showPreview(preview, large ? limitMb * 1_000_000 : undefined);
    return secrets.length > 0 ? this.askAboutSecrets(folder, preview, large, limitMb) : this.askToContinue(preview, large, limitMb);
  }

  private async askToContinue(preview: UploadPreview, large: boolean, limitMb: number): Promise<UploadPlan | undefined> {
    const upload = vscode.l10n.t('Upload');
    const choice = await vscode.window.showWarningMessage(
      large ? vscode.l10n.t('This upload is unusually large: up to {0}.', formatBytes(preview.maxArchiveBytes)) : vscode.l10n.t('Upload {0} files ({1})?', preview.sent.length.toLocaleString(), formatBytes(preview.totalBytes)),
      { modal: true, detail: this.summary(preview, large, limitMb) },
      upload,
    );
    return choice === upload ? { extraExcludes: [] } : undefined;
  }

  private async askAboutSecrets(folder: vscode.WorkspaceFolder, preview: UploadPreview, large: boolean, limitMb: number): Promise<UploadPlan | undefined> {
    const secrets = preview.secrets;
    const exclude = vscode.l10n.t('Exclude and Continue');
    const addToIgnore = vscode.l10n.t('Add to .simcloudignore');
    const uploadAnyway = vscode.l10n.t('Upload Them Anyway');
    const listed = secrets.slice(0, 10).map((s) => `• ${s.relPath} — ${secretKindText(s.kind)}`);
    if (secrets.length > 10) listed.push(vscode.l10n.t('… and {0} more (see the preview)', secrets.length - 10));
    const choice = await vscode.window.showWarningMessage(
      secrets.length === 1 ? vscode.l10n.t('A file that likely holds secrets would be uploaded: {0}', secrets[0].relPath) : vscode.l10n.t('{0} files that likely hold secrets would be uploaded.', secrets.length),
      {
        modal: true,
        detail: [
          ...listed,
          '',
          vscode.l10n.t('"Exclude and Continue" leaves them out of this upload only. "Add to .simcloudignore" writes them to {0} so they stay out of every upload.', path.join(folder.name, '.simcloudignore')),
          this.summary(preview, large, limitMb),
        ].join('\n'),
      },
      exclude,
      addToIgnore,
      uploadAnyway,
    );
    const lines = secrets.map((s) => gitignoreLiteral(s.relPath));
    if (choice === exclude) return { extraExcludes: lines };
    if (choice === addToIgnore) {
      await appendIgnoreLines(path.join(folder.uri.fsPath, '.simcloudignore'), lines);
      this.log.info(`Added ${lines.length} likely secrets to ${folder.name}/.simcloudignore.`);
      // Nothing extra: the scan reads the changed file (its stamp changed), and the upload's fingerprint stays the one
      // later submissions of the same files will have, so the next unchanged submission reuses this upload.
      return { extraExcludes: [] };
    }
    if (choice === uploadAnyway) {
      this.log.warn(`Uploading ${secrets.length} files flagged as likely secrets from ${folder.name}, as the user chose.`);
      return { extraExcludes: [] };
    }
    return undefined;
  }

  private summary(preview: UploadPreview, large: boolean, limitMb: number): string {
    const totals = vscode.l10n.t('{0} files, {1}; the archive is at most {2}.', preview.sent.length.toLocaleString(), formatBytes(preview.totalBytes), formatBytes(preview.maxArchiveBytes));
    return large ? `${totals} ${vscode.l10n.t('That is more than simcloud.upload.largeArchiveWarningMB ({0} MB): check the preview for folders to exclude.', limitMb)}` : totals;
  }
}
