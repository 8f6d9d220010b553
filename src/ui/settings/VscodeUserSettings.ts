import * as vscode from 'vscode';
import type { UserSettingsSource } from '../../core/providers/endpoints';

/**
 * Reads only what the user set in their own settings (or the default). Host settings are application-scoped in the
 * manifest already; reading `globalValue` explicitly means even a mis-scoped setting cannot be steered by a
 * workspace's .vscode/settings.json.
 */
export class VscodeUserSettings implements UserSettingsSource {
  userValue(key: string): unknown {
    const inspected = vscode.workspace.getConfiguration().inspect(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  }
}
