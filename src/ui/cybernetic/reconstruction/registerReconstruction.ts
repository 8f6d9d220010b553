import * as vscode from 'vscode';
import { registerCommand } from '../../commands/registerCommand';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { SpecProblemsError } from '../../../core/spec/parseSpec';
import { ReconstructionCommands } from './ReconstructionCommands';
import { reconstructionSettingsFromSpec, resolveReconstructionInput } from './reconstructionSpecs';
import { showUploadFailure } from './showUploadFailure';

/** 3D reconstruction: Reconstruct 3D Asset from the Explorer's selection, and Cancel / Download Results / Show Log on its rows. */
export function registerReconstruction(feature: CyberneticFeatureContext): void {
  const commands = new ReconstructionCommands(feature);
  feature.context.subscriptions.push(registerCommand('simcloud.cybernetic.reconstruct', feature.log, async (uri, uris) => {
      try {
        await commands.reconstruct(uri, uris);
      } catch (error) {
        if (!showUploadFailure(error, feature.log, () => vscode.commands.executeCommand('simcloud.cybernetic.reconstruct', uri, uris))) throw error;
      }
    }));
  feature.specs.register('cybernetic.reconstruction', async ({ spec, specUri, folder, confirmed, origin }) => {
    const resolved = await resolveReconstructionInput(spec, specUri.fsPath, folder.uri.fsPath);
    if ('problems' in resolved) throw new SpecProblemsError(resolved.problems);
    const id = await commands.submitSpec(resolved.input, reconstructionSettingsFromSpec(spec), { confirmed, origin });
    return id === undefined ? undefined : { provider: 'cybernetic', id };
  });
  feature.registerOperations('reconstruction', {
    cancel: (resource, options) => commands.cancel(resource, options),
    download: (resource) => commands.download(resource),
    showLog: (resource) => commands.showLog(resource),
  });
}
