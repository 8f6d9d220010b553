import * as vscode from 'vscode';
import { ApiError } from '../../core/http/ApiError';
import type { Logger } from '../../core/log/Logger';
import { EndpointConfigurationError } from '../../core/providers/endpoints';
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import { notificationText } from '../../core/util/notificationText';

/** A command needs a provider the user is not signed in to; shown with a Sign In button. */
export class NotSignedInError extends Error {
  constructor(readonly provider: ProviderId) {
    super(vscode.l10n.t('You are not signed in to {0}. Sign in with a key from its dashboard, then try again.', PROVIDERS[provider].displayName));
  }
}

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
    const provider = PROVIDER_IDS.find((id) => id === error.provider);
    if (error.status === 401 && provider) {
      // The key lives in secret storage, not in settings: signing in again is the fix.
      all.push({ title: vscode.l10n.t('Sign In Again'), run: () => vscode.commands.executeCommand(`simcloud.${provider}.signIn`) });
    } else if (error.status === 402 && provider === 'simulacrum') {
      all.push({ title: vscode.l10n.t('Open Dashboard'), run: () => vscode.env.openExternal(vscode.Uri.parse('https://app.simulacrumlabs.com')) });
    } else if (error.status === 401 || error.status === 403) {
      all.push({ title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('simcloud.openSettings') });
    }
  } else if (error instanceof EndpointConfigurationError) {
    detail = error.message;
    all.push({ title: vscode.l10n.t('Open Settings'), run: () => vscode.commands.executeCommand('workbench.action.openSettings', error.settingKey) });
  } else if (error instanceof NotSignedInError) {
    detail = error.message;
    all.push({ title: vscode.l10n.t('Sign In'), run: () => vscode.commands.executeCommand(`simcloud.${error.provider}.signIn`) });
  } else {
    detail = error instanceof Error ? error.message : String(error);
  }
  all.push({ title: vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand('simcloud.showLog') });
  const message = context ? `${context} ${detail}` : detail;
  void vscode.window.showErrorMessage(notificationText(logger.redact(message)), ...all.map((action) => action.title)).then((choice) => {
    all.find((action) => action.title === choice)?.run();
  });
}
