import * as vscode from 'vscode';
import { ApiError } from '../../core/http/ApiError';
import type { Logger } from '../../core/log/Logger';
import { notificationText } from '../../core/util/notificationText';
import { showOperationError, type ErrorAction } from '../errors/showOperationError';
import type { CyberneticFeatureContext } from './CyberneticFeatureContext';
import type { CyberneticConnection } from './CyberneticSession';

/** How long Sim Cloud waits for the answer to a send-once POST. */
export const SEND_ONCE_TIMEOUT_MS = 60_000;

export interface SendOnceText {
  /** The progress notification's title ("Starting a Eureka run of …"). */
  readonly title: string;
  /** Said when the answer never came: "It is not known whether the Eureka run started." */
  readonly unknown: string;
  /** What to check before trying again: "It may be running already: check the Jobs view before you start it again." */
  readonly check: string;
  /** Where to check (Refresh, Manage API Keys); Show Log is always offered. */
  readonly actions?: readonly ErrorAction[];
}

/**
 * A POST that creates work (a session, a run, a job, a key) and is sent exactly once: the API has no idempotency key,
 * so a replay could create (and bill) it twice. It is deliberately not tied to the connection's signal: a sign-out or
 * key switch half-way would abort it after the server may have acted, and an abort reads as a user's cancel, which is
 * shown to nobody. Callers check `session.isCurrent(connection)` before they touch the view with the answer.
 *
 * Returns undefined when the answer was lost (network, timeout, interrupted, unreadable): the user has been told that
 * it may have happened and where to check. A refusal by the server (an HTTP status) is thrown to the caller.
 */
export async function sendOnce<T>(logger: Logger, text: SendOnceText, send: (signal: AbortSignal) => Promise<T>): Promise<T | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: text.title }, () => send(AbortSignal.timeout(SEND_ONCE_TIMEOUT_MS)));
  } catch (error) {
    if (!isOutcomeUnknown(error)) throw error;
    showOutcomeUnknown(error, logger, text);
    return undefined;
  }
}

/** The request may have reached the server and been acted on: only an HTTP refusal says for sure that it was not. */
export function isOutcomeUnknown(error: unknown): error is ApiError {
  return ApiError.is(error) && (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'aborted' || error.kind === 'invalid-response');
}

function showOutcomeUnknown(error: ApiError, logger: Logger, text: SendOnceText): void {
  logger.error(text.unknown, error);
  const actions: ErrorAction[] = [...(text.actions ?? []), { title: vscode.l10n.t('Show Log'), run: () => vscode.commands.executeCommand('simcloud.showLog') }];
  const parts = [text.unknown, whyUnknown(error)];
  if (error.requestId) parts.push(vscode.l10n.t('Request id: {0}.', error.requestId));
  parts.push(text.check);
  void vscode.window.showErrorMessage(notificationText(logger.redact(parts.join(' '))), ...actions.map((action) => action.title)).then((choice) => {
    actions.find((action) => action.title === choice)?.run();
  });
}

function whyUnknown(error: ApiError): string {
  switch (error.kind) {
    case 'network':
      return vscode.l10n.t('The connection failed before the answer arrived ({0}).', error.code);
    case 'timeout':
      return vscode.l10n.t('No answer arrived in time ({0}).', error.code);
    case 'invalid-response':
      return vscode.l10n.t('The answer could not be read ({0}).', error.code);
    default:
      return vscode.l10n.t('No answer arrived within {0} seconds.', SEND_ONCE_TIMEOUT_MS / 1000);
  }
}

/** The Jobs view's Refresh, for "check the list". */
export function refreshAction(): ErrorAction {
  return { title: vscode.l10n.t('Refresh'), run: () => vscode.commands.executeCommand('simcloud.jobs.refresh') };
}

/**
 * "Look for It" after a lost answer: reconstruction jobs and Eureka runs are polled only when this window knows their
 * id, so Refresh cannot show one whose answer was lost. This lists them and adds those created since the request was
 * sent (a minute of clock slack) that the view does not show yet.
 */
export function lookForStartedAction(feature: CyberneticFeatureContext, connection: CyberneticConnection, kind: 'reconstruction' | 'eureka-run', sentAt: number): ErrorAction {
  return {
    title: vscode.l10n.t('Look for It'),
    run: async () => {
      if (!feature.session.isCurrent(connection)) {
        void vscode.window.showWarningMessage(vscode.l10n.t('Sim Cloud is no longer signed in with the key that sent the request: look for it in the Cybernetic Physics dashboard.'));
        return;
      }
      try {
        const signal = AbortSignal.any([connection.signal, AbortSignal.timeout(SEND_ONCE_TIMEOUT_MS)]);
        const all = kind === 'reconstruction' ? await connection.api.listReconstructions(signal) : await connection.api.listEurekaRuns(signal);
        const found = all.filter((item) => {
          const created = item.createdAt ? Date.parse(item.createdAt) : Number.NaN;
          return created >= sentAt - 60_000 && !feature.store.get('cybernetic', item.jobId);
        });
        if (!feature.session.isCurrent(connection)) return;
        for (const item of found) feature.reveal(await connection.source.track(kind, item));
        feature.session.refresh();
        void vscode.window.showInformationMessage(
          found.length > 0
            ? notificationText(vscode.l10n.t('Found what was started since you asked ({0}): it is in the Jobs view now.', found.map((item) => item.jobId).join(', ')))
            : vscode.l10n.t('Nothing was started since you asked: it is safe to start it again.'),
        );
      } catch (error) {
        showOperationError(error, feature.log, vscode.l10n.t('Could not look for it.'));
      }
    },
  };
}
