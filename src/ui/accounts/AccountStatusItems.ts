import * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import { accountLabel } from './accountLabel';

/**
 * The account in use, in the status bar, for each provider that has more than one (with one, there is nothing to
 * switch and the item would only take room). Clicking it offers the switch.
 */
export class AccountStatusItems implements vscode.Disposable {
  private readonly items = new Map<ProviderId, vscode.StatusBarItem>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly accounts: AccountsModel) {
    this.subscription = accounts.onDidChangeAccounts((providers) => providers.forEach((provider) => this.update(provider)));
    void accounts.ready().then(() => PROVIDER_IDS.forEach((provider) => this.update(provider)));
  }

  private update(provider: ProviderId): void {
    const status = this.accounts.status(provider);
    const inUse = status.accounts?.find((account) => account.id === status.active);
    if (status.state !== 'signedIn' || (status.accounts?.length ?? 0) < 2 || !inUse) {
      this.items.get(provider)?.dispose();
      this.items.delete(provider);
      return;
    }
    let item = this.items.get(provider);
    if (!item) {
      item = vscode.window.createStatusBarItem(`simcloud.account.${provider}`, vscode.StatusBarAlignment.Left, 48);
      item.name = vscode.l10n.t('{0} Account', PROVIDERS[provider].displayName);
      this.items.set(provider, item);
    }
    const label = accountLabel(provider, inUse);
    // A name is the user's text: "$(…)" in it must not draw an icon.
    item.text = `$(account) ${PROVIDERS[provider].displayName}: ${label.replace(/\$\(/g, '\\$(')}`;
    item.tooltip = vscode.l10n.t('{0} account in use: {1}. Click to switch to another of your {2} accounts.', PROVIDERS[provider].displayName, label, String(status.accounts?.length ?? 0));
    item.accessibilityInformation = { label: vscode.l10n.t('{0} account in use: {1}. Click to switch.', PROVIDERS[provider].displayName, label) };
    item.command = { command: 'simcloud.account.switch', title: vscode.l10n.t('Switch Account'), arguments: [provider] };
    item.show();
  }

  dispose(): void {
    this.subscription.dispose();
    for (const item of this.items.values()) item.dispose();
    this.items.clear();
  }
}
