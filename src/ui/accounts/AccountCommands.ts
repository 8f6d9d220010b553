import * as vscode from 'vscode';
import { explainSecretMistake } from '../../providers/simulacra/secretMistake';
import type { AccountsModel, AccountStatus, AccountSummary } from '../../core/accounts/AccountsModel';
import type { StoredCredential } from '../../core/accounts/CredentialRepository';
import type { CredentialVerifier } from '../../core/accounts/CredentialVerifier';
import type { ProviderEndpoints } from '../../core/providers/endpoints';
import { PROVIDER_IDS, PROVIDERS, isProviderId, type ProviderId } from '../../core/providers/providerCatalog';
import type { Logger } from '../../core/log/Logger';
import { ApiError } from '../../core/http/ApiError';
import { showOperationError } from '../errors/showOperationError';
import { askInput } from './askInput';
import { accountLabel, environmentVariableNames } from './accountLabel';

/**
 * Sign-in and sign-out, and the accounts of a provider (add, switch, rename, remove): prompt, verify with the
 * provider, store in SecretStorage via the AccountsModel. Connections follow the model's change events.
 */
export class AccountCommands {
  constructor(
    private readonly accounts: AccountsModel,
    private readonly verifiers: Partial<Record<ProviderId, CredentialVerifier>>,
    private readonly logger: Logger,
  ) {}

  /** Tree-node commands pass the node; palette commands pass the provider id. */
  static providerFrom(arg: unknown): ProviderId | undefined {
    if (isProviderId(arg)) return arg;
    if (typeof arg === 'object' && arg !== null && 'provider' in arg && isProviderId((arg as { provider: unknown }).provider)) {
      return (arg as { provider: ProviderId }).provider;
    }
    return undefined;
  }

  /** An account row passes itself: the account it names. */
  static accountFrom(arg: unknown): string | undefined {
    if (typeof arg === 'object' && arg !== null && 'account' in arg && typeof (arg as { account: unknown }).account === 'string') return (arg as { account: string }).account;
    return undefined;
  }

