// The credentials object a running sandbox reports (Sandbox.credentials, the ready line, GET /_sandbox/state).
import type { SandboxCredentials, SandboxUrls } from '../Sandbox';
import * as dev from './devCredentials';

export function buildCredentials(urls: SandboxUrls, storage: boolean): SandboxCredentials {
  return {
    simulacrum: { apiKey: dev.SIMULACRUM_DEV_API_KEY },
    simulacra: { clientId: dev.SIMULACRA_DEV_CLIENT_ID, clientSecret: dev.SIMULACRA_DEV_CLIENT_SECRET, audience: dev.SIMULACRA_AUDIENCE, tokenUrl: urls.simulacraTokenUrl },
    cybernetic: { apiKey: dev.CYBERNETIC_DEV_API_KEY },
    simulix: { apiKey: dev.SIMULIX_DEV_API_KEY },
    azurite: { accountName: dev.AZURITE_ACCOUNT_NAME, accountKey: dev.AZURITE_ACCOUNT_KEY, container: dev.AZURITE_CONTAINER },
    s3: { accessKeyId: dev.S3_ACCESS_KEY_ID, secretAccessKey: dev.S3_SECRET_ACCESS_KEY, bucket: storage ? dev.S3_BUCKET : undefined, region: dev.S3_REGION },
  };
}
