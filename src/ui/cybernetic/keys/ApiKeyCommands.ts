import * as vscode from 'vscode';
import { CYBERNETIC_SCOPES, type CyberneticApiKey, type CyberneticScope } from '../../../providers/cybernetic/CyberneticApi';
import { askInput } from '../../accounts/askInput';
import { showOperationError } from '../../errors/showOperationError';
import type { CyberneticConnection } from '../CyberneticSession';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { sendOnce } from '../sendOnce';
import { keyNameProblem, keyRow, MAX_KEY_NAME_LENGTH, type KeyNameProblem, type KeyRow } from './apiKeyText';

interface KeyItem extends vscode.QuickPickItem {
  readonly key?: CyberneticApiKey;
  readonly inUse?: boolean;
  readonly create?: boolean;
}

/**
 * Cybernetic Physics API keys: list (with a revoke button per key), create with scopes (the full key is shown once, in
 * a modal, and may become Sim Cloud's own key) and revoke (confirmed; a special warning for the key Sim Cloud uses).
 * The full key goes to the clipboard or SecretStorage only: never to the log, settings, global state or other text.
 */
export class ApiKeyCommands {
  constructor(private readonly feature: CyberneticFeatureContext) {}

  async manage(): Promise<void> {
    const connection = await this.feature.session.connection();
    const pick = vscode.window.createQuickPick<KeyItem>();
    pick.title = vscode.l10n.t('Cybernetic Physics API Keys');
    pick.placeholder = vscode.l10n.t('Loading keys…');
    pick.matchOnDescription = true;
    pick.matchOnDetail = true;
    pick.busy = true;
    pick.show();
    const revokeButton: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('trash'), tooltip: vscode.l10n.t('Revoke API Key…') };
    const done = new Promise<{ action: 'create' } | { action: 'revoke'; key: CyberneticApiKey; inUse: boolean } | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0];
        if (item?.create) resolve({ action: 'create' });
        else if (item?.key) resolve({ action: 'revoke', key: item.key, inUse: item.inUse ?? false });
      });
      pick.onDidTriggerItemButton((event) => {
        if (event.item.key) resolve({ action: 'revoke', key: event.item.key, inUse: event.item.inUse ?? false });
      });
      pick.onDidHide(() => resolve(undefined));
    });
    try {
      const [keys, storedKey] = await Promise.all([connection.api.listApiKeys(connection.signal), this.storedKey()]);
      const rows: KeyItem[] = keys.map((key) => {
        const row = keyRow(key, storedKey);
        return { ...keyItemText(row), key, inUse: row.inUse, buttons: [revokeButton], iconPath: new vscode.ThemeIcon(row.inUse ? 'pass-filled' : 'key') };
      });
      pick.items = [
        { label: vscode.l10n.t('Create API Key…'), iconPath: new vscode.ThemeIcon('add'), create: true, alwaysShow: true },
        { label: '', kind: vscode.QuickPickItemKind.Separator },
        ...rows,
      ];
      pick.placeholder = rows.length === 0 ? vscode.l10n.t('No API keys in this workspace yet') : vscode.l10n.t('{0} keys. Pick one to revoke it, or create a new one', String(rows.length));
    } catch (error) {
      pick.hide();
      throw error;
    } finally {
      pick.busy = false;
    }
    const choice = await done;
    pick.dispose();
    if (choice?.action === 'create') await this.create();
    else if (choice?.action === 'revoke') {
      // Back to the list afterwards, so several keys can be cleaned up in a row.
      if (await this.confirmAndRevoke(connection, choice.key, choice.inUse)) await this.manage();
    }
  }

  async create(): Promise<void> {
    const connection = await this.feature.session.connection();
    const title = vscode.l10n.t('Create Cybernetic Physics API Key');
    const name = await askInput({
      title: `${title} (1/2)`,
      prompt: vscode.l10n.t('A name that says where the key is used (an MCP client, a CI job…).'),
      placeholder: 'claude-code-mcp',
      validate: (value) => keyNameProblemText(keyNameProblem(value)),
    });
    if (name === undefined) return;
    const scopes = await this.askScopes(`${title} (2/2)`);
    if (!scopes) return;
    // Sent once and not aborted by a sign-out half-way: a key created but never shown could never be shown again.
    const created = await sendOnce(
      this.feature.log,
      {
        title: vscode.l10n.t('Creating the API key {0}…', name),
        unknown: vscode.l10n.t('It is not known whether the API key "{0}" was created.', name),
        check: vscode.l10n.t('Its full key can never be shown again: check the list, revoke a "{0}" key if there is one, and create a new key.', name),
        actions: [{ title: vscode.l10n.t('Manage API Keys'), run: () => vscode.commands.executeCommand('simcloud.cybernetic.manageApiKeys') }],
      },
      (signal) => connection.api.createApiKey(name, scopes, signal),
    );
    if (!created) return;
    // Signed out or switched keys meanwhile: the key belongs to the account that was signed in when asked, and may
    // not work where Sim Cloud points now, so it is only offered for copying.
    const sameAccount = this.feature.session.isCurrent(connection);
    // From here on the key is a secret this window knows: whatever prints it by mistake prints REDACTED.
    this.feature.redactor.addSecret(created.key);
    this.feature.log.info(`Created Cybernetic Physics API key ${created.id} (${created.prefix ?? 'no prefix'}) with scopes ${(created.scopes ?? scopes).join(', ')}`);
    const copy = vscode.l10n.t('Copy Key');
    const use = vscode.l10n.t("Use as Sim Cloud's Cybernetic Physics Key");
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('API key "{0}" created', created.name ?? name),
      {
        modal: true,
        detail: vscode.l10n.t('{0}\n\nThis is the only time the full key is shown. Copy it now, or let Sim Cloud keep it in VS Code secret storage. Scopes: {1}.', created.key, (created.scopes ?? scopes).join(', ')),
      },
      ...(sameAccount ? [copy, use] : [copy]),
    );
    if (choice === copy) {
      await vscode.env.clipboard.writeText(created.key);
      void vscode.window.showInformationMessage(vscode.l10n.t('The key "{0}" is on the clipboard.', created.name ?? name));
    } else if (choice === use) {
      const endpoints = this.feature.accounts.endpoints('cybernetic');
      await this.feature.accounts.signIn('cybernetic', endpoints, { kind: 'apiKey', apiKey: created.key });
      this.feature.log.info(`Sim Cloud now signs in to Cybernetic Physics with the key ${created.id} (${created.prefix ?? 'no prefix'})`);
      void vscode.window.showInformationMessage(vscode.l10n.t('Sim Cloud now uses the key "{0}" for Cybernetic Physics.', created.name ?? name));
    }
  }

  /** Revoke from the palette (pick a key first) or with a key passed by another command. */
  async revoke(): Promise<void> {
    const connection = await this.feature.session.connection();
    const [keys, storedKey] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing API keys…') }, () =>
      Promise.all([connection.api.listApiKeys(connection.signal), this.storedKey()]),
    );
    if (keys.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There are no API keys to revoke in this Cybernetic Physics workspace.'));
      return;
    }
    const items: KeyItem[] = keys.map((key) => {
      const row = keyRow(key, storedKey);
      return { ...keyItemText(row), key, inUse: row.inUse, iconPath: new vscode.ThemeIcon(row.inUse ? 'pass-filled' : 'key') };
    });
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Revoke API Key'), placeHolder: vscode.l10n.t('The key to revoke'), matchOnDescription: true, matchOnDetail: true });
    if (!picked?.key) return;
    await this.confirmAndRevoke(connection, picked.key, picked.inUse ?? false);
  }

  /** True when the key was revoked. */
  private async confirmAndRevoke(connection: CyberneticConnection, key: CyberneticApiKey, inUse: boolean): Promise<boolean> {
    const name = key.name?.trim() || key.id;
    const revoke = vscode.l10n.t('Revoke');
    const detail = inUse
      ? vscode.l10n.t('Sim Cloud itself signs in to Cybernetic Physics with this key ({0}…). Once it is revoked Sim Cloud is signed out of Cybernetic Physics, and every other program using the key stops working at once.', key.prefix ?? key.id)
      : vscode.l10n.t('Programs using this key ({0}…) stop working at once. This cannot be undone.', key.prefix ?? key.id);
    const message = inUse ? vscode.l10n.t('Revoke "{0}", the key Sim Cloud is using?', name) : vscode.l10n.t('Revoke the API key "{0}"?', name);
    const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, revoke);
    if (choice !== revoke) return false;
    try {
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Revoking {0}…', name) }, () => connection.api.revokeApiKey(key.id, connection.signal));
    } catch (error) {
      showOperationError(error, this.feature.log, vscode.l10n.t('Could not revoke the API key "{0}".', name));
      return false;
    }
    this.feature.log.info(`Revoked Cybernetic Physics API key ${key.id} (${key.prefix ?? 'no prefix'})`);
    if (inUse) {
      // The stored key is dead now: keeping it would only turn every poll into a 401.
      await this.feature.accounts.signOut('cybernetic');
      void vscode.window
        .showWarningMessage(vscode.l10n.t('Revoked "{0}". Sim Cloud was using it and is now signed out of Cybernetic Physics.', name), vscode.l10n.t('Sign In'))
        .then((again) => again && vscode.commands.executeCommand('simcloud.cybernetic.signIn'));
    } else {
      void vscode.window.showInformationMessage(vscode.l10n.t('Revoked the API key "{0}".', name));
    }
    return true;
  }

  private async askScopes(title: string): Promise<CyberneticScope[] | undefined> {
    const descriptions = scopeDescriptions();
    const items = CYBERNETIC_SCOPES.map((scope) => ({ label: scope, detail: descriptions[scope], scope }));
    const pick = vscode.window.createQuickPick<(typeof items)[number]>();
    pick.title = title;
    pick.placeholder = vscode.l10n.t('Scopes this key grants (at least one)');
    pick.canSelectMany = true;
    pick.matchOnDetail = true;
    pick.ignoreFocusOut = true;
    pick.items = items;
    return new Promise((resolve) => {
      pick.onDidAccept(() => {
        if (pick.selectedItems.length === 0) {
          pick.placeholder = vscode.l10n.t('Pick at least one scope (Space toggles), then press Enter');
          return;
        }
        const chosen = pick.selectedItems.map((item) => item.scope);
        resolve(chosen);
        pick.hide();
      });
      pick.onDidHide(() => {
        resolve(undefined);
        pick.dispose();
      });
      pick.show();
    });
  }

  /** The key Sim Cloud signs in with (to mark it in the list), never shown or logged. */
  private async storedKey(): Promise<string | undefined> {
    const loaded = await this.feature.accounts.credential('cybernetic').catch(() => undefined);
    return loaded?.credential.kind === 'apiKey' ? loaded.credential.apiKey : undefined;
  }
}

