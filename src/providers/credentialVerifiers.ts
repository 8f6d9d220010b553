import type { CredentialVerifier } from '../core/accounts/CredentialVerifier';
import type { ProviderId } from '../core/providers/providerCatalog';
import type { ProviderClientFactory } from './ProviderClientFactory';
import { SimulacrumApi } from './simulacrum/SimulacrumApi';

/**
 * The cheapest authenticated call per provider, used to check a credential before it is saved. Cybernetic Physics
 * (GET /v1/me) and Simulix join when their APIs are built.
 */
export function createCredentialVerifiers(clients: ProviderClientFactory): Partial<Record<ProviderId, CredentialVerifier>> {
  return {
    simulacrum: async (endpoints, credential, signal) => {
      await new SimulacrumApi(clients.forCredential('simulacrum', endpoints, credential)).getBalance(signal);
    },
    simulacra: async (endpoints, credential, signal) => {
      // Minting a token proves the client id, secret and audience; the API itself is not called.
      await clients.credentialSource('simulacra', endpoints, credential).authorization(signal);
    },
  };
}
