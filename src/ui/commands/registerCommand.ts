import * as vscode from 'vscode';
import type { Logger } from '../../core/log/Logger';
import { ApiError } from '../../core/http/ApiError';
import { showOperationError } from '../errors/showOperationError';
import { lazyCommands, type CommandHandler } from '../activation/lazyCommandTable';
import { workspaceTrust } from '../trust/workspaceTrustGate';

/**
 * Every command goes through here so a failure is always logged and shown the same way, never swallowed, and an
 * upload is refused in an untrusted workspace (src/ui/trust). When the composition root has already registered a
 * proxy for `id` (registerLazyCommand), the handler is stored behind that proxy instead of being registered with VS
 * Code a second time.
 */
export function registerCommand(id: string, logger: Logger, handler: CommandHandler): vscode.Disposable {
  if (lazyCommands.hasProxy(id)) return new vscode.Disposable(lazyCommands.fill(id, handler));
  return vscode.commands.registerCommand(id, guarded(id, logger, handler));
}

/**
 * Registers `id` before its real handler exists: running it first waits for `load` (the features), then calls the
 * handler the features registered through registerCommand. Same error handling as every other command.
 */
export function registerLazyCommand(id: string, logger: Logger, load: () => Promise<void>): vscode.Disposable {
  const removeProxy = lazyCommands.addProxy(id);
  const registration = vscode.commands.registerCommand(
    id,
    guarded(id, logger, async (...args: unknown[]) => {
      await load();
      const handler = lazyCommands.handlerFor(id);
      if (!handler) throw new Error(`Sim Cloud has no handler for the command ${id}; this is a bug in the extension. Please report it with the Sim Cloud log.`);
      return handler(...args);
    }),
  );
  return new vscode.Disposable(() => {
    registration.dispose();
    removeProxy();
  });
}

function guarded(id: string, logger: Logger, handler: CommandHandler): CommandHandler {
  return async (...args: unknown[]) => {
    // Before the features load: a refused upload in Restricted Mode needs none of them.
    if (!workspaceTrust.allows(id, logger)) return undefined;
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
  };
}

export function isCancellation(error: unknown): boolean {
  return error instanceof vscode.CancellationError || (ApiError.is(error) && error.kind === 'aborted') || (error instanceof Error && error.name === 'AbortError');
}
