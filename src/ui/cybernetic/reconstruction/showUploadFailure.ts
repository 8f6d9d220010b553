import * as vscode from 'vscode';
import type { Logger } from '../../../core/log/Logger';
import { notificationText } from '../../../core/util/notificationText';
import { PresignedUploadError } from '../../../core/transfer/PresignedUploadError';

/**
 * A failed presigned upload, shown with the action that fixes it. The generic error display offers "Open Settings" for
 * any 403, which is wrong here: a 403 from storage is an expired or refused link, and the fix is to start again (a
 * new link), never a different key. Returns false for any other error, which the caller rethrows.
 */
export function showUploadFailure(error: unknown, log: Logger, again: () => unknown): boolean {
  // An upload failure may come wrapped in what it left behind ("Version ver_x of env was created but is empty: …").
  const upload = error instanceof PresignedUploadError ? error : error instanceof Error && error.cause instanceof PresignedUploadError ? error.cause : undefined;
  if (!upload || !(error instanceof Error)) return false;
  log.error(`Upload failed (${upload.reason})`, error);
  const retry = vscode.l10n.t('Start Again');
  const showLog = vscode.l10n.t('Show Log');
  void vscode.window.showErrorMessage(notificationText(log.redact(error.message)), retry, showLog).then((choice) => {
    if (choice === retry) void again();
    else if (choice === showLog) void vscode.commands.executeCommand('simcloud.showLog');
  });
  return true;
}