/**
 * What each scope allows, following the reference's scope names; the routes behind them are the sandbox's documented
 * choice (docs/sandbox.md). A Record, so a scope added to the API without a description fails to compile.
 */
function scopeDescriptions(): Record<CyberneticScope, string> {
  return {
    'sessions:read': vscode.l10n.t('List Isaac Sim sessions and read their status and cost'),
    'sessions:write': vscode.l10n.t('Start, stop and publish Isaac Sim sessions (they cost money)'),
    'isaac:read': vscode.l10n.t('List environments and Eureka runs; read run logs and artifacts'),
    'isaac:write': vscode.l10n.t('Create environments and upload environment versions'),
    'isaac:execute': vscode.l10n.t('Start and cancel Eureka runs (they cost money)'),
    'jobs:read': vscode.l10n.t('List 3D reconstruction jobs and read their results'),
    'jobs:write': vscode.l10n.t('Upload inputs and start or cancel 3D reconstruction jobs (they cost money)'),
  };
}

function keyNameProblemText(problem: KeyNameProblem | undefined): string | undefined {
  switch (problem?.problem) {
    case undefined:
      return undefined;
    case 'empty':
      return vscode.l10n.t('Give the key a name that says where it is used, for example "claude-code-mcp".');
    case 'too-long':
      return vscode.l10n.t('At most {0} characters ({1} now).', MAX_KEY_NAME_LENGTH, problem.length);
    case 'control-characters':
      return vscode.l10n.t('The name cannot contain line breaks or control characters.');
  }
}

function keyItemText(row: KeyRow): Pick<vscode.QuickPickItem, 'label' | 'description' | 'detail'> {
  const scopes = row.scopes.length > 0 ? row.scopes.join(', ') : vscode.l10n.t('no scopes listed');
  const created = row.created ? vscode.l10n.t('created {0}', row.created) : undefined;
  const lastUsed = row.lastUsed ? vscode.l10n.t('last used {0}', row.lastUsed) : vscode.l10n.t('last use not reported');
  return {
    label: row.label,
    description: row.inUse ? vscode.l10n.t('{0} · used by Sim Cloud', row.prefix) : row.prefix,
    detail: [scopes, created, lastUsed].filter(Boolean).join(' · '),
  };
}
