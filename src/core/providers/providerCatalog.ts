/** The four clouds Sim Cloud talks to, and what the neutral core needs to know about each before any API call. */
export const PROVIDER_IDS = ['simulacrum', 'simulacra', 'cybernetic', 'simulix'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

export type CredentialKind = 'apiKey' | 'clientCredentials';

export interface ProviderDescriptor {
  readonly id: ProviderId;
  readonly displayName: string;
  /** Production host from the provider's API reference (../shared/api). */
  readonly defaultBaseUrl: string;
  readonly credentialKind: CredentialKind;
  /** Environment variables read when SecretStorage holds nothing, named as each provider's docs name them. */
  readonly env: Readonly<Record<string, string>>;
  /** What a key looks like, shown as a hint in the sign-in box; never used to reject a key. */
  readonly keyHint?: string;
  /** The documented request budget per credential (Simulacrum: 60 requests/minute per API key). */
  readonly defaultRequestsPerMinute: number;
}

export const PROVIDERS: Readonly<Record<ProviderId, ProviderDescriptor>> = {
  simulacrum: {
    id: 'simulacrum',
    displayName: 'Simulacrum Labs',
    defaultBaseUrl: 'https://app.simulacrumlabs.com',
    credentialKind: 'apiKey',
    env: { apiKey: 'SIMULACRUM_API_KEY' },
    keyHint: 'sim_live_…',
    defaultRequestsPerMinute: 60,
  },
  simulacra: {
    id: 'simulacra',
    displayName: 'Simulacra',
    defaultBaseUrl: 'https://api.simulacra-data.com',
    credentialKind: 'clientCredentials',
    env: {
      clientId: 'SIMIO_CLIENT_ID',
      clientSecret: 'SIMIO_CLIENT_SECRET',
      auth0Domain: 'SIMIO_AUTH0_DOMAIN',
      audience: 'SIMIO_AUTH0_AUDIENCE',
      apiBase: 'SIMIO_API_BASE',
    },
    defaultRequestsPerMinute: 60,
  },
  cybernetic: {
    id: 'cybernetic',
    displayName: 'Cybernetic Physics',
    defaultBaseUrl: 'https://api.cyberneticphysics.com',
    credentialKind: 'apiKey',
    env: { apiKey: 'CYBERNETIC_API_KEY' },
    keyHint: 'cp_live_…',
    defaultRequestsPerMinute: 60,
  },
  simulix: {
    id: 'simulix',
    displayName: 'Simulix',
    defaultBaseUrl: 'https://api.simulix.com',
    credentialKind: 'apiKey',
    env: { apiKey: 'SIMULIX_API_KEY' },
    defaultRequestsPerMinute: 60,
  },
};

/** The Auth0 tenant and audience from the Simulacra headless guide's shell quickstart. */
export const SIMULACRA_DEFAULT_AUTH0_DOMAIN = 'simulacra-data.us.auth0.com';
export const SIMULACRA_DEFAULT_AUDIENCE = 'https://api.simulacra-data.com';

export function isProviderId(value: unknown): value is ProviderId {
  return typeof value === 'string' && (PROVIDER_IDS as readonly string[]).includes(value);
}
