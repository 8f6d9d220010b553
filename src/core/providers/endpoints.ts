import {
  PROVIDERS,
  SIMULACRA_DEFAULT_AUDIENCE,
  SIMULACRA_DEFAULT_AUTH0_DOMAIN,
  type ProviderId,
} from './providerCatalog';

/**
 * Settings as the user set them in their own (application-level) settings. Implementations must never return a
 * workspace value: a cloned repository's .vscode/settings.json must not be able to send credentials elsewhere.
 */
export interface UserSettingsSource {
  userValue(key: string): unknown;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export interface ProviderEndpoints {
  readonly baseUrl: string;
  /** The origin every credential of this provider is bound to. */
  readonly origin: string;
  readonly requestsPerMinute: number;
  /** Simulacra only: the OAuth2 token endpoint (Auth0 in production), a separate origin from the API. */
  readonly tokenUrl?: string;
  readonly audience?: string;
}

export class EndpointConfigurationError extends Error {
  constructor(
    readonly settingKey: string,
    message: string,
  ) {
    super(message);
    this.name = 'EndpointConfigurationError';
  }
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Plain http is allowed only on loopback (the sandbox): anywhere else a bearer token would cross the network in
 * clear text.
 */
export function parseServiceUrl(value: string, settingKey: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new EndpointConfigurationError(settingKey, `The setting ${settingKey} is not a valid URL. Fix it in your user settings or reset it to its default.`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || url.hostname.startsWith('127.');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new EndpointConfigurationError(settingKey, `The setting ${settingKey} must be an https:// URL (http:// is accepted only for localhost). Fix it in your user settings.`);
  }
  if (url.username || url.password) {
    throw new EndpointConfigurationError(settingKey, `The setting ${settingKey} must not contain a user name or password. Sign in with the Sim Cloud sign-in command instead.`);
  }
  return url;
}

function stringSetting(settings: UserSettingsSource, key: string): string | undefined {
  const value = settings.userValue(key);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function trimTrailingSlash(url: URL): string {
  return url.href.replace(/\/+$/, '');
}

function requestsPerMinute(provider: ProviderId, settings: UserSettingsSource): number {
  const value = settings.userValue(`simcloud.${provider}.requestsPerMinute`);
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : PROVIDERS[provider].defaultRequestsPerMinute;
}

/** Precedence for every value: the user's setting, then the provider's documented environment variable, then the production default. */
export function resolveEndpoints(provider: ProviderId, settings: UserSettingsSource, env: Environment): ProviderEndpoints {
  const descriptor = PROVIDERS[provider];
  const baseKey = `simcloud.${provider}.baseUrl`;
  const envBase = provider === 'simulacra' ? env[descriptor.env.apiBase] : undefined;
  const base = parseServiceUrl(stringSetting(settings, baseKey) ?? envBase ?? descriptor.defaultBaseUrl, baseKey);
  const endpoints: ProviderEndpoints = {
    baseUrl: trimTrailingSlash(base),
    origin: base.origin,
    requestsPerMinute: requestsPerMinute(provider, settings),
  };
  if (provider !== 'simulacra') return endpoints;

  const tokenKey = 'simcloud.simulacra.tokenUrl';
  const auth0Domain = env[descriptor.env.auth0Domain]?.trim() || SIMULACRA_DEFAULT_AUTH0_DOMAIN;
  const tokenUrl = parseServiceUrl(stringSetting(settings, tokenKey) ?? `https://${auth0Domain}/oauth/token`, tokenKey);
  const audience = stringSetting(settings, 'simcloud.simulacra.audience') ?? env[descriptor.env.audience]?.trim() ?? SIMULACRA_DEFAULT_AUDIENCE;
  return { ...endpoints, tokenUrl: tokenUrl.href, audience };
}
