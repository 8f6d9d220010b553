// Well-known development credentials, like Azurite's published account key: fixed, documented in docs/sandbox.md,
// useless anywhere but on this loopback sandbox. They deliberately do not look like production keys (a repo guard
// rejects anything matching (sim_live|cp_live)_[A-Za-z0-9]{24,}), so a leaked log line is recognisably a sandbox one.

export const SIMULACRUM_DEV_API_KEY = 'sim_live_sandbox_dev_key';
/** More Simulacrum accounts, one per situation a client must handle (see docs/sandbox.md, Simulacrum Labs). */
export const SIMULACRUM_FREE_API_KEY = 'sim_live_sandbox_free_key';
export const SIMULACRUM_OTHER_TENANT_API_KEY = 'sim_live_sandbox_other_key';
export const SIMULACRUM_UNAPPROVED_API_KEY = 'sim_live_sandbox_unapproved_key';
export const SIMULACRUM_BROKE_API_KEY = 'sim_live_sandbox_broke_key';
export const CYBERNETIC_DEV_API_KEY = 'cp_live_sandbox_dev_key';
export const SIMULIX_DEV_API_KEY = 'sx_sandbox_dev_key';

export const SIMULACRA_DEV_CLIENT_ID = 'sandbox-client-id';
export const SIMULACRA_DEV_CLIENT_SECRET = 'sandbox-client-secret-dev-only';
/** The production audience, so the extension's default `simcloud.simulacra.audience` works against the sandbox. */
export const SIMULACRA_AUDIENCE = 'https://api.simulacra-data.com';
/** HS256 key of the sandbox's Auth0 stand-in; tests may verify tokens with it. Not a client credential. */
export const SIMULACRA_JWT_SECRET = 'sandbox-jwt-signing-secret-dev-only';
/** "~24 hours", as the Simulacra guide says of its tokens. */
export const SIMULACRA_TOKEN_TTL_SECONDS = 86_400;

/** Azurite's documented development account and key. */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** s3rver's built-in access key pair; the sandbox's S3 front verifies signatures made with it. */
export const S3_ACCESS_KEY_ID = 'S3RVER';
export const S3_SECRET_ACCESS_KEY = 'S3RVER';
export const S3_BUCKET = 'simcloud-sandbox';
export const S3_REGION = 'us-east-1';
/** The container created at start, for tests and provider modules that need one right away. */
export const AZURITE_CONTAINER = 'simcloud-sandbox';

/** Narrower Cybernetic Physics keys (same workspace as the dev key), one per scope situation a client must handle
 *  (see docs/sandbox.md, Cybernetic Physics). */
export const CYBERNETIC_READONLY_API_KEY = 'cp_live_sandbox_readonly_key';
export const CYBERNETIC_SESSIONS_API_KEY = 'cp_live_sandbox_sessions_key';
export const CYBERNETIC_MCP_API_KEY = 'cp_live_sandbox_mcp_key';
