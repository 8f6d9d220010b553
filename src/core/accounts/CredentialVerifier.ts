import type { ProviderEndpoints } from '../providers/endpoints';
import type { StoredCredential } from './CredentialRepository';

/**
 * Checks a credential against its provider before it is saved, so a mistyped key fails at sign-in and not at the
 * first job. Throws the HTTP core's ApiError on rejection.
 */
export type CredentialVerifier = (endpoints: ProviderEndpoints, credential: StoredCredential, signal: AbortSignal) => Promise<void>;
