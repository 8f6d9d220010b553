import { z } from 'zod';
import { ApiError } from '../../../core/http/ApiError';
import type { HttpClient } from '../../../core/http/HttpClient';
import { jsonBody } from '../../../core/http/RequestBody';
import { optionalNumber, optionalString } from '../../../core/http/schema';
import { PROVIDERS } from '../../../core/providers/providerCatalog';
import { explainCyberneticError } from '../../../providers/cybernetic/CyberneticApi';

// Stopgap until CyberneticApi.createEnvironmentVersion reads the link where the service puts it: the sandbox (and the
// reference's "Returns a presigned PUT URL for the upload") answer `{versionId, …, upload: {method, url, contentType,
// expiresAt}}`, which that method does not look in, so it fails after the version was already created. This reads the
// nested `upload` as well as the flat names the API class knows. vscode-free, so integration tests run it.

const uploadSchema = z.looseObject({ method: optionalString, url: z.url(), contentType: optionalString, expiresAt: optionalString });
const versionSchema = z.looseObject({
  versionId: optionalString,
  id: optionalString,
  envId: optionalString,
  version: optionalNumber,
  notes: optionalString,
  rootStageRelpath: optionalString,
  createdAt: optionalString,
  upload: uploadSchema.nullish(),
  uploadUrl: z.url().nullish(),
  presignedUrl: z.url().nullish(),
  url: z.url().nullish(),
  expiresAt: optionalString,
});

export interface CreatedEnvironmentVersion {
  readonly versionId: string;
  /** The version's number within its environment (1, 2, …) when the service gives one. */
  readonly version?: number;
  readonly rootStageRelpath?: string;
  /** Presigned PUT: a credential, never logged or stored. */
  readonly putUrl: string;
  readonly contentType?: string;
  readonly expiresAt?: string;
}

/** POST /v1/envs/:envId/versions, sent once (it creates the version). */
export async function createEnvironmentVersion(http: HttpClient, envId: string, request: { notes?: string; rootStageRelpath: string }, signal: AbortSignal): Promise<CreatedEnvironmentVersion> {
  const url = `/v1/envs/${encodeURIComponent(envId)}/versions`;
  const body = Object.fromEntries(Object.entries(request).filter(([, value]) => value !== undefined));
  let parsed: z.infer<typeof versionSchema>;
  try {
    const response = await http.request({ method: 'POST', url, body: jsonBody(body), retry: { maxAttempts: 1 }, response: 'json', schema: versionSchema, signal });
    parsed = response.body;
  } catch (error) {
    throw explainCyberneticError(error, { what: 'create the environment version', scope: 'isaac:write', thing: 'environment' });
  }
  const putUrl = parsed.upload?.url ?? parsed.uploadUrl ?? parsed.presignedUrl ?? parsed.url;
  const versionId = parsed.versionId ?? parsed.id;
  if (!putUrl || !versionId) {
    throw new ApiError({
      kind: 'invalid-response',
      method: 'POST',
      url,
      code: 'invalid_response',
      retryable: false,
      provider: 'cybernetic',
      serviceName: PROVIDERS.cybernetic.displayName,
      detail: 'The new environment version came without an upload link or id.',
    });
  }
  return {
    versionId,
    version: parsed.version ?? undefined,
    rootStageRelpath: parsed.rootStageRelpath ?? undefined,
    putUrl,
    contentType: parsed.upload?.contentType ?? undefined,
    expiresAt: parsed.upload?.expiresAt ?? parsed.expiresAt ?? undefined,
  };
}