  async signIn(provider: ProviderId): Promise<void> {
    const descriptor = PROVIDERS[provider];
    const endpoints = this.accounts.endpoints(provider);
    const host = new URL(endpoints.baseUrl).host;
    const title = vscode.l10n.t('Sign In to {0}', descriptor.displayName);
    const credential = await this.askCredential(provider, host, title, 0);
    if (!credential) return;
    if (!(await this.verify(provider, endpoints, credential))) return;
    await this.accounts.signIn(provider, endpoints, credential);
    this.logger.info(`Signed in to ${descriptor.displayName} at ${endpoints.origin}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to {0} ({1}).', descriptor.displayName, host));
  }

  /** Signs the account in use out: only its secret goes; another account (or the environment's key) may take over. */
  async signOut(provider: ProviderId): Promise<void> {
    const descriptor = PROVIDERS[provider];
    const before = this.accounts.status(provider);
    const leaving = before.accounts?.find((account) => account.id === before.active);
    const remaining = await this.accounts.signOut(provider);
    this.logger.info(`Signed out of ${descriptor.displayName}`);
    this.reportRemaining(provider, remaining, leaving && leaving.location === 'secretStorage' && (before.accounts?.length ?? 0) > 1 ? accountLabel(provider, leaving) : undefined);
  }

  /** Add Account: a name, then the provider's usual sign-in steps; the new account is verified, stored and put in use. */
  async addAccount(provider: ProviderId): Promise<void> {
    const descriptor = PROVIDERS[provider];
    const endpoints = this.accounts.endpoints(provider);
    const host = new URL(endpoints.baseUrl).host;
    await this.accounts.ready();
    const title = vscode.l10n.t('Add {0} Account', descriptor.displayName);
    const existing = this.accounts.status(provider).accounts ?? [];
    const name = await askInput({
      title,
      step: 1,
      totalSteps: credentialSteps(provider) + 1,
      prompt: vscode.l10n.t('A name for this {0} account, such as personal, team or sandbox.', descriptor.displayName),
      validate: (value) => validateAccountName(provider, value, existing),
    });
    if (name === undefined) return;
    const credential = await this.askCredential(provider, host, title, 1);
    if (!credential) return;
    // Trying again adds an account again: it must never replace the key of the account in use.
    if (!(await this.verify(provider, endpoints, credential, () => this.addAccount(provider)))) return;
    await this.accounts.addAccount(provider, endpoints, name, credential);
    this.logger.info(`Added a ${descriptor.displayName} account at ${endpoints.origin}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Added the {0} account "{1}" and switched to it.', descriptor.displayName, name.trim()));
  }

  /**
   * Switch Account: an account row switches to itself; a provider row, the status bar and the palette ask which.
   * The session aborts the old account's work, its rows leave, and the new account's jobs load.
   */
  async switchAccount(arg: unknown): Promise<void> {
    const provider = AccountCommands.providerFrom(arg) ?? (await this.pickProvider(vscode.l10n.t('Switch Account'), (status) => (status.accounts?.length ?? 0) > 1, vscode.l10n.t('No provider has a second account to switch to. Use Add Account to keep several accounts for one provider.')));
    if (!provider) return;
    const status = this.accounts.status(provider);
    const chosen = AccountCommands.accountFrom(arg) ?? (await this.pickAccount(provider, vscode.l10n.t('Switch {0} Account', PROVIDERS[provider].displayName), { offerAdd: true }));
    if (chosen === ADD_ACCOUNT) return this.addAccount(provider);
    if (!chosen || chosen === status.active) return;
    await this.accounts.switchAccount(provider, chosen);
    const account = this.accounts.status(provider).accounts?.find((entry) => entry.id === chosen);
    this.logger.info(`Switched ${PROVIDERS[provider].displayName} to another account`);
    if (account) vscode.window.setStatusBarMessage(vscode.l10n.t('{0}: now using the account "{1}".', PROVIDERS[provider].displayName, accountLabel(provider, account)), 5000);
  }

  async renameAccount(arg: unknown): Promise<void> {
    const provider = AccountCommands.providerFrom(arg) ?? (await this.pickProvider(vscode.l10n.t('Rename Account'), (status) => (status.accounts?.length ?? 0) > 0, vscode.l10n.t('No provider has an account yet: sign in first.')));
    if (!provider) return;
    const chosen = AccountCommands.accountFrom(arg) ?? (await this.pickAccount(provider, vscode.l10n.t('Rename {0} Account', PROVIDERS[provider].displayName)));
    const accounts = this.accounts.status(provider).accounts ?? [];
    const account = accounts.find((entry) => entry.id === chosen);
    if (!account) return;
    if (account.location === 'environment') return this.explainEnvironmentAccount(provider);
    const name = await askInput({
      title: vscode.l10n.t('Rename {0} Account', PROVIDERS[provider].displayName),
      prompt: vscode.l10n.t('A new name for the account "{0}".', accountLabel(provider, account)),
      value: accountLabel(provider, account),
      validate: (value) => validateAccountName(provider, value, accounts.filter((entry) => entry.id !== account.id)),
    });
    if (name === undefined) return;
    await this.accounts.renameAccount(provider, account.id, name);
  }

  /** Removes one account after asking: only its secret is deleted. */
  async removeAccount(arg: unknown): Promise<void> {
    const provider = AccountCommands.providerFrom(arg) ?? (await this.pickProvider(vscode.l10n.t('Remove Account'), (status) => (status.accounts?.length ?? 0) > 0, vscode.l10n.t('No provider has an account yet: sign in first.')));
    if (!provider) return;
    const descriptor = PROVIDERS[provider];
    const chosen = AccountCommands.accountFrom(arg) ?? (await this.pickAccount(provider, vscode.l10n.t('Remove {0} Account', descriptor.displayName)));
    const account = this.accounts.status(provider).accounts?.find((entry) => entry.id === chosen);
    if (!account) return;
    if (account.location === 'environment') return this.explainEnvironmentAccount(provider);
    const label = accountLabel(provider, account);
    const remove = vscode.l10n.t('Remove');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Remove the {0} account "{1}"?', descriptor.displayName, label),
      { modal: true, detail: vscode.l10n.t('Its key is deleted from VS Code secret storage on this machine; the account itself and its jobs stay with {0}.', descriptor.displayName) },
      remove,
    );
    if (choice !== remove) return;
    const remaining = await this.accounts.removeAccount(provider, account.id);
    this.logger.info(`Removed a ${descriptor.displayName} account`);
    this.reportRemaining(provider, remaining, label);
  }

