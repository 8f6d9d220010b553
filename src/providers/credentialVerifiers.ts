import type { CredentialVerifier } from '../core/accounts/CredentialVerifier';
import type { ProviderId } from '../core/providers/providerCatalog';
import type { ProviderClientFactory } from './ProviderClientFactory';
import { ApiError } from '../core/http/ApiError';
import { SimulacrumApi } from './simulacrum/SimulacrumApi';
import { SimulixApi } from './simulix/SimulixApi';

/**
 * The cheapest authenticated call per provider, used to check a credential before it is saved. Cybernetic Physics
 * (GET /v1/me) joins when its API is wired.
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
    simulix: async (endpoints, credential, signal) => {
      try {
        // The reference has no "me" endpoint: one item of the list is the cheapest authenticated call.
        await new SimulixApi(clients.forCredential('simulix', endpoints, credential)).verifyKey(signal);
      } catch (error) {
        // 403 insufficient_scope comes after the key was recognised (a write-only key): the key is genuine, and the
        // missing simulations:read is named when the list is first read.
        if (ApiError.is(error, 'insufficient_scope')) return;
        throw error;
      }
    },
  };
}
