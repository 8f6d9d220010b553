import * as vscode from 'vscode';
import type { Logger } from '../../core/log/Logger';
import { showOperationError } from '../errors/showOperationError';

/** Every command goes through here so a failure is always logged and shown the same way, never swallowed. */
export function registerCommand(id: string, logger: Logger, handler: (...args: unknown[]) => unknown): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      return await handler(...args);
    } catch (error) {
      showOperationError(error, logger);
      return undefined;
    }
  });
}
