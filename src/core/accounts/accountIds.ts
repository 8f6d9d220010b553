// The two account ids with a meaning of their own, apart from CredentialRepository: the model (loaded with the first
// paint) needs them, and the repository brings zod, which the first paint must not load.

/**
 * The account whose secret sits under the key Sim Cloud used before it knew several accounts: a credential saved then
 * is this account, with nothing moved, so an update (or a downgrade) finds it where it was.
 */
export const DEFAULT_ACCOUNT_ID = 'default';
/** The read-only account an environment variable provides; never stored. */
export const ENVIRONMENT_ACCOUNT_ID = 'environment';
