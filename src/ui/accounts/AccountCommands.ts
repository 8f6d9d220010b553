import * as vscode from 'vscode';
import { explainSecretMistake } from '../../providers/simulacra/secretMistake';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { StoredCredential } from '../../core/accounts/CredentialRepository';
import type { CredentialVerifier } from '../../core/accounts/CredentialVerifier';
import type { ProviderEndpoints } from '../../core/providers/endpoints';
import { PROVIDERS, isProviderId, type ProviderId } from '../../core/providers/providerCatalog';
import type { Logger } from '../../core/log/Logger';
import { ApiError } from '../../core/http/ApiError';
import { showOperationError } from '../errors/showOperationError';
import { askInput } from './askInput';

/** Sign-in and sign-out: prompt, verify with the provider, store in SecretStorage via the AccountsModel. */
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

  async signIn(provider: ProviderId): Promise<void> {
    const descriptor = PROVIDERS[provider];
    const endpoints = this.accounts.endpoints(provider);
    const host = new URL(endpoints.baseUrl).host;
    const credential = descriptor.credentialKind === 'apiKey' ? await this.askApiKey(provider, host) : await this.askClientCredentials(provider, host);
    if (!credential) return;
    if (!(await this.verify(provider, endpoints, credential))) return;
    await this.accounts.signIn(provider, endpoints, credential);
    this.logger.info(`Signed in to ${descriptor.displayName} at ${endpoints.origin}`);
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed in to {0} ({1}).', descriptor.displayName, host));
  }

  async signOut(provider: ProviderId): Promise<void> {
    const descriptor = PROVIDERS[provider];
    const remaining = await this.accounts.signOut(provider);
    this.logger.info(`Signed out of ${descriptor.displayName}`);
    if (remaining.state === 'signedIn' && remaining.location === 'environment') {
      const names = Object.values(descriptor.env).filter((name) => name.endsWith('_KEY') || name.endsWith('_ID') || name.endsWith('_SECRET'));
      void vscode.window.showWarningMessage(
        vscode.l10n.t('Removed the stored {0} key, but a key from the environment ({1}) is still in use. Unset it and restart VS Code to sign out completely.', descriptor.displayName, names.join(', ')),
      );
      return;
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('Signed out of {0}.', descriptor.displayName));
  }

  private async askApiKey(provider: ProviderId, host: string): Promise<StoredCredential | undefined> {
    const descriptor = PROVIDERS[provider];
    const apiKey = await askInput({
      title: vscode.l10n.t('Sign In to {0}', descriptor.displayName),
      prompt: vscode.l10n.t('Paste your {0} API key for {1}. It is kept in VS Code secret storage.', descriptor.displayName, host),
      placeholder: descriptor.keyHint,
      password: true,
      validate: validateSecret,
    });
    return apiKey === undefined ? undefined : { kind: 'apiKey', apiKey };
  }

  private async askClientCredentials(provider: ProviderId, host: string): Promise<StoredCredential | undefined> {
    const descriptor = PROVIDERS[provider];
    const title = vscode.l10n.t('Sign In to {0}', descriptor.displayName);
    const clientId = await askInput({
      title,
      step: 1,
      totalSteps: 2,
      prompt: vscode.l10n.t('Client ID of your {0} machine-to-machine credentials for {1}.', descriptor.displayName, host),
      validate: validateSecret,
    });
    if (clientId === undefined) return undefined;
    const clientSecret = await askInput({
      title,
      step: 2,
      totalSteps: 2,
      prompt: vscode.l10n.t('Client secret for {0}. It is kept in VS Code secret storage.', clientId),
      password: true,
      // The guide's most common mistake: pasting the access token (a JWT) where the secret goes.
      validate: (value) => validateSecret(value) ?? explainSecretMistake(value),
    });
    if (clientSecret === undefined) return undefined;
    return { kind: 'clientCredentials', clientId, clientSecret };
  }

  /** True when the credential may be saved: accepted by the provider, or the user chose to save it unchecked. */
  private async verify(provider: ProviderId, endpoints: ProviderEndpoints, credential: StoredCredential): Promise<boolean> {
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
        this.showRejected(provider, error);
        return false;
      }
      showOperationError(error, this.logger, vscode.l10n.t('Could not check your {0} credentials.', descriptor.displayName), [
        { title: vscode.l10n.t('Try Again'), run: () => this.signIn(provider) },
      ]);
      return false;
    }
  }
  /** A rejected credential is the user's to fix: say which one, how to find the request, and offer a retry. */
  private showRejected(provider: ProviderId, error: ApiError): void {
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
      if (choice === tryAgain) void this.signIn(provider);
      if (choice === showLog) void vscode.commands.executeCommand('simcloud.showLog');
    });
  }
}

function validateSecret(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return vscode.l10n.t('Paste a value, or press Escape to cancel.');
  if (/\s/.test(trimmed)) return vscode.l10n.t('This contains spaces or line breaks: copy the value again, it is probably incomplete.');
  return undefined;
}
