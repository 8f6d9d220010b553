import type { AccountStatus, AccountSummary } from '../../core/accounts/AccountsModel';
import type { Resource, ResourceAction } from '../../core/jobs/Resource';

/**
 * Tokens that `view/item/context` menus match with `viewItem =~ /\btoken\b/`. Built in one place so package.json
 * and the tree agree.
 */
export function providerContextValue(status: AccountStatus): string {
  const tokens = ['provider', `provider-${status.provider}`, status.state];
  if (status.location === 'environment') tokens.push('fromEnvironment');
  if (status.state === 'signedIn' && (status.accounts?.length ?? 0) > 1) tokens.push('severalAccounts');
  return tokens.join(' ');
}

/** An account row: never "provider" or "signedIn", so provider menus stay off it. */
export function accountContextValue(account: AccountSummary, inUse: boolean): string {
  return ['accountRow', inUse ? 'accountInUse' : 'accountNotInUse', account.location === 'environment' ? 'accountReadOnly' : 'accountStored'].join(' ');
}

const ACTION_TOKENS: Record<ResourceAction, string> = {
  cancel: 'cancelable',
  complete: 'completable',
  download: 'downloadable',
  log: 'hasLog',
  details: 'hasDetails',
};

/** Resource tokens never contain "provider": `\bprovider\b` in a `when` clause would match `provider-x` too. */
export function resourceContextValue(resource: Resource): string {
  const tokens = ['resource', `from-${resource.provider}`, `kind-${resource.kind}`, `status-${resource.status}`];
  for (const action of resource.actions) tokens.push(ACTION_TOKENS[action]);
  return tokens.join(' ');
}
