// The Simulacra Headless API (shared/api/simulacra-headless-guide.md, "Core Workflow", "Request Access", the
// quickstarts): signup → approval → one-time credential claim → Auth0 token → dataset upload and training → cleaned
// schema → scenario-conditioned generation → artifact download, with rotations, idempotency keys, 24-hour retention
// and problem+json errors with stable simio_… codes. docs/sandbox.md (Simulacra) lists every number and choice.
import { createHash } from 'node:crypto';
import { HttpError } from '../../http/HttpError';
import type { Router } from '../../http/Router';
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { SandboxResponse } from '../../http/SandboxResponse';
import { cleanSeed, type CleanedSeed } from './cleanSeed';
import { CONTENT_TYPES, encodeArtifact } from './encodeArtifact';
import { ERROR_CATALOG, ERRORS_BY_CODE, type ErrorEntry } from './errorCatalog';
import { generateRows } from './generateRows';
import { readSeed, SeedParseError, seedFormatOf } from './seedTable';
import { SIMULACRA_POLICY as P } from './simulacraPolicy';
import type { Account, Client, Dataset, Generation, SimulacraWorld } from './SimulacraWorld';
import { parseWaitSeconds, problem, validateGeneration } from './validateGeneration';
import { datasetView, generationView, iso, jobView, schemaView, signupView } from './views';

interface Caller {
  account: Account;
  client: Client;
}
interface Outcome {
  status: number;
  body: unknown;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]+$/;

