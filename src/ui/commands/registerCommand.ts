import * as vscode from 'vscode';
import type { Logger } from '../../core/log/Logger';
import { ApiError } from '../../core/http/ApiError';
import { showOperationError } from '../errors/showOperationError';

/** Every command goes through here so a failure is always logged and shown the same way, never swallowed. */
export function registerCommand(id: string, logger: Logger, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      // The user pressed Cancel on a progress notification: that is an answer, not a failure.
      if (isCancellation(error)) {
        logger.info(`${id}: cancelled by the user`);
        return undefined;
      }
      showOperationError(error, logger);
      return undefined;
    }
  });
}

export function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || (ApiError.is(error) && error.kind === 'aborted') || (error instanceof Error && error.name === 'AbortError');
}
