import * as vscode from 'vscode';
import type { AccountSummary } from '../../core/accounts/AccountsModel';
import { PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';

/** An account's name as the user sees it: the one they gave, or what the migrated and the environment's accounts are called. */
export function accountLabel(provider: ProviderId, account: AccountSummary): string {
  if (account.name) return account.name;
  if (account.location === 'environment') return vscode.l10n.t('Environment ({0})', environmentVariableNames(provider).join(', '));
  return vscode.l10n.t('Default');
}

/** The variables that hold the provider's credential (not the ones that only point at hosts). */
export function environmentVariableNames(provider: ProviderId): string[] {
  return Object.values(PROVIDERS[provider].env).filter((name) => name.endsWith('_KEY') || name.endsWith('_ID') || name.endsWith('_SECRET'));
}
