import { randomBytes, randomUUID } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { z } from 'zod';
import { ApiError } from '../../core/http/ApiError';
import { isSameOrigin } from '../../core/http/CredentialSource';
import type { HttpClient, HttpResponse } from '../../core/http/HttpClient';
import { jsonBody, streamBody } from '../../core/http/RequestBody';
import type { RetryOptions } from '../../core/http/retryPolicy';
import { knownValues, optionalNumber, optionalString } from '../../core/http/schema';
import { PROVIDERS } from '../../core/providers/providerCatalog';

// Schemas follow ../shared/api/simulacra-headless-guide.md. Every object is loose (the v1 contract adds optional
// fields without a version bump), statuses use knownValues ("new enum values" ship without notice too), and
// identifiers are JSON scalars (the 2026-05-05 change): never index them.

export const SIGNUP_STATUSES = ['pending', 'approved', 'declined'] as const;
export const JOB_STATUSES = ['queued', 'processing', 'running', 'completed', 'failed', 'expired', 'cancelled'] as const;
/** Terminal job statuses, from the guide's Troubleshooting ("keep polling until completed, failed, expired, or cancelled"). */
export const TERMINAL_JOB_STATUSES: readonly string[] = ['completed', 'failed', 'expired', 'cancelled'];
export const DATASET_STATUSES = ['processing', 'training', 'ready', 'failed', 'deleted', 'expired'] as const;
export const GENERATION_STATUSES = ['queued', 'processing', 'ready', 'partial', 'failed', 'expired'] as const;
/** A generation with an artifact: `partial` is a valid scenario that was feasible for fewer rows. */
export const ARTIFACT_STATUSES: readonly string[] = ['ready', 'partial'];
export const OUTPUT_FORMATS = ['parquet', 'csv', 'arrow'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The guide: "Valid format is ^req_[A-Za-z0-9]{1,64}$ — no dots, dashes, or whitespace." */
export const REQUEST_ID_PATTERN = /^req_[A-Za-z0-9]{1,64}$/;

const id = z.union([z.string().min(1), z.number()]).transform(String);
const optionalId = id.nullish();

const signupSchema = z.looseObject({
  request_id: z.string().min(1),
  status: knownValues(SIGNUP_STATUSES).nullish(),
  client_id: optionalString,
  credential_claim_token: optionalString,
  message: optionalString,
  created_at: optionalString,
});
export type AccessRequest = z.infer<typeof signupSchema>;

const claimSchema = z.looseObject({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  token_url: z.string().min(1),
  audience: z.string().min(1),
  grant_type: optionalString,
});
export type ClaimedCredential = z.infer<typeof claimSchema>;

const rotationSchema = z.looseObject({
  credential_claim_token: z.string().min(1),
  client_id: optionalString,
  expires_at: optionalString,
});
export type CredentialRotation = z.infer<typeof rotationSchema>;

export const datasetResponseSchema = z.looseObject({
  dataset_id: optionalId,
  job_id: optionalId,
  status: knownValues(DATASET_STATUSES).nullish(),
  display_name: optionalString,
  created_at: optionalString,
  expires_at: optionalString,
  request_id: optionalString,
});
export type DatasetResponse = z.infer<typeof datasetResponseSchema>;

export const jobSchema = z.looseObject({
  job_id: id,
  status: knownValues(JOB_STATUSES),
  kind: optionalString,
  type: optionalString,
  dataset_id: optionalId,
  generation_id: optionalId,
  progress: optionalNumber,
  error: z.unknown().optional(),
  created_at: optionalString,
  updated_at: optionalString,
  completed_at: optionalString,
});
export type SimulacraJob = z.infer<typeof jobSchema>;

const numberish = z.union([z.number(), z.string()]).nullish().transform((value) => {
  if (value === null || value === undefined || value === '') return undefined;
  const number = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(number) ? number : undefined;
});

export const schemaColumnSchema = z.looseObject({
  name: z.string().min(1),
  type: optionalString,
  dtype: optionalString,
  kind: optionalString,
  levels: z.array(z.union([z.string(), z.number(), z.boolean()]).transform(String)).nullish(),
  min: numberish,
  max: numberish,
  range: z.looseObject({ min: numberish, max: numberish }).nullish(),
  /** The seed header this column was cleaned from (the name differs when cleaning normalised it). */
  original_name: optionalString,
  source_name: optionalString,
});
export type SchemaColumnRaw = z.infer<typeof schemaColumnSchema>;

export const datasetSchemaSchema = z.looseObject({
  dataset_id: optionalId,
  schema: z.array(schemaColumnSchema),
  /** Shapes vary (names, or `{name, reason}`): kept raw; the cleaning report works from the seed file itself. */
  dropped_columns: z.array(z.unknown()).nullish(),
  dropped_levels: z.array(z.unknown()).nullish(),
  row_count: optionalNumber,
  source_row_count: optionalNumber,
});
export type DatasetSchemaRaw = z.infer<typeof datasetSchemaSchema>;

/** One cleaned column, the way the rest of the provider reads it. */
export interface SchemaColumn {
  readonly name: string;
  readonly type: 'categorical' | 'numeric' | 'other';
  /** The raw type word the API used ("categorical", "float64"...). */
  readonly rawType?: string;
  /** Categorical levels that survived cleaning. */
  readonly levels: readonly string[];
  /** The learned numeric range. */
  readonly min?: number;
  readonly max?: number;
}

export interface DatasetSchema {
  readonly datasetId?: string;
  readonly columns: readonly SchemaColumn[];
  readonly raw: DatasetSchemaRaw;
}

export const generationSchema = z.looseObject({
  generation_id: optionalId,
  dataset_id: optionalId,
  job_id: optionalId,
  status: knownValues(GENERATION_STATUSES).nullish(),
  row_count: optionalNumber,
  rows_requested: optionalNumber,
  rows_generated: optionalNumber,
  output_format: optionalString,
  /** Relative (managed relay, needs the bearer) or absolute (enterprise storage). A credential: never log it. */
  artifact_url: optionalString,
  created_at: optionalString,
  completed_at: optionalString,
  expires_at: optionalString,
  artifact_expires_at: optionalString,
  partial_reason: optionalString,
  request_id: optionalString,
});
export type SimulacraGeneration = z.infer<typeof generationSchema>;

/** The body of POST /v1/datasets/{id}/generations, exactly as the guide's quickstarts build it. */
export interface GenerationRequest {
  row_count: number;
  output_format?: OutputFormat;
  seed?: number;
  wait_seconds?: number;
  conditions: {
    categorical?: Record<string, Record<string, number>>;
    numeric?: Record<string, { min: number; max: number }>;
  };
}

export interface UploadDatasetRequest {
  filePath: string;
  displayName?: string;
  /** How long the server may hold the request to answer with a ready dataset instead of a 202 job. */
  waitSeconds?: number;
  /** One per user action; the same key on every retry of it (the server replays its first answer). */
  idempotencyKey: string;
  /** Bytes of the seed file sent so far (counted again from 0 when a retry sends it again). */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/** Seed file types the guide lists ("seed_file accepts CSV, Parquet, Excel, and SAV directly"). */
export const SEED_CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.csv': 'text/csv',
  '.parquet': 'application/vnd.apache.parquet',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.sav': 'application/x-spss-sav',
};

export function seedContentType(filePath: string): string | undefined {
  return SEED_CONTENT_TYPES[path.extname(filePath).toLowerCase()];
}

/** A one-time claim must never be replayed blindly: a retry after the secret went out would burn the token for nothing. */
const SEND_ONCE: Partial<RetryOptions> = { maxAttempts: 1 };

export const SIMULACRA_SERVICE_NAME = PROVIDERS.simulacra.displayName;

/** Codes whose fix is in the dataset's schema: the UI offers "Open Schema Inspector" for them. */
const SCHEMA_CODE = /unknown_condition|unknown_(column|level)|condition_(column|level)|invalid_condition|level/;

export interface SimulacraProblem {
  readonly code: string;
  /** `<base>/errors/{code}`: cause, fix, retryability and support guidance. */
  readonly docsUrl: string;
  readonly requestId?: string;
  /** The fix is to rebuild conditions from the cleaned schema. */
  readonly schemaRelated: boolean;
}

const problems = new WeakMap<Error, SimulacraProblem>();

/**
 * What an error from SimulacraApi says for the UI's buttons: "Open Error Docs" (docsUrl) and, for unknown columns or
 * levels, "Open Schema Inspector". Undefined for errors without a server code (network, timeouts, bare statuses).
 */
export function simulacraProblem(error: unknown): SimulacraProblem | undefined {
  if (!(error instanceof Error)) return undefined;
  const known = problems.get(error);
  if (known) return known;
  // An ApiError that did not pass through SimulacraApi.explain (a copy, another caller): the docs hang off its origin.
  if (!ApiError.is(error) || error.provider !== 'simulacra' || !isServerCode(error.code) || !error.code.startsWith('simio_')) return undefined;
  let origin: string;
  try {
    origin = new URL(error.url).origin;
  } catch {
    return undefined;
  }
  return { code: error.code, docsUrl: `${origin}/errors/${encodeURIComponent(error.code)}`, requestId: error.requestId, schemaRelated: SCHEMA_CODE.test(error.code) };
}

/** Whether a code came from the server (not one the HTTP core derived: `http_404`, `network_…`, `timeout_…`). */
function isServerCode(code: string): boolean {
  return !/^(http_\d+|network_|timeout_|deadline_exceeded|aborted|invalid_json|schema_mismatch|response_too_large|invalid_url|credential_unavailable|request_failed)/.test(code);
}

/**
 * Simulacra Headless API (../shared/api/simulacra-headless-guide.md). The HttpClient given must carry the
 * ClientCredentialsTokenSource for the API origin; signup, its polling and the claim are sent without it (the guide:
 * "leave the Authorization field blank").
 */
export class SimulacraApi {
  constructor(
    private readonly http: HttpClient,
    /** The API base (`https://api.simulacra-data.com`): relative artifact URLs and error docs hang off it. */
    private readonly baseUrl: string,
  ) {}

  /** POST /v1/signup: 202 for a new request, 200 for an email that already has one. Both carry request_id. */
  async requestAccess(request: { company: string; email: string }, signal: AbortSignal): Promise<AccessRequest & { created: boolean }> {
    const response = await this.call(() =>
      this.http.request({
        method: 'POST',
        url: '/v1/signup',
        body: jsonBody({ company_name: request.company, contact_email: request.email }),
        // Re-submitting the same email returns the existing request, so a retry cannot queue a second one.
        idempotencyKey: randomUUID(),
        authenticate: false,
        response: 'json',
        schema: signupSchema,
        signal,
      }),
    );
    if (!REQUEST_ID_PATTERN.test(response.body.request_id)) {
      // The server's answer, not the caller's argument: a typed error with the request id, like any unreadable answer.
      throw new ApiError({
        kind: 'invalid-response',
        method: 'POST',
        url: new URL('/v1/signup', this.baseUrl).href,
        code: 'invalid_request_id',
        requestId: response.requestId,
        retryable: false,
        provider: 'simulacra',
        serviceName: SIMULACRA_SERVICE_NAME,
        detail: 'The access request id is not of the documented form (req_ followed by letters and digits); it was not used',
      });
    }
    return { ...response.body, created: response.status === 202 };
  }

  /** GET /v1/signup/{request_id}: pending, approved (with client_id and a one-time claim token) or declined. */
  async getAccessRequest(requestId: string, signal: AbortSignal): Promise<AccessRequest> {
    assertRequestId(requestId);
    return (await this.call(() => this.http.request({ url: `/v1/signup/${requestId}`, authenticate: false, response: 'json', schema: signupSchema, signal }))).body;
  }

  /**
   * POST /v1/credential-claims: the client_secret, exactly once. Sent once, never retried: the claim token is
   * one-time-use. The caller MUST persist the secret (SecretStorage) before doing anything else with the answer.
   */
  async claimCredential(claimToken: string, signal: AbortSignal): Promise<ClaimedCredential> {
    return (await this.call(() => this.http.request({ method: 'POST', url: '/v1/credential-claims', body: jsonBody({ claim_token: claimToken }), authenticate: false, retry: SEND_ONCE, response: 'json', schema: claimSchema, signal }))).body;
  }

  /**
   * POST /v1/credential-rotations (authenticated; three per 24 h). The same key returns the same claim token without
   * rotating again, so keep the key until the claim succeeded and reuse it when retrying.
   */
  async rotateCredential(idempotencyKey: string, signal: AbortSignal): Promise<CredentialRotation> {
    return (await this.call(() => this.http.request({ method: 'POST', url: '/v1/credential-rotations', idempotencyKey, response: 'json', schema: rotationSchema, signal }))).body;
  }

  /**
   * POST /v1/datasets: the seed file as multipart `seed_file`, streamed from disk (read again on a retry, which
   * carries the same Idempotency-Key). Answers a ready dataset, or a 202 with a job to poll.
   */
  async uploadDataset(request: UploadDatasetRequest, signal: AbortSignal): Promise<DatasetResponse & { accepted: boolean }> {
    const contentType = seedContentType(request.filePath);
    if (!contentType) throw new Error(`Simulacra accepts CSV, Parquet, Excel (.xlsx) and SPSS (.sav) seed files, not ${path.basename(request.filePath)}.`);
    const { size } = await fs.stat(request.filePath);
    const multipart = multipartSeed(request, contentType, size);
    const response = await this.call(() =>
      this.http.request({
        method: 'POST',
        url: '/v1/datasets',
        body: streamBody(multipart.stream, { contentType: multipart.contentType, contentLength: multipart.length }),
        idempotencyKey: request.idempotencyKey,
        response: 'json',
        schema: datasetResponseSchema,
        signal,
      }),
    );
    return { ...response.body, accepted: response.status === 202 };
  }

  /** GET /v1/jobs/{job_id} */
  async getJob(jobId: string, signal: AbortSignal): Promise<SimulacraJob> {
    return (await this.call(() => this.http.request({ url: `/v1/jobs/${segment(jobId)}`, response: 'json', schema: jobSchema, signal }))).body;
  }

  /** GET /v1/datasets/{dataset_id}/schema: the cleaned schema, the only source for conditions. */
  async getSchema(datasetId: string, signal: AbortSignal): Promise<DatasetSchema> {
    const raw = (await this.call(() => this.http.request({ url: `/v1/datasets/${segment(datasetId)}/schema`, response: 'json', schema: datasetSchemaSchema, signal }))).body;
    return toDatasetSchema(raw, datasetId);
  }

  /** POST /v1/datasets/{dataset_id}/generations, with an Idempotency-Key reused on every retry. */
  async createGeneration(datasetId: string, request: GenerationRequest, idempotencyKey: string, signal: AbortSignal): Promise<SimulacraGeneration & { accepted: boolean }> {
    const response = await this.call(() =>
      this.http.request({ method: 'POST', url: `/v1/datasets/${segment(datasetId)}/generations`, body: jsonBody(request), idempotencyKey, response: 'json', schema: generationSchema, signal }),
    );
    return { ...response.body, accepted: response.status === 202 };
  }

  /** GET /v1/generations/{generation_id} */
  async getGeneration(generationId: string, signal: AbortSignal): Promise<SimulacraGeneration> {
    return (await this.call(() => this.http.request({ url: `/v1/generations/${segment(generationId)}`, response: 'json', schema: generationSchema, signal }))).body;
  }

  /** DELETE /v1/datasets/{dataset_id}: dataset access and its artifacts go; generation artifacts expire on their own. */
  async deleteDataset(datasetId: string, signal: AbortSignal): Promise<void> {
    await this.call(() => this.http.request({ method: 'DELETE', url: `/v1/datasets/${segment(datasetId)}`, signal }));
  }

  /**
   * Where an artifact URL goes and whether it carries the bearer token: a relative URL (managed relay) is joined to
   * the API base and authenticated; an absolute one is authenticated only on the API's own origin, never elsewhere.
   */
  artifactTarget(artifactUrl: string): { url: string; authenticate: boolean } {
    if (/^[a-z][a-z0-9+.-]*:/i.test(artifactUrl)) {
      const url = new URL(artifactUrl);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('The artifact URL is not an http(s) URL.');
      return { url: url.href, authenticate: isSameOrigin(url, new URL(this.baseUrl).origin) };
    }
    if (artifactUrl.startsWith('//')) throw new Error('The artifact URL is protocol-relative, which Sim Cloud does not follow.');
    return { url: `${this.baseUrl.replace(/\/+$/, '')}/${artifactUrl.replace(/^\/+/, '')}`, authenticate: true };
  }

  /** GET the artifact as a stream (the caller reads or destroys it). Never log the URL: it is a credential. */
  async openArtifact(artifactUrl: string, signal: AbortSignal): Promise<HttpResponse<Readable>> {
    const target = this.artifactTarget(artifactUrl);
    return this.call(() => this.http.request({ url: target.url, authenticate: target.authenticate, response: 'stream', signal }));
  }

  /** Downloads the artifact to `destination` (a temp file in the same folder, renamed when complete). Returns bytes. */
  async downloadArtifact(artifactUrl: string, destination: string, signal: AbortSignal): Promise<number> {
    const response = await this.openArtifact(artifactUrl, signal);
    const temp = path.join(path.dirname(destination), `.simcloud-${randomBytes(8).toString('hex')}.part`);
    let bytes = 0;
    try {
      const file = await fs.open(temp, 'wx');
      await pipeline(
        response.body,
        async function* count(source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            bytes += chunk.length;
            yield chunk;
          }
        },
        file.createWriteStream(),
        { signal },
      );
      await fs.rename(temp, destination);
      return bytes;
    } catch (error) {
      response.body.destroy();
      await fs.rm(temp, { force: true });
      throw error;
    }
  }

  /** `<base>/errors/{code}` */
  errorDocsUrl(code: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/errors/${encodeURIComponent(code)}`;
  }

  private async call<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw this.explain(error);
    }
  }

  /** Adds the problem's docs URL and next step to the message, and remembers the code for simulacraProblem(). */
  private explain(error: unknown): unknown {
    if (!ApiError.is(error) || (error.kind !== 'http' && error.kind !== 'deadline')) return error;
    // The token server (Auth0) has its own codes (`access_denied`): they are not in Simulacra's error catalog.
    const fromApi = isSameOrigin(error.url, new URL(this.baseUrl).origin);
    const serverCode = fromApi && isServerCode(error.code);
    const docsUrl = serverCode ? this.errorDocsUrl(error.code) : undefined;
    const schemaRelated = serverCode && SCHEMA_CODE.test(error.code);
    const steps: string[] = [];
    if (schemaRelated) steps.push('Rebuild the conditions from the cleaned schema (Open Schema Inspector): original seed names may have been normalised, and rare levels dropped.');
    else if (!fromApi && (error.status === 401 || error.status === 403)) steps.push('The token server refused the client credentials: check the client id, the client secret (the claimed secret, not a JWT) and the audience setting.');
    else if (error.status === 401) steps.push('The bearer token was not accepted: check the client id and secret (the secret, not a JWT), and that the audience is the API URL.');
    else if (error.status === 402) steps.push("The request exceeds your company's row subscription or request cap.");
    if (docsUrl) steps.push(`Cause, fix and retryability: ${docsUrl}`);
    const explained = error.withNextStep(steps.length > 0 ? steps.join(' ') : undefined, { provider: 'simulacra', serviceName: SIMULACRA_SERVICE_NAME });
    if (docsUrl) problems.set(explained, { code: error.code, docsUrl, requestId: error.requestId, schemaRelated });
    return explained;
  }
}

export function assertRequestId(requestId: string): void {
  if (!REQUEST_ID_PATTERN.test(requestId)) throw new Error('Simulacra returned an access request id that is not of the documented form (req_ followed by letters and digits); it was not used.');
}

function segment(value: string): string {
  if (value === '' || value === '.' || value === '..') throw new Error('An empty or dot identifier cannot be put in a URL.');
  return encodeURIComponent(value);
}

/** A schema body (from the API or a cached copy) as the provider reads it; throws a ZodError when it has no column list. */
export function toDatasetSchema(body: unknown, datasetId?: string): DatasetSchema {
  const raw = datasetSchemaSchema.parse(body);
  return { datasetId: raw.dataset_id ?? datasetId, columns: raw.schema.map(toSchemaColumn), raw };
}

export function toSchemaColumn(raw: SchemaColumnRaw): SchemaColumn {
  const rawType = raw.type ?? raw.dtype ?? raw.kind ?? undefined;
  const min = raw.min ?? raw.range?.min;
  const max = raw.max ?? raw.range?.max;
  const word = (rawType ?? '').toLowerCase();
  let type: SchemaColumn['type'];
  if (/categor|factor|string|object|nominal|ordinal|bool|enum|level/.test(word) || (!word && (raw.levels?.length ?? 0) > 0)) type = 'categorical';
  else if (/num|int|float|double|real|decimal|continuous/.test(word) || (!word && (min !== undefined || max !== undefined))) type = 'numeric';
  else type = 'other';
  return { name: raw.name, type, rawType, levels: raw.levels ?? [], min, max };
}

/** A multipart body whose file part streams from disk; a factory, so every try reads the file again. */
function multipartSeed(request: UploadDatasetRequest, fileType: string, fileSize: number): { stream: () => Readable; contentType: string; length: number } {
  const boundary = `----simcloud${randomBytes(12).toString('hex')}`;
  const fields: [string, string][] = [];
  if (request.displayName !== undefined) fields.push(['display_name', request.displayName]);
  if (request.waitSeconds !== undefined) fields.push(['wait_seconds', String(request.waitSeconds)]);
  const fileName = path.basename(request.filePath).replace(/["\r\n\\]/g, '_');
  let head = '';
  for (const [name, value] of fields) head += `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  head += `--${boundary}\r\nContent-Disposition: form-data; name="seed_file"; filename="${fileName}"\r\nContent-Type: ${fileType}\r\n\r\n`;
  const headBytes = Buffer.from(head, 'utf8');
  const tailBytes = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  const stream = (): Readable => {
    let sent = 0;
    async function* parts(): AsyncGenerator<Buffer> {
      yield headBytes;
      request.onProgress?.(0, fileSize);
      for await (const chunk of createReadStream(request.filePath)) {
        const buffer = chunk as Buffer;
        sent += buffer.length;
        request.onProgress?.(sent, fileSize);
        yield buffer;
      }
      yield tailBytes;
    }
    return Readable.from(parts(), { objectMode: false });
  };
  return { stream, contentType: `multipart/form-data; boundary=${boundary}`, length: headBytes.length + fileSize + tailBytes.length };
}
