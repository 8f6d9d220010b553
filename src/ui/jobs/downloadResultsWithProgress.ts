import * as path from 'node:path';
import * as vscode from 'vscode';
import type { HttpClient } from '../../core/http/HttpClient';
import type { Logger } from '../../core/log/Logger';
import { notificationText } from '../../core/util/notificationText';
import { downloadFiles, type DownloadFile, type DownloadResult } from '../../core/transfer/downloadFiles';
import { formatBytes, formatRate } from '../format';

export interface ResultsDownload {
  /** Shown in titles and messages: the job id. */
  readonly jobName: string;
  /** Where results go unless the user picks another folder: `<workspace>/sim-results/<job id>`. */
  readonly defaultFolder: string | undefined;
  /** Fetches the provider's list of result files (signed URLs); called inside the progress notification. */
  listFiles(signal: AbortSignal): Promise<readonly DownloadFile[]>;
  readonly http: HttpClient;
  readonly log: Logger;
}

/**
 * Download Results for any provider: the user confirms the folder (default `sim-results/<job id>` in the workspace),
 * then every file arrives with progress and cancel. Names from the server are sanitised by `downloadFiles`, which
 * refuses any that would land outside the folder; refusals and failures are reported, never silently dropped.
 */
export async function downloadResultsWithProgress(request: ResultsDownload): Promise<DownloadResult | undefined> {
  const target = await chooseFolder(request);
  if (!target) return undefined;
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading results of {0}', request.jobName), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
      try {
        progress.report({ message: vscode.l10n.t('Fetching the list of files…') });
        const files = await request.listFiles(controller.signal);
        const total = files.reduce((sum, file) => sum + file.sizeBytes, 0);
        let shown = 0;
        return await downloadFiles({
          files,
          targetDir: target,
          http: request.http,
          signal: controller.signal,
          logger: request.log,
          onProgress: (p) => {
            const percent = total > 0 ? (100 * p.bytesDone) / total : 100;
            progress.report({ message: vscode.l10n.t('{0} of {1} at {2}', formatBytes(p.bytesDone), formatBytes(total), formatRate(p.bytesPerSecond)), increment: Math.max(0, percent - shown) });
            shown = Math.max(shown, percent);
          },
        });
      } finally {
        onCancel.dispose();
      }
    },
  );
  report(request, target, result);
  return result;
}

async function chooseFolder(request: ResultsDownload): Promise<string | undefined> {
  const choose = vscode.l10n.t('Choose a Folder…');
  if (request.defaultFolder) {
    const workspaceRoot = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(request.defaultFolder));
    const shown = workspaceRoot ? vscode.workspace.asRelativePath(request.defaultFolder, false) : request.defaultFolder;
    const here = { label: `$(folder) ${shown}`, description: vscode.l10n.t('in the workspace'), folder: request.defaultFolder };
    const other = { label: `$(folder-opened) ${choose}`, folder: undefined };
    const picked = await vscode.window.showQuickPick([here, other], { title: vscode.l10n.t('Download results of {0} to…', request.jobName), placeHolder: vscode.l10n.t('Where should the result files go?') });
    if (!picked) return undefined;
    if (picked.folder) return picked.folder;
  }
  const uris = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: vscode.l10n.t('Download Here'), title: vscode.l10n.t('Download results of {0} to…', request.jobName) });
  return uris?.[0]?.fsPath;
}

function report(request: ResultsDownload, target: string, result: DownloadResult): void {
  const bytes = result.downloaded.reduce((sum, file) => sum + file.bytes, 0);
  request.log.info(
    `Results of ${request.jobName} → ${target}: ${result.downloaded.length} downloaded (${bytes} bytes), ${result.skipped.length} already present, ${result.refused.length} refused, ${result.failed.length} failed.`,
  );
  for (const refused of result.refused) request.log.warn(`Refused result file: ${refused.reason}`);
  for (const failed of result.failed) request.log.error(`Result file ${failed.name} failed`, failed.error);
  const reveal = vscode.l10n.t('Reveal in Explorer');
  const showLog = vscode.l10n.t('Show Log');
  const where = path.basename(target);
  const problems: string[] = [];
  if (result.refused.length > 0) problems.push(vscode.l10n.t('{0} refused because their names would write outside the folder or are not allowed ({1})', result.refused.length, result.refused.map((r) => r.reason).join('; ')));
  if (result.failed.length > 0) problems.push(vscode.l10n.t('{0} failed: {1}', result.failed.length, result.failed.map((f) => `${f.name}: ${f.error.message}`).join('; ')));
  const summary = vscode.l10n.t('{0} files downloaded to {1} ({2}), {3} already there.', result.downloaded.length, where, formatBytes(bytes), result.skipped.length);
  // Not awaited: a notification's promise settles only when it is dismissed, and the command is done.
  const shown = problems.length
    ? vscode.window.showWarningMessage(notificationText(`${summary} ${problems.join('. ')}.${result.failed.length > 0 ? ` ${vscode.l10n.t('Download again to retry the failed files.')}` : ''}`), reveal, showLog)
    : vscode.window.showInformationMessage(notificationText(summary), reveal);
  void shown.then((choice) => {
    if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target));
    else if (choice === showLog) void vscode.commands.executeCommand('simcloud.showLog');
  });
}
