import * as vscode from 'vscode';
import type { AccountsModel, AccountStatus } from '../../core/accounts/AccountsModel';
import { PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import { providerContextValue } from './contextValue';

export interface ProviderNode {
  readonly type: 'provider';
  readonly provider: ProviderId;
}

export type JobsTreeNode = ProviderNode;

/**
 * The Jobs view: one node per provider. It draws from the models only and never calls the network; when nothing
 * is signed in it returns no children so the view's welcome content shows.
 */
export class JobsTreeDataProvider implements vscode.TreeDataProvider<JobsTreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<JobsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<ProviderId, ProviderNode>();
  private readonly subscription: { dispose(): void };
  /** Whether the last root listing was empty (welcome content showing): then only a full refresh can add nodes. */
  private showingWelcome = true;

  constructor(private readonly accounts: AccountsModel) {
    this.subscription = accounts.onDidChangeAccounts((providers) => {
      // Going from "nothing signed in" to "something" swaps welcome content for nodes: that needs a full refresh.
      if (providers.length === 1 && this.accounts.anySignedIn && !this.showingWelcome) this.changed.fire(this.node(providers[0]));
      else this.changed.fire(undefined);
    });
  }

  async getChildren(element?: JobsTreeNode): Promise<JobsTreeNode[]> {
    await this.accounts.ready();
    if (element) return [];
    this.showingWelcome = !this.accounts.anySignedIn;
    if (this.showingWelcome) return [];
    return this.accounts.all().map((status) => this.node(status.provider));
  }

  getTreeItem(node: JobsTreeNode): vscode.TreeItem {
    return providerTreeItem(this.accounts.status(node.provider));
  }

  getParent(): undefined {
    return undefined;
  }

  private node(provider: ProviderId): ProviderNode {
    let node = this.nodes.get(provider);
    if (!node) {
      node = { type: 'provider', provider };
      this.nodes.set(provider, node);
    }
    return node;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function providerTreeItem(status: AccountStatus): vscode.TreeItem {
  const descriptor = PROVIDERS[status.provider];
  const item = new vscode.TreeItem(descriptor.displayName, vscode.TreeItemCollapsibleState.None);
  item.id = `provider:${status.provider}`;
  item.contextValue = providerContextValue(status);
  const host = status.endpoints ? new URL(status.endpoints.baseUrl).host : undefined;
  switch (status.state) {
    case 'signedIn':
      item.description = status.location === 'environment' ? vscode.l10n.t('Signed in (environment)') : vscode.l10n.t('Signed in');
      item.iconPath = new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
      item.tooltip = new vscode.MarkdownString(
        status.location === 'environment'
          ? vscode.l10n.t('**{0}** — signed in to `{1}` with a key from an environment variable.', descriptor.displayName, host ?? '')
          : vscode.l10n.t('**{0}** — signed in to `{1}`. The key is in VS Code secret storage.', descriptor.displayName, host ?? ''),
      );
      break;
    case 'signedOut':
      item.description = vscode.l10n.t('Not signed in');
      item.iconPath = new vscode.ThemeIcon('circle-large-outline');
      item.tooltip = vscode.l10n.t('{0} — not signed in to {1}. Use the sign-in button to add a key.', descriptor.displayName, host ?? '');
      item.command = { command: 'simcloud.account.signIn', title: vscode.l10n.t('Sign In'), arguments: [{ type: 'provider', provider: status.provider }] };
      break;
    case 'misconfigured':
      item.description = vscode.l10n.t('Check settings');
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.tooltip = status.problem;
      item.command = { command: 'simcloud.openSettings', title: vscode.l10n.t('Open Settings') };
      break;
  }
  return item;
}
