import type { AccountStatus } from '../../core/accounts/AccountsModel';

/**
 * Tokens that `view/item/context` menus match with `viewItem =~ /\btoken\b/`. Built in one place so package.json
 * and the tree agree.
 */
export function providerContextValue(status: AccountStatus): string {
  const tokens = ['provider', `provider-${status.provider}`, status.state];
  if (status.location === 'environment') tokens.push('fromEnvironment');
  return tokens.join(' ');
}
