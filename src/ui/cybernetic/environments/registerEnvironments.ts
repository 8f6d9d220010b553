import * as vscode from 'vscode';
import { registerCommand } from '../../commands/registerCommand';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { showUploadFailure } from '../reconstruction/showUploadFailure';
import { EnvironmentCommands } from './EnvironmentCommands';

/** Environments: create, list (as rows of the Jobs view with their versions), and upload a USD bundle as a version. */
export function registerEnvironments(feature: CyberneticFeatureContext): void {
  const commands = new EnvironmentCommands(feature);
  feature.context.subscriptions.push(
    registerCommand('simcloud.cybernetic.createEnvironment', feature.log, () => commands.create()),
    registerCommand('simcloud.cybernetic.showEnvironments', feature.log, () => commands.show()),
    registerCommand('simcloud.cybernetic.uploadEnvironmentVersion', feature.log, async (arg) => {
      try {
        await commands.uploadVersion(arg);
      } catch (error) {
        if (!showUploadFailure(error, feature.log, () => vscode.commands.executeCommand('simcloud.cybernetic.uploadEnvironmentVersion', arg))) throw error;
      }
    }),
  );
}
