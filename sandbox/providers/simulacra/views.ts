// JSON shapes of the resources, as the guide's quickstarts read them (identifier fields are JSON strings).
import type { CleanedSeed } from './cleanSeed';
import { SIMULACRA_POLICY as P } from './simulacraPolicy';
import type { Dataset, Generation, Job, Signup, SimulacraWorld } from './SimulacraWorld';

export const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

export function signupView(world: SimulacraWorld, s: Signup): Record<string, unknown> {
  const claim = s.claimToken ? world.claims.get(s.claimToken) : undefined;
  const claimable = claim && claim.usedAt === undefined && world.now() < claim.expiresAt;
  return {
    request_id: s.requestId,
    status: s.status,
    company_name: s.company,
    contact_email: s.email,
    created_at: iso(s.createdAt),
    decided_at: iso(s.decidedAt),
    ...(s.status === 'approved'
      ? { client_id: s.clientId, credential_claim_token: claimable ? claim.token : null, claim_expires_at: claimable ? iso(claim.expiresAt) : null, credential_claimed: claim?.usedAt !== undefined }
      : {}),
  };
}

export function datasetView(world: SimulacraWorld, d: Dataset): Record<string, unknown> {
  const status = world.datasetStatus(d);
  const done = status !== 'training';
  return {
    dataset_id: d.id,
    display_name: d.displayName,
    status,
    job_id: d.jobId,
    row_count: done && d.cleaned ? d.cleaned.rows.length : null,
    source_row_count: d.cleaned?.sourceRows ?? null,
    column_count: done && d.cleaned ? d.cleaned.columns.length : null,
    created_at: iso(d.createdAt),
    ready_at: done && !d.failure ? iso(d.readyAt) : null,
    expires_at: iso(d.readyAt + P.retentionMs),
    ...(done && d.failure ? { error: { code: 'simio_training_failed', detail: d.failure } } : {}),
  };
}

export function schemaView(d: Dataset, cleaned: CleanedSeed): Record<string, unknown> {
  return {
    dataset_id: d.id,
    row_count: cleaned.rows.length,
    source_row_count: cleaned.sourceRows,
    schema: cleaned.columns.map((c) =>
      c.kind === 'categorical'
        ? { name: c.name, source_name: c.sourceName, type: 'categorical', levels: c.levels, level_counts: c.counts }
        : { name: c.name, source_name: c.sourceName, type: 'numeric', integer: c.integer, min: c.min, max: c.max },
    ),
    dropped_columns: cleaned.droppedColumns,
    dropped_levels: cleaned.droppedLevels,
  };
}

export function generationView(world: SimulacraWorld, g: Generation, artifact?: { url: string; expiresAt: number }): Record<string, unknown> {
  const status = world.generationStatus(g);
  const done = status === 'ready' || status === 'partial';
  return {
    generation_id: g.id,
    dataset_id: g.datasetId,
    job_id: g.jobId,
    status,
    row_count: g.rowCount,
    rows_generated: done ? g.rows.length : null,
    output_format: g.format,
    artifact_url: done && artifact ? artifact.url : null,
    artifact_expires_at: done && artifact ? iso(artifact.expiresAt) : null,
    created_at: iso(g.createdAt),
    completed_at: done ? iso(g.readyAt) : null,
    expires_at: iso(g.createdAt + P.retentionMs),
    ...(done && g.partialReason ? { partial_reason: g.partialReason } : {}),
  };
}

export function jobView(world: SimulacraWorld, job: Job): Record<string, unknown> {
  const status = world.jobStatus(job);
  const dataset = job.datasetId ? world.datasets.get(job.datasetId) : undefined;
  const generation = job.generationId ? world.generations.get(job.generationId) : undefined;
  const readyAt = job.kind === 'training' ? dataset?.readyAt : generation?.readyAt;
  return {
    job_id: job.id,
    kind: job.kind,
    status,
    created_at: iso(job.createdAt),
    completed_at: status === 'completed' || status === 'failed' || status === 'expired' ? iso(readyAt) : null,
    ...(status === 'completed' && job.kind === 'training' ? { dataset_id: job.datasetId } : {}),
    ...(status === 'completed' && job.kind === 'generation' ? { generation_id: job.generationId, dataset_id: job.datasetId } : {}),
    ...(status === 'failed' && dataset?.failure ? { error: { code: 'simio_training_failed', detail: dataset.failure } } : {}),
  };
}
