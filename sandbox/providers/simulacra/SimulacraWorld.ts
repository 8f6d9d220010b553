// Everything one sandbox's Simulacra remembers, shared by the API routes and the control routes. Statuses are never
// stored: they are read off the virtual clock (createdAt / readyAt / expiresAt) whenever someone asks, so a paused
// clock plus advance() replays exactly.
import { simulacraClientsFor, type SimulacraClients } from '../../auth/SimulacraClients';
import type { SandboxContext } from '../ProviderModule';
import type { CleanedSeed } from './cleanSeed';
import type { OutputFormat } from './encodeArtifact';
import { SimulacraIds } from './SimulacraIds';
import { SIMULACRA_POLICY as P } from './simulacraPolicy';

export type StorageMode = 'managed' | 'enterprise';

export interface Account {
  readonly id: string;
  readonly company: string;
  rowQuota: number;
  rowsUsed: number;
  storageMode: StorageMode;
}

export interface Signup {
  readonly requestId: string;
  readonly company: string;
  readonly email: string;
  status: 'pending' | 'approved' | 'declined';
  readonly createdAt: number;
  decidedAt?: number;
  clientId?: string;
  claimToken?: string;
}

export interface Claim {
  readonly token: string;
  readonly clientId: string;
  readonly expiresAt: number;
  usedAt?: number;
}

export interface Client {
  readonly clientId: string;
  readonly accountId: string;
  /** Times of accepted rotations, for the three-per-24-hours limit. */
  rotations: number[];
}

export interface Dataset {
  readonly id: string;
  readonly accountId: string;
  readonly displayName: string;
  readonly jobId: string;
  readonly createdAt: number;
  readyAt: number;
  /** SHA-256 of the seed file's bytes as they arrived: a test compares it with what the client read from disk. */
  readonly seedSha256: string;
  readonly seedBytes: number;
  readonly cleaned?: CleanedSeed;
  readonly failure?: string;
  deletedAt?: number;
}

export interface Generation {
  readonly id: string;
  readonly accountId: string;
  readonly datasetId: string;
  readonly jobId: string;
  readonly createdAt: number;
  readyAt: number;
  readonly rowCount: number;
  readonly format: OutputFormat;
  readonly columns: CleanedSeed['columns'];
  readonly rows: (string | number)[][];
  readonly partialReason?: string;
  artifact?: Buffer;
  /** Enterprise mode: the object key once written to the S3 front's bucket. */
  s3Key?: string;
}

export interface Job {
  readonly id: string;
  readonly accountId: string;
  readonly kind: 'training' | 'generation';
  readonly createdAt: number;
  readonly datasetId?: string;
  readonly generationId?: string;
}

export interface StoredResponse {
  readonly fingerprint: string;
  readonly status: number;
  readonly body: unknown;
  readonly at: number;
}

export class SimulacraWorld {
  readonly ids: SimulacraIds;
  readonly clients: SimulacraClients;
  readonly accounts = new Map<string, Account>();
  readonly clientRecords = new Map<string, Client>();
  readonly signups = new Map<string, Signup>();
  readonly claims = new Map<string, Claim>();
  readonly datasets = new Map<string, Dataset>();
  readonly generations = new Map<string, Generation>();
  readonly jobs = new Map<string, Job>();
  readonly artifactTokens = new Map<string, { generationId: string; expiresAt: number }>();
  readonly idempotency = new Map<string, StoredResponse>();
  readonly stats = { signups_created: 0, claims_redeemed: 0, rotations: 0, datasets_created: 0, generations_created: 0, rows_generated: 0, idempotent_replays: 0, responses_lost: 0 };
  /** Sandbox-only fault: POSTs under these path prefixes do their work, then lose the response (connection reset). */
  readonly loseResponses: { pathPrefix: string; remaining: number }[] = [];
  /** Sandbox-only: approve new signups automatically this long after they arrive (undefined = wait for an operator). */
  autoApproveAfterMs: number | undefined;

  constructor(readonly ctx: SandboxContext) {
    this.ids = new SimulacraIds(ctx.seed);
    this.clients = simulacraClientsFor(ctx.clock);
    const dev = ctx.credentials.simulacra;
    const account: Account = { id: 'acct_sandbox_dev', company: 'Sandbox Dev Co', rowQuota: P.devRowQuota, rowsUsed: 0, storageMode: 'managed' };
    this.accounts.set(account.id, account);
    this.clientRecords.set(dev.clientId, { clientId: dev.clientId, accountId: account.id, rotations: [] });
    if (!this.clients.has(dev.clientId)) this.clients.set(dev.clientId, dev.clientSecret);
  }

