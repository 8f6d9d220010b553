import { registerCommand } from '../../commands/registerCommand';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { ApiKeyCommands } from './ApiKeyCommands';

/** Cybernetic Physics API keys: Manage (list, revoke, create), Create and Revoke. */
export function registerApiKeys(feature: CyberneticFeatureContext): void {
  const commands = new ApiKeyCommands(feature);
  feature.context.subscriptions.push(
    registerCommand('simcloud.cybernetic.manageApiKeys', feature.log, () => commands.manage()),
    registerCommand('simcloud.cybernetic.createApiKey', feature.log, () => commands.create()),
    registerCommand('simcloud.cybernetic.revokeApiKey', feature.log, () => commands.revoke()),
  );
}
