import { describeStatus } from '../../core/http/schema';
import { TERMINAL_STATUSES, type Resource, type ResourceAction, type ResourceProgress, type ResourceStatus } from '../../core/jobs/Resource';
import type { ProviderId } from '../../core/providers/providerCatalog';
import { SIMULACRUM_JOB_STATUSES, type SimulacrumJob } from './SimulacrumApi';
import type { SimulacrumSweepRecord } from './SimulacrumSweepRecords';

const PROVIDER: ProviderId = 'simulacrum';

const STATUS_MAP: Readonly<Record<string, ResourceStatus>> = {
  queued: 'queued',
  running: 'running',
  completing: 'stopping',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

/** Simulacrum's status word → the neutral one; a word the reference does not list is 'unknown', never an error. */
export function toResourceStatus(status: string): ResourceStatus {
  return Object.hasOwn(STATUS_MAP, status) ? STATUS_MAP[status] : 'unknown';
}

/**
 * Training and Docker Only jobs have no frames (num_frames 0) and can be stopped gracefully (complete). When the
 * record omits the mode, frames tell: an annotation job always renders some.
 */
export function isTrainingJob(job: SimulacrumJob): boolean {
  const frames = job.num_frames ?? job.total_frames ?? 0;
  if (job.render_mode) return job.render_mode !== 'annotations' && frames === 0;
  return job.total_frames === 0 || job.num_frames === 0;
}

/** The short mode label for the tree: "annotations", "training", "docker", "run as is" (with frames). */
export function modeLabel(job: SimulacrumJob): string | undefined {
  switch (job.render_mode) {
    case undefined:
    case null:
      return isTrainingJob(job) ? 'training' : undefined;
    case 'annotations':
      return 'annotations';
    case 'docker_only':
      return 'docker';
    case 'run_as_is':
      return isTrainingJob(job) ? 'training' : 'run as is';
    default:
      return job.render_mode;
  }
}

/** Where a job sits in a sweep, when it is a variant. */
export interface VariantPosition {
  readonly sweepId: string;
  /** n in v<n>. */
  readonly index: number | undefined;
}

/** Maps one job record onto the neutral model. */
export function toResource(job: SimulacrumJob, variant?: VariantPosition): Resource {
  const status = toResourceStatus(job.status);
  const mode = modeLabel(job);
  const facts = [mode, job.assigned_node ?? undefined].filter((fact): fact is string => Boolean(fact));
  return {
    provider: PROVIDER,
    id: job.job_id,
    kind: 'job',
    displayName: variant ? variantName(job, variant) : job.job_id,
    status,
    rawStatus: job.status,
    progress: frameProgress(job),
    facts,
    createdAt: job.created_at ?? undefined,
    startedAt: job.started_at ?? undefined,
    finishedAt: job.completed_at ?? undefined,
    parentId: variant?.sweepId,
    actions: jobActions(job),
    details: jobDetails(job, mode, variant),
    raw: job,
  };
}

function jobActions(job: SimulacrumJob): ResourceAction[] {
  const actions: ResourceAction[] = [];
  if (job.status === 'queued' || job.status === 'running') actions.push('cancel');
  if (job.status === 'running' && isTrainingJob(job)) actions.push('complete');
  if (job.status === 'completed') actions.push('download');
  actions.push('log', 'details');
  return actions;
}

/** Frames for annotation jobs; epochs for training jobs when the server reports them (it need not). */
function frameProgress(job: SimulacrumJob): ResourceProgress | undefined {
  const total = job.total_frames ?? undefined;
  if (total !== undefined && total > 0) {
    const done = job.frames_completed ?? (job.status === 'completed' ? total : 0);
    return { fraction: clamp01(done / total), text: `${done}/${total} frames` };
  }
  const epochs = job.total_epochs ?? undefined;
  if (epochs !== undefined && epochs > 0 && typeof job.epochs_completed === 'number') {
    return { fraction: clamp01(job.epochs_completed / epochs), text: `${job.epochs_completed}/${epochs} epochs` };
  }
  return undefined;
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

/** "v2 lr=0.01 batch_size=32" when the server names the variant's parameters, else "v2 · <job id>". */
function variantName(job: SimulacrumJob, variant: VariantPosition): string {
  const label = variant.index === undefined ? undefined : `v${variant.index}`;
  const parameters = job.parameters ? Object.entries(job.parameters).map(([name, value]) => `${name}=${formatValue(value)}`) : [];
  if (label && parameters.length > 0) return `${label} ${parameters.join(' ')}`;
  if (label) return `${label} · ${job.job_id}`;
  return job.job_id;
}

const DETAIL_LABELS: readonly (readonly [keyof SimulacrumJob & string, string])[] = [
  ['job_id', 'Job id'],
  ['status', 'Status'],
  ['render_mode', 'Render mode'],
  ['project_id', 'Project'],
  ['assigned_node', 'Node'],
  ['frames_completed', 'Frames completed'],
  ['total_frames', 'Total frames'],
  ['num_frames', 'Frames requested'],
  ['resolution', 'Resolution'],
  ['python_script', 'Script'],
  ['python_args', 'Arguments'],
  ['map_path', 'Map'],
  ['sim_mode', 'Sim mode'],
  ['require_gvisor', 'gVisor'],
  ['sweep_id', 'Sweep'],
  ['parameters', 'Parameters'],
  ['epochs_completed', 'Epochs completed'],
  ['total_epochs', 'Total epochs'],
  ['created_at', 'Created'],
  ['started_at', 'Started'],
  ['completed_at', 'Completed'],
  ['error', 'Error'],
];
const LABELLED = new Set<string>(DETAIL_LABELS.map(([field]) => field));

/** Every field of the record: the documented ones labelled and in a stable order, then anything new the server sent. */
function jobDetails(job: SimulacrumJob, mode: string | undefined, variant: VariantPosition | undefined): [string, string][] {
  const details: [string, string][] = [];
  const record = job as Record<string, unknown>;
  for (const [field, label] of DETAIL_LABELS) {
    const value = record[field];
    if (field === 'status') details.push([label, describeStatus(job.status, SIMULACRUM_JOB_STATUSES)]);
    else if (value !== undefined && value !== null) details.push([label, formatValue(value)]);
    if (field === 'render_mode' && mode) details.push(['Mode', mode]);
  }
  if (variant && job.sweep_id == null) details.push(['Sweep', variant.sweepId]);
  if (variant?.index !== undefined) details.push(['Variant', `v${variant.index}`]);
  for (const [field, value] of Object.entries(record)) {
    if (!LABELLED.has(field) && value !== undefined && value !== null) details.push([field, formatValue(value)]);
  }
  return details;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The neutral status of a sweep from its variants' statuses. */
export function sweepStatus(statuses: readonly ResourceStatus[]): ResourceStatus {
  if (statuses.length === 0) return 'unknown';
  const has = (status: ResourceStatus) => statuses.includes(status);
  if (statuses.some((status) => !TERMINAL_STATUSES.has(status))) {
    if (has('running')) return 'running';
    if (has('stopping')) return 'stopping';
    if (has('queued')) return 'queued';
    return 'unknown';
  }
  if (statuses.every((status) => status === 'succeeded')) return 'succeeded';
  return has('failed') ? 'failed' : 'cancelled';
}

const SWEEP_RAW_STATUS: Readonly<Record<ResourceStatus, string>> = {
  queued: 'queued',
  running: 'running',
  stopping: 'completing',
  succeeded: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  unknown: 'unknown',
};

/**
 * The synthesized parent of a sweep's variants: there is no sweep record in the API, so its status, progress and
 * times come from the variants (and from what Sim Cloud recorded at submission, when it has that).
 */
export function toSweepResource(sweepId: string, variants: readonly Resource[], record?: SimulacrumSweepRecord): Resource {
  const status = sweepStatus(variants.map((variant) => variant.status));
  const total = Math.max(record?.variantJobIds.length ?? 0, variants.length);
  const done = variants.filter((variant) => TERMINAL_STATUSES.has(variant.status)).length;
  const createdAt = record?.createdAt ?? earliest(variants.map((variant) => variant.createdAt));
  const finished = status !== 'unknown' && TERMINAL_STATUSES.has(status) && done === total ? latest(variants.map((variant) => variant.finishedAt)) : undefined;
  const counts = countStatuses(variants);
  const details: [string, string][] = [
    ['Sweep id', sweepId],
    ['Status', SWEEP_RAW_STATUS[status]],
    ['Variants', String(total)],
    ['Variant statuses', counts],
  ];
  if (record) {
    details.push(['Parameter grid', JSON.stringify(record.parameterGrid)]);
    if (record.pythonScript) details.push(['Script', record.pythonScript]);
    if (record.projectId) details.push(['Project', record.projectId]);
    details.push(['Submitted', record.createdAt]);
  }
  details.push(['Variant job ids', (record?.variantJobIds ?? variants.map((variant) => variant.id)).join(', ')]);
  return {
    provider: PROVIDER,
    id: sweepId,
    kind: 'sweep',
    displayName: sweepId,
    status,
    rawStatus: SWEEP_RAW_STATUS[status],
    progress: total > 0 ? { fraction: done / total, text: `${done}/${total} variants done` } : undefined,
    facts: ['sweep', `${total} variant${total === 1 ? '' : 's'}`],
    createdAt,
    finishedAt: finished,
    actions: variants.some((variant) => variant.actions.includes('cancel')) ? ['cancel', 'details'] : ['details'],
    details,
    raw: record ?? { sweep_id: sweepId, variant_job_ids: variants.map((variant) => variant.id) },
  };
}

/**
 * A whole listing onto the neutral model: every job, with sweep variants parented to a synthesized sweep resource.
 * A job belongs to a sweep when its record names one (sweep_id) or when a persisted submission lists it. Linear in
 * the number of jobs plus recorded variants.
 */
export function toResources(jobs: readonly SimulacrumJob[], sweeps: readonly SimulacrumSweepRecord[] = []): Resource[] {
  const recorded = new Map<string, VariantPosition>();
  const records = new Map<string, SimulacrumSweepRecord>();
  for (const record of sweeps) {
    records.set(record.sweepId, record);
    record.variantJobIds.forEach((jobId, index) => {
      if (!recorded.has(jobId)) recorded.set(jobId, { sweepId: record.sweepId, index });
    });
  }
  const resources: Resource[] = [];
  const variantsBySweep = new Map<string, Resource[]>();
  for (const job of jobs) {
    const variant = variantPosition(job, recorded);
    const resource = toResource(job, variant);
    resources.push(resource);
    if (variant) {
      let group = variantsBySweep.get(variant.sweepId);
      if (!group) variantsBySweep.set(variant.sweepId, (group = []));
      group.push(resource);
    }
  }
  for (const [sweepId, variants] of variantsBySweep) resources.push(toSweepResource(sweepId, variants, records.get(sweepId)));
  return resources;
}

function variantPosition(job: SimulacrumJob, recorded: ReadonlyMap<string, VariantPosition>): VariantPosition | undefined {
  const known = recorded.get(job.job_id);
  const sweepId = job.sweep_id || known?.sweepId;
  if (!sweepId) return undefined;
  if (known && known.sweepId === sweepId) return known;
  // Not recorded here (submitted from elsewhere): the reference's example ids end in "-v<n>".
  const match = /-v(\d+)$/.exec(job.job_id);
  return { sweepId, index: match ? Number(match[1]) : undefined };
}

function countStatuses(variants: readonly Resource[]): string {
  const counts = new Map<string, number>();
  for (const variant of variants) counts.set(variant.rawStatus, (counts.get(variant.rawStatus) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count} ${status}`).join(', ') || 'none listed';
}

function earliest(times: readonly (string | undefined)[]): string | undefined {
  return pick(times, (a, b) => a < b);
}

function latest(times: readonly (string | undefined)[]): string | undefined {
  return pick(times, (a, b) => a > b);
}

function pick(times: readonly (string | undefined)[], better: (a: number, b: number) => boolean): string | undefined {
  let best: string | undefined;
  let bestTime = Number.NaN;
  for (const time of times) {
    if (time === undefined) continue;
    const parsed = Date.parse(time);
    if (Number.isNaN(parsed)) continue;
    if (best === undefined || better(parsed, bestTime)) {
      best = time;
      bestTime = parsed;
    }
  }
  return best;
}
