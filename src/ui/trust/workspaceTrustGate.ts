import * as vscode from 'vscode';
import type { Logger } from '../../core/log/Logger';
import { isUploadingCommand } from './uploadingCommands';

const MANAGE_TRUST_COMMAND = 'workbench.trust.manage';

/**
 * Refuses what would send workspace files while the workspace is in Restricted Mode, with a way to trust it; reads
 * `vscode.workspace.isTrusted` on every call, so granting trust enables the commands again without a reload.
 */
export class WorkspaceTrustGate {
  private waitingForTrust: vscode.Disposable | undefined;

  /** True when `commandId` may run now; otherwise says why, offers Manage Workspace Trust, and returns false. */
  allows(commandId: string, logger: Logger): boolean {
    if (!isUploadingCommand(commandId) || vscode.workspace.isTrusted) return true;
    logger.info(`${commandId}: refused, the workspace is not trusted (Restricted Mode uploads nothing)`);
    this.refuse(commandId, vscode.l10n.t('This command zips or uploads files from the workspace.'));
    return false;
  }

  /** The same refusal for a step inside a panel that would read a workspace file to send it (not a command). */
  allowsReading(what: string, logger: Logger): boolean {
    if (vscode.workspace.isTrusted) return true;
    logger.info(`${what}: refused, the workspace is not trusted (Restricted Mode uploads nothing)`);
    this.refuse(undefined, what);
    return false;
  }

  private refuse(commandId: string | undefined, what: string): void {
    const manage = vscode.l10n.t('Manage Workspace Trust');
    const message = vscode.l10n.t(
      '{0} Sim Cloud sends nothing from a workspace in Restricted Mode, so a folder you have not trusted cannot have its files uploaded. Trust this workspace if you know its authors, then try again.',
      what,
    );
    this.offerRunAfterGrant(commandId);
    void vscode.window.showWarningMessage(message, manage).then((choice) => {
      if (choice === manage) void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
    });
  }

  /** Once trust is granted (without a reload), says the refused command works now and offers to run it. */
  private offerRunAfterGrant(commandId: string | undefined): void {
    this.waitingForTrust?.dispose();
    this.waitingForTrust = vscode.workspace.onDidGrantWorkspaceTrust(() => {
      this.waitingForTrust?.dispose();
      this.waitingForTrust = undefined;
      const runNow = vscode.l10n.t('Run It Now');
      const buttons = commandId ? [runNow] : [];
      void vscode.window.showInformationMessage(vscode.l10n.t('This workspace is trusted now: Sim Cloud can upload from it.'), ...buttons).then((choice) => {
        if (commandId && choice === runNow) void vscode.commands.executeCommand(commandId);
      });
    });
  }

  dispose(): void {
    this.waitingForTrust?.dispose();
  }
}

/** The one gate the extension uses: registerCommand consults it before every command. */
export const workspaceTrust = new WorkspaceTrustGate();
