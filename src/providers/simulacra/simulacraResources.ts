import { formatDuration } from '../../core/http/errorMessage';
import type { Resource, ResourceAction, ResourceStatus } from '../../core/jobs/Resource';
import type { ProviderId } from '../../core/providers/providerCatalog';
import { generationKey, type DatasetRecord, type GenerationRecord } from './SimulacraRecords';

const PROVIDER: ProviderId = 'simulacra';

/** "Trained-dataset and generation artifacts default to 24-hour retention." */
export const DEFAULT_RETENTION_MS = 24 * 60 * 60_000;

const STATUS_MAP: Readonly<Record<string, ResourceStatus>> = {
  pending: 'queued',
  queued: 'queued',
  processing: 'running',
  training: 'running',
  running: 'running',
  ready: 'succeeded',
  completed: 'succeeded',
  partial: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  // Gone from the API surface: terminal, not a failure of the user's work.
  expired: 'cancelled',
  deleted: 'cancelled',
};

/** The API's status word → the neutral one; a word the guide does not list is 'unknown', never an error. */
export function toResourceStatus(status: string): ResourceStatus {
  return Object.hasOwn(STATUS_MAP, status) ? STATUS_MAP[status] : 'unknown';
}

/** When retention ends: the server's expires_at, else 24 h after creation. Undefined without a usable time. */
export function retentionEndsAt(record: { createdAt: string; expiresAt?: string }): number | undefined {
  const expires = record.expiresAt ? Date.parse(record.expiresAt) : Number.NaN;
  if (Number.isFinite(expires)) return expires;
  const created = Date.parse(record.createdAt);
  return Number.isFinite(created) ? created + DEFAULT_RETENTION_MS : undefined;
}

/** "expires in 5 hours" / "expired" / undefined (no time known). */
export function retentionFact(record: { createdAt: string; expiresAt?: string }, now: number): string | undefined {
  const endsAt = retentionEndsAt(record);
  if (endsAt === undefined) return undefined;
  return endsAt <= now ? 'expired' : `expires in ${formatDuration(endsAt - now)}`;
}

function isExpired(record: { createdAt: string; expiresAt?: string; status: string }, now: number): boolean {
  if (record.status === 'expired' || record.status === 'deleted') return true;
  const endsAt = retentionEndsAt(record);
  return endsAt !== undefined && endsAt <= now;
}

/** The status word shown: the record's, or `expired` once retention has passed on the client's clock. */
function effectiveStatus(record: { createdAt: string; expiresAt?: string; status: string }, now: number): string {
  const neutral = toResourceStatus(record.status);
  return isExpired(record, now) && (neutral === 'succeeded' || neutral === 'unknown') ? 'expired' : record.status;
}

/** Whether a dataset can be deleted (the neutral ResourceAction set has no 'delete' yet: the UI asks this). */
export function canDeleteDataset(record: DatasetRecord, now: number): boolean {
  return !isExpired(record, now) && record.status !== 'deleted';
}

export function toDatasetResource(record: DatasetRecord, now: number): Resource {
  const rawStatus = effectiveStatus(record, now);
  const retention = rawStatus === 'expired' ? 'expired' : retentionFact(record, now);
  const facts = [record.fileName, retention].filter((fact): fact is string => Boolean(fact));
  const details: [string, string][] = [['Dataset id', record.datasetId]];
  if (record.jobId) details.push(['Training job id', record.jobId]);
  if (record.displayName) details.push(['Display name', record.displayName]);
  if (record.fileName) details.push(['Seed file', record.fileName]);
  details.push(['Status', rawStatus], ['Created', record.createdAt]);
  const endsAt = retentionEndsAt(record);
  if (endsAt !== undefined) details.push(['Retention ends', `${new Date(endsAt).toISOString()}${retention ? ` (${retention})` : ''}`]);
  details.push(['Added', record.origin === 'upload' ? 'uploaded from Sim Cloud' : 'added by id']);
  if (record.error) details.push(['Error', record.error]);
  return {
    provider: PROVIDER,
    id: record.datasetId,
    kind: 'dataset',
    displayName: record.displayName ?? record.fileName ?? record.datasetId,
    status: toResourceStatus(rawStatus),
    rawStatus,
    facts,
    createdAt: record.createdAt,
    actions: ['details'],
    details,
    raw: record,
  };
}

