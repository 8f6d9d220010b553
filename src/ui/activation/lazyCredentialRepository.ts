// CredentialRepository validates stored secrets with zod, and evaluating zod alone costs more than the whole
// activation budget on this kind of machine. AccountsModel only calls it asynchronously, so the root hands it this
// stand-in, which loads the real repository (and zod) on the first call, after activate() has returned. It comes
// from src/features.ts, the file that holds zod anyway: the root imports nothing else lazily, so no module is
// bundled into both dist files (scripts/splitBundle.cjs).
import type * as vscode from 'vscode';
import type { CredentialStore } from '../../core/accounts/AccountsModel';
import type { AccountIndex, CredentialRepository, LoadedCredential, StoredCredential } from '../../core/accounts/CredentialRepository';
import type { Environment } from '../../core/providers/endpoints';
import type { ProviderId } from '../../core/providers/providerCatalog';

export function lazyCredentialRepository(secrets: vscode.SecretStorage, env: Environment): CredentialStore {
  let real: Promise<CredentialRepository> | undefined;
  const repository = () => (real ??= import('../../features.js').then((features) => new features.CredentialRepository(secrets, env)));
  return {
    readIndex: async (provider: ProviderId, origin: string): Promise<AccountIndex> => (await repository()).readIndex(provider, origin),
    writeIndex: async (provider: ProviderId, origin: string, index: AccountIndex): Promise<void> => (await repository()).writeIndex(provider, origin, index),
    load: async (provider: ProviderId, origin: string, accountId?: string): Promise<LoadedCredential | undefined> => (await repository()).load(provider, origin, accountId),
    save: async (provider: ProviderId, origin: string, accountId: string, credential: StoredCredential): Promise<void> => (await repository()).save(provider, origin, accountId, credential),
    remove: async (provider: ProviderId, origin: string, accountId: string): Promise<void> => (await repository()).remove(provider, origin, accountId),
  };
}
