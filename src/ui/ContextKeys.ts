import * as vscode from 'vscode';
import type { ProviderId } from '../core/providers/providerCatalog';

/** Every context key Sim Cloud sets, one method each, so `when` clauses in package.json have one place to match. */
export class ContextKeys {
  setAnySignedIn(value: boolean): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'simcloud.anySignedIn', value);
  }

  setSignedIn(provider: ProviderId, value: boolean): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', `simcloud.signedIn.${provider}`, value);
  }

  /** The Simulix webhook listener is running in this window (Stop Listening… shows). */
  setSimulixListening(value: boolean): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'simcloud.simulix.listening', value);
  }

  /** The Jobs view has a filter set (Clear Filter shows, the Filter button is filled). */
  setJobsFiltered(value: boolean): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'simcloud.jobs.filtered', value);
  }
}