/** "1,234 of 5,000 rows" (generated of requested), when known. */
export function rowsFact(record: GenerationRecord): string | undefined {
  const format = (n: number) => n.toLocaleString('en-US');
  if (record.rowsGenerated !== undefined && record.rowsRequested !== undefined) return `${format(record.rowsGenerated)} of ${format(record.rowsRequested)} rows`;
  if (record.rowsRequested !== undefined) return `${format(record.rowsRequested)} rows requested`;
  if (record.rowsGenerated !== undefined) return `${format(record.rowsGenerated)} rows`;
  return undefined;
}

export const PARTIAL_FACT = 'partial: fewer rows were feasible';

export function toGenerationResource(record: GenerationRecord, now: number): Resource {
  const rawStatus = effectiveStatus(record, now);
  const expired = rawStatus === 'expired';
  const retention = expired ? 'expired' : retentionFact(record, now);
  const rows = rowsFact(record);
  const partial = record.status === 'partial' || (record.rowsGenerated !== undefined && record.rowsRequested !== undefined && record.rowsGenerated < record.rowsRequested && toResourceStatus(record.status) === 'succeeded');
  const facts = [rows, partial ? PARTIAL_FACT : undefined, retention].filter((fact): fact is string => Boolean(fact));
  const actions: ResourceAction[] = [];
  if (!expired && (record.status === 'ready' || record.status === 'partial') && record.hasArtifact) actions.push('download');
  actions.push('details');
  const key = generationKey(record);
  const details: [string, string][] = [];
  if (record.generationId) details.push(['Generation id', record.generationId]);
  if (record.jobId) details.push(['Job id', record.jobId]);
  details.push(['Dataset id', record.datasetId], ['Status', rawStatus]);
  if (rows) details.push(['Rows', rows]);
  if (partial) details.push(['Partial', 'The scenario was valid but fewer rows were feasible than requested; usage is billed on generated rows. Check the row count before using the artifact.']);
  if (partial && record.partialReason) details.push(['Partial reason', record.partialReason]);
  if (record.outputFormat) details.push(['Format', record.outputFormat]);
  if (record.scenarioName) details.push(['Scenario', record.scenarioName]);
  details.push(['Created', record.createdAt]);
  const endsAt = retentionEndsAt(record);
  if (endsAt !== undefined) details.push(['Retention ends', `${new Date(endsAt).toISOString()}${retention ? ` (${retention})` : ''}`]);
  if (record.error) details.push(['Error', record.error]);
  const progress = record.rowsGenerated !== undefined && record.rowsRequested ? { fraction: Math.min(1, record.rowsGenerated / record.rowsRequested), text: rows } : undefined;
  return {
    provider: PROVIDER,
    id: key,
    kind: 'generation',
    displayName: record.scenarioName ? `${record.scenarioName} (${record.generationId ?? 'pending'})` : (record.generationId ?? `generation (job ${record.jobId ?? '?'})`),
    status: toResourceStatus(rawStatus),
    rawStatus,
    progress,
    facts,
    createdAt: record.createdAt,
    parentId: record.datasetId,
    actions,
    details,
    raw: record,
  };
}

/** Every record as a Resource; generations whose dataset is not recorded still show (as roots, JobStore.roots). */
export function toResources(datasets: readonly DatasetRecord[], generations: readonly GenerationRecord[], now: number): Resource[] {
  return [...datasets.map((record) => toDatasetResource(record, now)), ...generations.map((record) => toGenerationResource(record, now))];
}
