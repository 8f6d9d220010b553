import * as vscode from 'vscode';
import { ApiError } from '../../core/http/ApiError';
import type { Logger } from '../../core/log/Logger';
import { EndpointConfigurationError } from '../../core/providers/endpoints';

export interface ErrorAction {
  readonly title: string;
  run(): unknown;
}

/**
 * One way to tell the user something failed: what happened (already redacted by the core), the request id, what to
 * do next, and buttons for the next step. The full error goes to the log.
 */
export function showOperationError(error: unknown, logger: Logger, context?: string, actions: readonly ErrorAction[] = []): void {
  logger.error(context ?? 'Operation failed', error);
  const all: ErrorAction[] = [...actions];
  let detail: string;
  if (ApiError.is(error)) {
    detail = error.message;
    if (error.status === 401 || error.status === 403) {
      all.push({ title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('simcloud.openSettings') });
    }
  } else if (error instanceof EndpointConfigurationError) {
    detail = error.message;
    all.push({ title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', error.settingKey) });
  } else {
    detail = error instanceof Error ? error.message : String(error);
  }
  all.push({ title: vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand('simcloud.showLog') });
  const message = context ? `${context} ${detail}` : detail;
  void vscode.window.showErrorMessage(logger.redact(message), ...all.map((action) => action.title)).then((choice) => {
    all.find((action) => action.title === choice)?.run();
  });
}