  /** After an account went: who is signed in now, and why a key from the environment is still in use. */
  private reportRemaining(provider: ProviderId, remaining: AccountStatus, removed: string | undefined): void {
    const descriptor = PROVIDERS[provider];
    const now = remaining.accounts?.find((account) => account.id === remaining.active);
    if (remaining.state === 'signedIn' && remaining.location === 'environment') {
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Removed the stored {0} key, but a key from the environment ({1}) is still in use. Unset it and restart VS Code to sign out completely.', descriptor.displayName, environmentVariableNames(provider).join(', ')),
      );
      return;
    }
    if (remaining.state === 'signedIn' && now && removed) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Removed the {0} account "{1}"; now using "{2}".', descriptor.displayName, removed, accountLabel(provider, now)));
      return;
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of {0}.', descriptor.displayName));
  }

  private explainEnvironmentAccount(provider: ProviderId): void {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('This {0} account comes from the environment ({1}) and is read-only: change or unset the variable and restart VS Code.', PROVIDERS[provider].displayName, environmentVariableNames(provider).join(', ')),
    );
  }

  private async pickProvider(title: string, eligible: (status: AccountStatus) => boolean, none: string): Promise<ProviderId | undefined> {
    await this.accounts.ready();
    const candidates = PROVIDER_IDS.filter((provider) => eligible(this.accounts.status(provider)));
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(none);
      return undefined;
    }
    if (candidates.length === 1) return candidates[0];
    const picked = await vscode.window.showQuickPick(
      candidates.map((provider) => ({ label: PROVIDERS[provider].displayName, provider })),
      { title, placeHolder: vscode.l10n.t('Choose a provider') },
    );
    return picked?.provider;
  }

  private async pickAccount(provider: ProviderId, title: string, options: { offerAdd?: boolean } = {}): Promise<string | undefined> {
    const status = this.accounts.status(provider);
    const items: (vscode.QuickPickItem & { id: string })[] = (status.accounts ?? []).map((account) => ({
      id: account.id,
      label: accountLabel(provider, account),
      description: account.id === status.active ? vscode.l10n.t('in use') : undefined,
      detail: account.location === 'environment' ? vscode.l10n.t('From an environment variable (read-only)') : undefined,
      iconPath: new vscode.ThemeIcon(account.id === status.active ? 'check' : 'account'),
    }));
    if (options.offerAdd) items.push({ id: ADD_ACCOUNT, label: vscode.l10n.t('Add Account…'), iconPath: new vscode.ThemeIcon('add') });
    const picked = await vscode.window.showQuickPick(items, { title, placeHolder: vscode.l10n.t('Choose an account') });
    return picked?.id;
  }

  /** The provider's sign-in steps, numbered after `stepsBefore` (Add Account asks for the name first). */
  private askCredential(provider: ProviderId, host: string, title: string, stepsBefore: number): Promise<StoredCredential | undefined> {
    return PROVIDERS[provider].credentialKind === 'apiKey' ? this.askApiKey(provider, host, title, stepsBefore) : this.askClientCredentials(provider, host, title, stepsBefore);
  }

  private async askApiKey(provider: ProviderId, host: string, title: string, stepsBefore: number): Promise<StoredCredential | undefined> {
    const descriptor = PROVIDERS[provider];
    const apiKey = await askInput({
      title,
      ...(stepsBefore > 0 ? { step: stepsBefore + 1, totalSteps: stepsBefore + 1 } : {}),
      prompt: vscode.l10n.t('Paste your {0} API key for {1}. It is kept in VS Code secret storage.', descriptor.displayName, host),
      placeholder: descriptor.keyHint,
      password: true,
      validate: validateSecret,
    });
    return apiKey === undefined ? undefined : { kind: 'apiKey', apiKey };
  }

  private async askClientCredentials(provider: ProviderId, host: string, title: string, stepsBefore: number): Promise<StoredCredential | undefined> {
    const descriptor = PROVIDERS[provider];
    const clientId = await askInput({
      title,
      step: stepsBefore + 1,
      totalSteps: stepsBefore + 2,
      prompt: vscode.l10n.t('Client ID of your {0} machine-to-machine credentials for {1}.', descriptor.displayName, host),
      validate: validateSecret,
    });
    if (clientId === undefined) return undefined;
    const clientSecret = await askInput({
      title,
      step: stepsBefore + 2,
      totalSteps: stepsBefore + 2,
      prompt: vscode.l10n.t('Client secret for {0}. It is kept in VS Code secret storage.', clientId),
      password: true,
      // The guide's most common mistake: pasting the access token (a JWT) where the secret goes.
      validate: (value) => validateSecret(value) ?? explainSecretMistake(value),
    });
    if (clientSecret === undefined) return undefined;
    return { kind: 'clientCredentials', clientId, clientSecret };
  }

  /** True when the credential may be saved: accepted by the provider, or the user chose to save it unchecked. */
  private async verify(provider: ProviderId, endpoints: ProviderEndpoints, credential: StoredCredential, retry: () => Promise<void> = () => this.signIn(provider)): Promise<boolean> {
    const verifier = this.verifiers[provider];
    if (!verifier) return true;
    const descriptor = PROVIDERS[provider];
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking your {0} credentials…', descriptor.displayName), cancellable: true },
        async (_progress, token) => {
          const abort = new AbortController();
          const listener = token.onCancellationRequested(() => abort.abort());
          try {
            await verifier(endpoints, credential, abort.signal);
          } finally {
            listener.dispose();
          }
        },
      );
      return true;
    } catch (error) {
      if (ApiError.is(error) && error.kind === 'aborted') return false;
      if (ApiError.is(error) && (error.kind === 'network' || error.kind === 'timeout' || error.kind === 'deadline')) {
        const save = vscode.l10n.t('Save Anyway');
        const choice = await vscode.window.showWarningMessage(
          vscode.l10n.t('Could not reach {0} to check the key: {1} Save it without checking?', descriptor.displayName, error.message),
          save,
        );
        return choice === save;
      }
      if (ApiError.is(error) && (error.status === 401 || error.status === 403)) {
        this.showRejected(provider, error, retry);
        return false;
      }
      showOperationError(error, this.logger, vscode.l10n.t('Could not check your {0} credentials.', descriptor.displayName), [
        { title: vscode.l10n.t('Try Again'), run: retry },
      ]);
      return false;
    }
  }
  /** A rejected credential is the user's to fix: say which one, how to find the request, and offer a retry. */
  private showRejected(provider: ProviderId, error: ApiError, retry: () => Promise<void>): void {
    const descriptor = PROVIDERS[provider];
    this.logger.warn(`${descriptor.displayName} rejected the credentials`, error);
    const what = descriptor.credentialKind === 'apiKey' ? vscode.l10n.t('this API key') : vscode.l10n.t('this client ID and secret');
    const requestId = error.requestId ? vscode.l10n.t(' Request ID: {0}.', error.requestId) : '';
    const message =
      vscode.l10n.t('{0} rejected {1} (HTTP {2}).', descriptor.displayName, what, String(error.status)) +
      requestId +
      ' ' +
      vscode.l10n.t('Copy it again from your {0} dashboard; it may be incomplete, revoked, or for another account.', descriptor.displayName);
    const tryAgain = vscode.l10n.t('Try Again');
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showErrorMessage(message, tryAgain, showLog).then((choice) => {
      if (choice === tryAgain) void retry();
      if (choice === showLog) void vscode.commands.executeCommand('simcloud.showLog');
    });
  }
}

const ADD_ACCOUNT = '\u0000add';

function credentialSteps(provider: ProviderId): number {
  return PROVIDERS[provider].credentialKind === 'apiKey' ? 1 : 2;
}

function validateAccountName(provider: ProviderId, value: string, existing: readonly AccountSummary[]): string | undefined {
  const name = value.trim();
  if (name === '') return vscode.l10n.t('Type a name, or press Escape to cancel.');
  if (name.length > 60) return vscode.l10n.t('Keep the name under 60 characters.');
  if (existing.some((account) => accountLabel(provider, account).toLocaleLowerCase() === name.toLocaleLowerCase())) return vscode.l10n.t('Another account is already called "{0}".', name);
  return undefined;
}

function validateSecret(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return vscode.l10n.t('Paste a value, or press Escape to cancel.');
  if (/\s/.test(trimmed)) return vscode.l10n.t('This contains spaces or line breaks: copy the value again, it is probably incomplete.');
  return undefined;
}
