import * as vscode from 'vscode';
import type { ProviderId } from '../core/providers/providerCatalog';

/** The walkthrough steps that complete on something Sim Cloud does (the others complete on sign-in, settings or views). */
export type WalkthroughStep = 'submittedJob' | 'openedJob' | 'downloadedResults';

/** Every context key Sim Cloud sets, one method each, so `when` clauses in package.json have one place to match. */
export class ContextKeys {
  setAnySignedIn(value: boolean): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'simcloud.anySignedIn', value);
  }

  setSignedIn(provider: ProviderId, value: boolean): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', `simcloud.signedIn.${provider}`, value);
  }

  /**
   * A "Get started" walkthrough step happened (package.json `walkthroughs`: its completionEvents wait for
   * `onContext:simcloud.walkthrough.<step>`). VS Code remembers a completed step, so setting it once is enough.
   */
  setWalkthroughStepDone(step: WalkthroughStep): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', `simcloud.walkthrough.${step}`, true);
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
