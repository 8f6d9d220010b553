import * as vscode from 'vscode';
import type { CyberneticConnection } from './CyberneticSession';

export type ProgressReporter = vscode.Progress<{ message?: string; increment?: number }>;

/**
 * A long operation with a notification and a Cancel button. The signal `run` gets fires when the user cancels, the
 * connection ends (sign-out, another key) or the optional timeout passes, and each ends the same way everywhere:
 * the user's Cancel is a `vscode.CancellationError` (an answer, said to nobody); a connection change throws its
 * reason and a timeout says how long it waited (both are shown: nobody asked for them).
 */
export async function withCancellableProgress<T>(connection: CyberneticConnection | undefined, title: string, run: (signal: AbortSignal, progress: ProgressReporter) => Promise<T>, options: { timeoutMs?: number } = {}): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancelled = new vscode.CancellationError();
    const timedOut = new Error(vscode.l10n.t('{0}: no answer within {1} seconds. Try again.', title.replace(/…$/, ''), Math.round((options.timeoutMs ?? 0) / 1000)));
    const onCancel = token.onCancellationRequested(() => controller.abort(cancelled));
    const onConnectionEnd = () => controller.abort(connection?.signal.reason instanceof Error ? connection.signal.reason : new Error(vscode.l10n.t('The Cybernetic Physics connection changed.')));
    connection?.signal.addEventListener('abort', onConnectionEnd, { once: true });
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(timedOut), options.timeoutMs);
    try {
      if (connection?.signal.aborted) onConnectionEnd();
      return await run(controller.signal, progress);
    } catch (error) {
      if (controller.signal.aborted) throw controller.signal.reason;
      throw error;
    } finally {
      onCancel.dispose();
      if (timer) clearTimeout(timer);
      connection?.signal.removeEventListener('abort', onConnectionEnd);
    }
  });
}