export function registerSimulacraApi(router: Router, world: SimulacraWorld): void {
  const { ctx } = world;
  const now = () => world.now();
  const inflight = new Map<string, Promise<Outcome>>();

  const authenticate = (req: SandboxRequest): Caller => {
    const result = ctx.auth.authenticate(req);
    const challenge = (error: string) => ({ 'WWW-Authenticate': `Bearer realm="simulacra", error="${error}"` });
    if (!result.ok) {
      if (result.error === 'invalid_request') throw problem(401, 'simio_unauthorized', 'Missing Authorization: Bearer <Auth0 access token>', challenge('invalid_request'));
      const expired = /expired/.test(result.message);
      throw problem(401, expired ? 'simio_token_expired' : 'simio_invalid_token', `${result.message}. Mint a fresh token for audience ${ctx.credentials.simulacra.audience}; the bearer is the JWT, not the client_secret.`, challenge('invalid_token'));
    }
    const clientId = result.principal.replace(/@clients$/, '');
    const client = world.clientRecords.get(clientId);
    const account = world.accountOfClient(clientId);
    if (!client || !account) throw problem(401, 'simio_invalid_token', 'The token belongs to no Simulacra tenant', challenge('invalid_token'));
    world.advance();
    return { account, client };
  };

  const jsonBody = async (req: SandboxRequest): Promise<Record<string, unknown>> => {
    let body: unknown;
    try {
      body = await req.json();
    } catch (error) {
      if (HttpError.is(error) && error.details.status === 400) throw problem(400, 'simio_invalid_request', 'Request body is not valid JSON');
      throw error;
    }
    if (body === undefined) throw problem(400, 'simio_empty_body', 'Request body is empty: set Content-Type: application/json and send a JSON object');
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw problem(400, 'simio_invalid_request', 'Request body must be a JSON object');
    return body as Record<string, unknown>;
  };

  /** Answers, unless a control route asked to lose this response after the work was done: then the status line
   *  goes out and the connection is reset, so the client sees a network error although the work happened. */
  const answerOrLose = (req: SandboxRequest, res: SandboxResponse, outcome: Outcome): void => {
    const lose = world.loseResponses.find((l) => l.remaining > 0 && req.path.startsWith(l.pathPrefix));
    if (!lose) {
      res.json(outcome.status, outcome.body);
      return;
    }
    lose.remaining--;
    world.stats.responses_lost++;
    res.raw.writeHead(outcome.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': 1_000_000 });
    res.raw.flushHeaders();
    const socket = req.raw.socket;
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  };

  /** Same key + same request → the stored answer (no new work); same key + another request → 409; no key → new work. */
  const idempotent = async (req: SandboxRequest, res: SandboxResponse, scope: string, request: string, work: () => Promise<Outcome>): Promise<void> => {
    const key = req.header('idempotency-key');
    if (key === undefined) {
      const outcome = await work();
      answerOrLose(req, res, outcome);
      return;
    }
    if (key.length > P.maxIdempotencyKeyLength || !IDEMPOTENCY_KEY.test(key)) throw problem(400, 'simio_invalid_idempotency_key', `Idempotency-Key must be 1-${P.maxIdempotencyKeyLength} printable ASCII characters`);
    world.sweepIdempotency();
    const storeKey = `${scope}\u0000${key}`;
    const fingerprint = createHash('sha256').update(`${req.method} ${req.path}\u0000${request}`).digest('hex');
    const stored = world.idempotency.get(storeKey);
    if (stored) {
      if (stored.fingerprint !== fingerprint) throw problem(409, 'simio_idempotency_key_reused', 'This Idempotency-Key was already used with a different request; use a new key for new work');
      world.stats.idempotent_replays++;
      res.json(stored.status, stored.body, { 'Idempotent-Replayed': 'true' });
      return;
    }
    const running = inflight.get(storeKey);
    if (running) {
      const outcome = await running;
      const again = world.idempotency.get(storeKey);
      if (again && again.fingerprint !== fingerprint) throw problem(409, 'simio_idempotency_key_reused', 'This Idempotency-Key was already used with a different request');
      world.stats.idempotent_replays++;
      res.json(outcome.status, outcome.body, { 'Idempotent-Replayed': 'true' });
      return;
    }
    const promise = work();
    inflight.set(storeKey, promise);
    try {
      const outcome = await promise;
      if (outcome.status < 300) world.idempotency.set(storeKey, { fingerprint, status: outcome.status, body: outcome.body, at: now() });
      answerOrLose(req, res, outcome);
    } finally {
      inflight.delete(storeKey);
    }
  };

  // ---- documentation routes -------------------------------------------------------------------------------------
  const errorDoc = (e: ErrorEntry) => ({ ...e, type: `${ctx.baseUrl}/errors/${e.code}`, support: 'Preserve X-Request-Id and the body request_id when contacting support@simulacra-data.com.' });
  router.get('/errors', (_req, res) => res.json(200, { errors: ERROR_CATALOG.map(errorDoc) }));
  router.get('/errors/:code', (req, res) => {
    const entry = ERRORS_BY_CODE.get(req.params.code);
    if (!entry) throw problem(404, 'simio_error_code_not_found', `No error code ${req.params.code}; see /errors`);
    res.json(200, errorDoc(entry));
  });

  // ---- access requests and credentials --------------------------------------------------------------------------
  router.post('/v1/signup', async (req, res) => {
    const body = await jsonBody(req);
    const company = typeof body.company_name === 'string' ? body.company_name.trim() : '';
    const email = typeof body.contact_email === 'string' ? body.contact_email.trim().toLowerCase() : '';
    if (!company || company.length > 200) throw problem(400, 'simio_invalid_signup', 'company_name is required (at most 200 characters)');
    if (!EMAIL.test(email) || email.length > 254) throw problem(400, 'simio_invalid_signup', 'contact_email must be a valid email address');
    world.advance();
    const existing = [...world.signups.values()].find((s) => s.email === email && s.status !== 'declined');
    if (existing) {
      res.json(200, signupView(world, existing));
      return;
    }
    const signup = { requestId: world.ids.next('req_', 24), company, email, status: 'pending' as const, createdAt: now() };
    world.signups.set(signup.requestId, signup);
    world.stats.signups_created++;
    res.json(202, signupView(world, signup));
  });

  router.get('/v1/signup/:id', (req, res) => {
    world.advance();
    const signup = world.signups.get(req.params.id);
    if (!signup) throw problem(404, 'simio_signup_not_found', `No signup request ${req.params.id}`);
    res.json(200, signupView(world, signup));
  });

  router.post('/v1/credential-claims', async (req, res) => {
    const body = await jsonBody(req);
    const token = body.claim_token ?? body.credential_claim_token;
    if (typeof token !== 'string' || token === '') throw problem(400, 'simio_invalid_request', 'claim_token is required');
    const claim = world.claims.get(token);
    if (!claim) throw problem(404, 'simio_claim_token_not_found', 'Unknown credential claim token');
    if (claim.usedAt !== undefined) throw problem(410, 'simio_claim_token_already_used', 'This credential claim token was already redeemed; claims are one-time-use');
    if (now() >= claim.expiresAt) throw problem(410, 'simio_claim_token_expired', `This credential claim token expired at ${iso(claim.expiresAt)}`);
    claim.usedAt = now();
    world.stats.claims_redeemed++;
    const { audience, tokenUrl } = ctx.credentials.simulacra;
    res.json(200, { client_id: claim.clientId, client_secret: world.currentSecret(claim.clientId), token_url: tokenUrl, audience, grant_type: 'client_credentials' }, { 'Cache-Control': 'no-store' });
  });

  router.post('/v1/credential-rotations', async (req, res) => {
    const caller = authenticate(req);
    const text = await req.text();
    await idempotent(req, res, `rotation:${caller.client.clientId}`, text, async () => {
      const recent = caller.client.rotations.filter((at) => now() - at < P.rotationWindowMs);
      caller.client.rotations = recent;
      if (recent.length >= P.rotationsPerWindow) {
        const retryAfter = Math.max(1, Math.ceil((recent[0] + P.rotationWindowMs - now()) / 1000));
        throw problem(429, 'simio_rotation_rate_limited', `At most ${P.rotationsPerWindow} credential rotations per 24 hours per client; retry in ${retryAfter} s`, { 'Retry-After': String(retryAfter) });
      }
      const claim = world.rotate(caller.client);
      return { status: 201, body: { client_id: caller.client.clientId, credential_claim_token: claim.token, claim_expires_at: iso(claim.expiresAt), claim_url: '/v1/credential-claims', rotated_at: iso(now()) } };
    });
  });

  // ---- datasets --------------------------------------------------------------------------------------------------
  const ownDataset = (caller: Caller, id: string, { allowTraining = true } = {}): Dataset => {
    const dataset = world.datasets.get(id);
    if (!dataset || dataset.accountId !== caller.account.id) throw problem(404, 'simio_dataset_not_found', `No dataset ${id}`);
    const status = world.datasetStatus(dataset);
    if (status === 'deleted') throw problem(404, 'simio_dataset_not_found', `Dataset ${id} was deleted`);
    if (status === 'expired') throw problem(404, 'simio_dataset_expired', `Dataset ${id} passed its 24-hour retention at ${iso(dataset.readyAt + P.retentionMs)}`);
    if (!allowTraining && status === 'training') throw problem(409, 'simio_dataset_not_ready', `Dataset ${id} is still training; poll /v1/jobs/${dataset.jobId}`);
    return dataset;
  };
  const trainedSeed = (dataset: Dataset): CleanedSeed => {
    if (dataset.failure || !dataset.cleaned) throw problem(422, 'simio_training_failed', `Training of dataset ${dataset.id} failed: ${dataset.failure ?? 'no model'}`);
    return dataset.cleaned;
  };

  router.post('/v1/datasets', async (req, res) => {
    const caller = authenticate(req);
    const type = req.header('content-type') ?? '';
    if (!/^multipart\/form-data\s*;.*boundary=/i.test(type)) throw problem(400, 'simio_multipart_required', 'POST /v1/datasets takes multipart/form-data with a seed_file part');
    const bytes = await req.buffer(P.maxSeedBytes + 1024 * 1024).catch((error: unknown) => {
      if (HttpError.is(error) && error.details.status === 413) throw problem(413, 'simio_payload_too_large', `The upload exceeds ${P.maxSeedBytes} bytes`);
      throw error;
    });
    let form: FormData;
    try {
      form = await new Request('http://sandbox.invalid/', { method: 'POST', headers: { 'content-type': type }, body: new Uint8Array(bytes) }).formData();
    } catch {
      throw problem(400, 'simio_multipart_required', 'The multipart/form-data body could not be parsed');
    }
    const file = form.get('seed_file');
    if (file === null || typeof file === 'string') {
      const hint = form.has('file') ? " (a part named 'file' is not read: the guide's field is seed_file)" : '';
      throw problem(400, 'simio_missing_seed_file', `The multipart body has no seed_file file part${hint}`);
    }
    const format = seedFormatOf(file.name, file.type);
    if (!format) throw problem(415, 'simio_unsupported_seed_format', `Cannot read seed '${file.name}' (${file.type || 'no content type'}): the sandbox accepts CSV and Parquet`);
    const displayNameField = form.get('display_name');
    const displayName = typeof displayNameField === 'string' && displayNameField.trim() ? displayNameField.trim() : file.name;
    const waitField = form.get('wait_seconds');
    const waitSeconds = parseWaitSeconds(typeof waitField === 'string' ? waitField : undefined);
    const content = Buffer.from(await file.arrayBuffer());
    const seedSha256 = createHash('sha256').update(content).digest('hex');
    const fingerprint = `${seedSha256}\u0000${file.name}\u0000${displayName}\u0000${waitSeconds}`;
    await idempotent(req, res, `account:${caller.account.id}`, fingerprint, async () => {
      let cleaned: CleanedSeed;
      try {
        const table = await readSeed(format, content);
        if (table.rows.length < P.minSeedRows) throw new SeedParseError(`the seed has ${table.rows.length} rows; at least ${P.minSeedRows} are needed`);
        cleaned = cleanSeed(table);
      } catch (error) {
        if (error instanceof SeedParseError) throw problem(400, 'simio_invalid_seed_file', `Seed file '${file.name}': ${error.message}`);
        throw error;
      }
      const failure =
        cleaned.columns.length === 0 ? 'cleaning dropped every column' : cleaned.rows.length < P.minSeedRows ? `only ${cleaned.rows.length} complete rows remain after cleaning` : undefined;
      const trainingMs = P.trainingBaseMs + P.trainingMsPerRow * cleaned.sourceRows;
      const sync = trainingMs <= waitSeconds * 1000;
      const dataset: Dataset = {
        id: world.ids.next('ds_', 20),
        accountId: caller.account.id,
        displayName,
        jobId: world.ids.next('job_', 20),
        createdAt: now(),
        readyAt: sync ? now() : now() + trainingMs,
        seedSha256,
        seedBytes: content.length,
        cleaned: failure ? undefined : cleaned,
        failure,
      };
      world.datasets.set(dataset.id, dataset);
      world.jobs.set(dataset.jobId, { id: dataset.jobId, accountId: caller.account.id, kind: 'training', createdAt: now(), datasetId: dataset.id });
      world.stats.datasets_created++;
      if (sync) return { status: 201, body: datasetView(world, dataset) };
      // The guide's SPSS script takes a dataset_id in the upload answer as "trained, skip polling", so the 202 names
      // only the job; /v1/jobs/{job_id} gives dataset_id once completed.
      return { status: 202, body: { job_id: dataset.jobId, status: 'training', display_name: dataset.displayName, created_at: iso(dataset.createdAt) } };
    });
  });

  router.get('/v1/datasets', (req, res) => {
    const caller = authenticate(req);
    const visible = [...world.datasets.values()].filter((d) => d.accountId === caller.account.id && !['deleted', 'expired'].includes(world.datasetStatus(d)));
    res.json(200, { datasets: visible.map((d) => datasetView(world, d)) });
  });

  router.get('/v1/datasets/:id', (req, res) => {
    const caller = authenticate(req);
    res.json(200, datasetView(world, ownDataset(caller, req.params.id)));
  });

  router.delete('/v1/datasets/:id', (req, res) => {
    const caller = authenticate(req);
    const dataset = ownDataset(caller, req.params.id);
    dataset.deletedAt = now();
    res.json(200, { dataset_id: dataset.id, status: 'deleted', deleted_at: iso(dataset.deletedAt) });
  });

  router.get('/v1/datasets/:id/schema', (req, res) => {
    const caller = authenticate(req);
    const dataset = ownDataset(caller, req.params.id, { allowTraining: false });
    res.json(200, schemaView(dataset, trainedSeed(dataset)));
  });

  // ---- generations -----------------------------------------------------------------------------------------------
  router.post('/v1/datasets/:id/generations', async (req, res) => {
    const caller = authenticate(req);
    const dataset = ownDataset(caller, req.params.id, { allowTraining: false });
    const cleaned = trainedSeed(dataset);
    const body = await jsonBody(req);
    const request = validateGeneration(body, cleaned);
    await idempotent(req, res, `account:${caller.account.id}`, JSON.stringify(canonical(body)), async () => {
      const remaining = caller.account.rowQuota - caller.account.rowsUsed;
      if (request.rowCount > remaining) {
        throw problem(402, 'simio_row_quota_exceeded', `row_count ${request.rowCount} exceeds the ${Math.max(0, remaining)} rows left of your company's ${caller.account.rowQuota}-row subscription`);
      }
      const id = world.ids.next('gen_', 20);
      const randomSeed = mix(`${ctx.seed}:${request.seed ?? world.ids.int()}:${dataset.id}`);
      const generated = generateRows(cleaned, request.conditions, request.rowCount, randomSeed);
      const generationMs = P.generationBaseMs + P.generationMsPerRow * request.rowCount;
      const sync = generationMs <= request.waitSeconds * 1000;
      const generation: Generation = {
        id,
        accountId: caller.account.id,
        datasetId: dataset.id,
        jobId: world.ids.next('job_', 20),
        createdAt: now(),
        readyAt: sync ? now() : now() + generationMs,
        rowCount: request.rowCount,
        format: request.format,
        columns: cleaned.columns,
        rows: generated.rows,
        partialReason: generated.partialReason,
      };
      world.generations.set(id, generation);
      world.jobs.set(generation.jobId, { id: generation.jobId, accountId: caller.account.id, kind: 'generation', createdAt: now(), datasetId: dataset.id, generationId: id });
      // "usage-billing is counted on generated rows rather than requested rows"
      caller.account.rowsUsed += generated.rows.length;
      world.stats.generations_created++;
      world.stats.rows_generated += generated.rows.length;
      return { status: sync ? 201 : 202, body: generationView(world, generation, sync ? await artifactLink(caller.account, generation) : undefined) };
    });
  });

  const ownGeneration = (caller: Caller, id: string): Generation => {
    const generation = world.generations.get(id);
    if (!generation || generation.accountId !== caller.account.id) throw problem(404, 'simio_generation_not_found', `No generation ${id}`);
    if (world.generationStatus(generation) === 'expired') throw problem(404, 'simio_generation_expired', `Generation ${id} passed its 24-hour retention at ${iso(generation.createdAt + P.retentionMs)}`);
    return generation;
  };

  const artifactBytes = async (generation: Generation): Promise<Buffer> => {
    generation.artifact ??= await encodeArtifact(generation.format, generation.columns, generation.rows);
    return generation.artifact;
  };

  /** Managed mode: a relative URL on this API that needs the bearer token and expires 15 minutes after issue.
   *  Enterprise mode: an absolute presigned URL on the S3 front (the "customer storage"), no bearer wanted there. */
  const artifactLink = async (account: Account, generation: Generation): Promise<{ url: string; expiresAt: number }> => {
    const expiresAt = now() + P.artifactUrlMs;
    if (account.storageMode === 'enterprise') {
      const s3 = ctx.storage?.s3;
      if (!s3) throw problem(503, 'simio_internal_error', 'Enterprise storage needs the sandbox storage fronts (started without storage)');
      if (!generation.s3Key) {
        const key = `simulacra/${account.id}/${generation.id}.${generation.format}`;
        await s3.putObject(key, await artifactBytes(generation), CONTENT_TYPES[generation.format]);
        generation.s3Key = key;
      }
      return { url: s3.presignGet(generation.s3Key, P.artifactUrlMs / 1000), expiresAt };
    }
    for (const [stale, grant] of world.artifactTokens) if (now() >= grant.expiresAt + P.retentionMs) world.artifactTokens.delete(stale);
    const token = world.ids.next('art_', 32);
    world.artifactTokens.set(token, { generationId: generation.id, expiresAt });
    return { url: `/v1/generations/${generation.id}/artifact?token=${token}`, expiresAt };
  };

  router.get('/v1/generations/:id', async (req, res) => {
    const caller = authenticate(req);
    const generation = ownGeneration(caller, req.params.id);
    const status = world.generationStatus(generation);
    const link = status === 'ready' || status === 'partial' ? await artifactLink(caller.account, generation) : undefined;
    res.json(200, generationView(world, generation, link));
  });

  router.get('/v1/generations/:id/artifact', async (req, res) => {
    const caller = authenticate(req);
    const generation = ownGeneration(caller, req.params.id);
    const status = world.generationStatus(generation);
    if (status === 'processing') throw problem(409, 'simio_artifact_not_ready', `Generation ${generation.id} is still processing`);
    const grant = world.artifactTokens.get(req.query.get('token') ?? '');
    if (!grant || grant.generationId !== generation.id) throw problem(404, 'simio_generation_not_found', 'Unknown artifact link; GET /v1/generations/{generation_id} for artifact_url');
    if (now() >= grant.expiresAt) throw problem(403, 'simio_artifact_url_expired', `This artifact URL expired at ${iso(grant.expiresAt)}; GET /v1/generations/${generation.id} for a fresh one`);
    const bytes = await artifactBytes(generation);
    res.send(200, bytes, {
      'Content-Type': CONTENT_TYPES[generation.format],
      'Content-Disposition': `attachment; filename="${generation.id}.${generation.format}"`,
      'Cache-Control': 'private, no-store',
      'X-Rows-Generated': String(generation.rows.length),
    });
  });

  // ---- jobs ------------------------------------------------------------------------------------------------------
  router.get('/v1/jobs/:id', (req, res) => {
    const caller = authenticate(req);
    const job = world.jobs.get(req.params.id);
    if (!job || job.accountId !== caller.account.id) throw problem(404, 'simio_job_not_found', `No job ${req.params.id}`);
    res.json(200, jobView(world, job));
  });
}

/** JSON with object keys sorted, so two serialisations of one body fingerprint the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]));
  return value;
}

function mix(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}
