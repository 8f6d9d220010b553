import { createHash } from 'node:crypto';
import type { CredentialSource } from '../core/http/CredentialSource';
import type { Redactor } from '../core/log/Redactor';
import type { ProviderId } from '../core/providers/providerCatalog';

/** A non-secret fingerprint, so limiter keys and logs can tell two keys apart without holding either. */
export function fingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 12);
}

/** A static bearer API key (Simulacrum Labs, Cybernetic Physics, Simulix), bound to the origin it was entered for. */
export function apiKeyCredential(provider: ProviderId, origin: string, apiKey: string, redactor: Redactor): CredentialSource {
  redactor.addSecret(apiKey);
  return {
    id: `${provider}:${origin}:${fingerprint(apiKey)}`,
    origin,
    authorization: async () => `Bearer ${apiKey}`,
  };
}
