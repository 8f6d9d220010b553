import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ResultsDownload as JournaledDownload } from '../../core/inflight/InFlightOperation';
import type { InFlightOperations } from '../../core/inflight/InFlightOperations';
import type { HttpClient } from '../../core/http/HttpClient';
import type { Logger } from '../../core/log/Logger';
import { notificationText } from '../../core/util/notificationText';
import { downloadFiles, TEMP_FILE_PATTERN, type DownloadFile, type DownloadResult } from '../../core/transfer/downloadFiles';
import { isInside } from '../../core/transfer/safePath';
import { formatBytes, formatRate } from '../format';
import { walkthroughStepDone } from '../walkthrough/walkthroughStepDone';

export interface ResultsDownload {
  /** Shown in titles and messages: the job id. */
  readonly jobName: string;
  /** Where results go unless the user picks another folder: `<workspace>/sim-results/<job id>`. */
  readonly defaultFolder: string | undefined;
  /** Fetches the provider's list of result files (signed URLs); called inside the progress notification. */
  listFiles(signal: AbortSignal): Promise<readonly DownloadFile[]>;
  readonly http: HttpClient;
  readonly log: Logger;
  /** Journals the download, so a window reload in the middle resumes it (the provider finds the files again by id). */
  readonly journal?: { readonly operations: InFlightOperations; readonly provider: string; readonly resourceId: string };
  /** A download the last window did not finish: into its folder (nothing asked), after removing its temp files. */
  readonly resuming?: JournaledDownload;
}

/**
 * Download Results for any provider: the user confirms the folder (default `sim-results/<job id>` in the workspace),
 * then every file arrives with progress and cancel. Names from the server are sanitised by `downloadFiles`, which
 * refuses any that would land outside the folder; refusals and failures are reported, never silently dropped.
 */
export async function downloadResultsWithProgress(request: ResultsDownload): Promise<DownloadResult | undefined> {
  const target = request.resuming?.targetDir ?? (await chooseFolder(request));
  if (!target) return undefined;
  if (request.resuming) await removeTempFiles(request.resuming, request.log);
  const entry = await journalDownload(request, target);
  const tempFiles: string[] = [];
  const title = request.resuming ? vscode.l10n.t('Resuming the download of results of {0} (interrupted by a window reload)', request.jobName) : vscode.l10n.t('Downloading results of {0}', request.jobName);
  const result = await Promise.resolve(vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
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
          onTempFile: (temp) => {
            tempFiles.push(temp);
            if (entry) void request.journal?.operations.update<JournaledDownload>(entry.id, { tempFiles: [...tempFiles] });
          },
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
  )).finally(() => entry && request.journal?.operations.finish(entry.id));
  report(request, target, result);
  if (result.downloaded.length + result.skipped.length > 0 && result.failed.length === 0) walkthroughStepDone('downloadedResults');
  return result;
}

async function journalDownload(request: ResultsDownload, targetDir: string): Promise<JournaledDownload | undefined> {
  if (!request.journal) return undefined;
  const { operations, provider, resourceId } = request.journal;
  return operations.begin<JournaledDownload>({
    id: request.resuming?.id ?? randomUUID(),
    kind: 'download',
    provider,
    resourceId,
    targetDir,
    label: request.jobName,
    startedAt: request.resuming?.startedAt ?? new Date().toISOString(),
    ownerPid: operations.ownerPid,
  });
}

/** Only hidden temp names inside the download's folder: the journal is state a user could edit, never a delete list. */
async function removeTempFiles(entry: JournaledDownload, log: Logger): Promise<void> {
  for (const temp of entry.tempFiles ?? []) {
    if (!TEMP_FILE_PATTERN.test(path.basename(temp)) || !isInside(entry.targetDir, temp)) continue;
    await rm(temp, { force: true });
    log.info(`Removed ${path.basename(temp)}, a temp file of the download interrupted by the window reload.`);
  }
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
  const counts = vscode.l10n.t('{0} files downloaded to {1} ({2}), {3} already there.', result.downloaded.length, where, formatBytes(bytes), result.skipped.length);
  const summary = request.resuming ? vscode.l10n.t('The download of results of {0} was interrupted by a window reload and has been resumed: {1}', request.jobName, counts) : counts;
  // Not awaited: a notification's promise settles only when it is dismissed, and the command is done.
  const shown = problems.length
    ? vscode.window.showWarningMessage(notificationText(`${summary} ${problems.join('. ')}.${result.failed.length > 0 ? ` ${vscode.l10n.t('Download again to retry the failed files.')}` : ''}`), reveal, showLog)
    : vscode.window.showInformationMessage(notificationText(summary), reveal);
  void shown.then((choice) => {
    if (choice === reveal) void vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(target));
    else if (choice === showLog) void vscode.commands.executeCommand('simcloud.showLog');
  });
}