  now(): number {
    return this.ctx.clock.now();
  }

  /** Applies automatic approvals that have fallen due. */
  advance(): void {
    if (this.autoApproveAfterMs === undefined) return;
    for (const signup of this.signups.values()) {
      if (signup.status === 'pending' && this.now() >= signup.createdAt + this.autoApproveAfterMs) this.approve(signup);
    }
  }

  approve(signup: Signup): void {
    if (signup.status !== 'pending') return;
    const account: Account = { id: this.ids.next('acct_', 16), company: signup.company, rowQuota: P.defaultRowQuota, rowsUsed: 0, storageMode: 'managed' };
    this.accounts.set(account.id, account);
    const clientId = this.ids.next('', 32);
    this.clientRecords.set(clientId, { clientId, accountId: account.id, rotations: [] });
    // The secret exists at Auth0 from now on, but is only revealed by the claim.
    this.clients.set(clientId, this.newSecret());
    signup.status = 'approved';
    signup.decidedAt = this.now();
    signup.clientId = clientId;
    signup.claimToken = this.newClaim(clientId).token;
  }

  decline(signup: Signup): void {
    if (signup.status !== 'pending') return;
    signup.status = 'declined';
    signup.decidedAt = this.now();
  }

  newClaim(clientId: string): Claim {
    const claim: Claim = { token: this.ids.next('sct_', 40), clientId, expiresAt: this.now() + P.claimTokenMs };
    this.claims.set(claim.token, claim);
    return claim;
  }

  /** "a single high-entropy ~64-character string with no dots". */
  newSecret(): string {
    return this.ids.next('', 64);
  }

  /** Rotates at "Auth0": the old secret stops minting tokens now; the new one is revealed by the returned claim. */
  rotate(client: Client): Claim {
    client.rotations.push(this.now());
    this.clients.set(client.clientId, this.newSecret());
    this.stats.rotations++;
    return this.newClaim(client.clientId);
  }

  /** The secret a claim reveals: the client's current one. */
  currentSecret(clientId: string): string {
    return this.clients.secretOf(clientId) ?? '';
  }

  datasetStatus(d: Dataset): 'training' | 'ready' | 'failed' | 'deleted' | 'expired' {
    if (d.deletedAt !== undefined) return 'deleted';
    if (this.now() < d.readyAt) return 'training';
    if (d.failure) return 'failed';
    if (this.now() >= d.readyAt + P.retentionMs) return 'expired';
    return 'ready';
  }

  generationStatus(g: Generation): 'processing' | 'ready' | 'partial' | 'expired' {
    if (this.now() < g.readyAt) return 'processing';
    if (this.now() >= g.createdAt + P.retentionMs) return 'expired';
    return g.partialReason ? 'partial' : 'ready';
  }

  jobStatus(job: Job): 'queued' | 'running' | 'completed' | 'failed' | 'expired' | 'cancelled' {
    const now = this.now();
    if (job.kind === 'training') {
      const d = this.datasets.get(job.datasetId ?? '');
      if (!d) return 'failed';
      if (d.deletedAt !== undefined && d.deletedAt < d.readyAt) return 'cancelled';
      if (now < job.createdAt + P.queuedMs && now < d.readyAt) return 'queued';
      if (now < d.readyAt) return 'running';
      if (d.failure) return 'failed';
      return now >= d.readyAt + P.retentionMs ? 'expired' : 'completed';
    }
    const g = this.generations.get(job.generationId ?? '');
    if (!g) return 'failed';
    if (now < job.createdAt + P.queuedMs && now < g.readyAt) return 'queued';
    if (now < g.readyAt) return 'running';
    return now >= g.createdAt + P.retentionMs ? 'expired' : 'completed';
  }

  accountOfClient(clientId: string): Account | undefined {
    const record = this.clientRecords.get(clientId);
    return record && this.accounts.get(record.accountId);
  }

  /** Forgets idempotency records older than their window. */
  sweepIdempotency(): void {
    for (const [key, stored] of this.idempotency) if (this.now() >= stored.at + P.idempotencyMs) this.idempotency.delete(key);
  }
}
