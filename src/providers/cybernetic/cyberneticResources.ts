import type { Resource, ResourceAction, ResourceStatus } from '../../core/jobs/Resource';
import type { CyberneticEnvironment, CyberneticEurekaRun, CyberneticJob, CyberneticSession } from './CyberneticApi';

// Sessions, reconstruction jobs and Eureka runs on the neutral model. Viewer URLs and artifact URLs are presigned
// credentials: they never reach `raw`, `details` or `facts` (only which artifacts exist).

const SESSION_STATUS: Readonly<Record<string, ResourceStatus>> = {
  queued: 'queued',
  provisioning: 'queued',
  starting: 'queued',
  running: 'running',
  stopping: 'stopping',
  stopped: 'succeeded',
  expired: 'succeeded',
  completed: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
};

const JOB_STATUS: Readonly<Record<string, ResourceStatus>> = {
  queued: 'queued',
  pending: 'queued',
  running: 'running',
  cancelling: 'stopping',
  canceling: 'stopping',
  completed: 'succeeded',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  canceled: 'cancelled',
};

export function sessionStatus(raw: string): ResourceStatus {
  return SESSION_STATUS[raw] ?? 'unknown';
}

export function jobStatus(raw: string): ResourceStatus {
  return JOB_STATUS[raw] ?? 'unknown';
}

/** "$1.23" (two decimals; sub-cent amounts as "<$0.01"). */
export function formatUsd(amount: number): string {
  if (amount > 0 && amount < 0.005) return '<$0.01';
  return `$${amount.toFixed(2)}`;
}

/** "3h 05m left", "12m left", "<1m left". */
export function formatTimeLeft(ms: number): string {
  if (ms < 60_000) return '<1m left';
  const minutes = Math.floor(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? `${hours}h ${String(minutes % 60).padStart(2, '0')}m left` : `${minutes}m left`;
}

function gpuName(gpu: CyberneticSession['gpu'] | string | null | undefined, spec?: string | null): string | undefined {
  if (typeof gpu === 'string' && gpu) return gpu;
  if (gpu && typeof gpu === 'object') return gpu.name ?? gpu.model ?? gpu.spec ?? spec ?? undefined;
  return spec ?? undefined;
}

function time(iso: string | null | undefined): number | undefined {
  if (!iso) return undefined;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : undefined;
}

/**
 * When the session will be stopped for its runtime cap: expiresAt, else start + maxRuntimeMinutes. Takes the record the
 * tree keeps (`Resource.raw`) too, so the viewer and the runtime warning use the same rule; undefined until it started.
 */
export function sessionEndsAt(session: Pick<CyberneticSession, 'expiresAt' | 'startedAt' | 'maxRuntimeMinutes'> | unknown): number | undefined {
  if (typeof session !== 'object' || session === null) return undefined;
  const times = session as { expiresAt?: unknown; startedAt?: unknown; maxRuntimeMinutes?: unknown };
  const expires = time(typeof times.expiresAt === 'string' ? times.expiresAt : undefined);
  if (expires !== undefined) return expires;
  const start = time(typeof times.startedAt === 'string' ? times.startedAt : undefined);
  return start !== undefined && typeof times.maxRuntimeMinutes === 'number' ? start + times.maxRuntimeMinutes * 60_000 : undefined;
}

/** Cost so far: the server's figure, else the hourly price times the running time. */
function sessionCost(session: CyberneticSession, now: number): number | undefined {
  // The reference shows only costEstimateUsd (0 at start) on a session: it is the metered cost so far.
  const reported = session.costSoFarUsd ?? session.costActualUsd ?? session.costEstimateUsd;
  if (typeof reported === 'number') return reported;
  const start = time(session.startedAt);
  if (start === undefined || typeof session.costPerHour !== 'number') return undefined;
  const end = time(session.stoppedAt ?? session.endedAt) ?? now;
  return (Math.max(0, end - start) / 3_600_000) * session.costPerHour;
}

/** The spec gives no stop reasons; these are the sandbox's words, and any other is shown as the service sent it. */
const STOP_REASONS: Readonly<Record<string, string>> = { user: 'stopped', max_runtime: 'stopped at its runtime limit', idle_timeout: 'stopped when idle' };

function endedWord(session: CyberneticSession): string {
  if (session.stopReason) return STOP_REASONS[session.stopReason] ?? `stopped (${session.stopReason})`;
  return session.status;
}

export function sessionToResource(session: CyberneticSession, now: number): Resource {
  const status = sessionStatus(session.status);
  const active = status !== 'succeeded' && status !== 'failed' && status !== 'cancelled';
  const gpu = gpuName(session.gpu, session.gpuSpec);
  const endsAt = sessionEndsAt(session);
  const cost = sessionCost(session, now);
  const facts: string[] = [];
  if (gpu) facts.push(gpu);
  if (active && status === 'running' && endsAt !== undefined) facts.push(formatTimeLeft(Math.max(0, endsAt - now)));
  if (cost !== undefined) facts.push(formatUsd(cost));
  const details: [string, string][] = [['Session', session.sessionId], ['Status', session.status]];
  if (gpu) details.push(['GPU', gpu]);
  if (typeof session.costPerHour === 'number') details.push(['Price', `${formatUsd(session.costPerHour)}/h`]);
  if (cost !== undefined) details.push(['Cost so far', formatUsd(cost)]);
  if (typeof session.maxRuntimeMinutes === 'number') details.push(['Max runtime', `${session.maxRuntimeMinutes} min`]);
  if (typeof session.idleTimeoutMinutes === 'number') details.push(['Idle timeout', `${session.idleTimeoutMinutes} min`]);
  if (session.envId) details.push(['Environment', session.envId]);
  if (session.stopReason) details.push(['Stopped by', session.stopReason]);
  if (session.error) details.push(['Error', session.error]);
  const actions: ResourceAction[] = active ? ['cancel', 'details'] : ['details'];
  return {
    provider: 'cybernetic',
    id: session.sessionId,
    kind: 'session',
    displayName: `Isaac Sim ${session.sessionId}`,
    status,
    rawStatus: session.status,
    // A session that ran its course stopped; it did not "complete" anything.
    statusLabel: status === 'succeeded' ? endedWord(session) : undefined,
    facts,
    createdAt: session.createdAt ?? undefined,
    startedAt: session.startedAt ?? undefined,
    finishedAt: session.stoppedAt ?? session.endedAt ?? undefined,
    actions,
    details,
    raw: withoutSecrets(session),
  };
}

export function reconstructionToResource(job: CyberneticJob): Resource {
  const status = jobStatus(job.status);
  const active = status !== 'succeeded' && status !== 'failed' && status !== 'cancelled';
  const artifacts = artifactNames(job.artifacts);
  const cost = job.costActualUsd ?? undefined;
  // The reference names no GPU field for jobs; the sandbox (like sessions) says gpuSpec, and the pipeline stage.
  const gpu = job.gpu ?? stringField(job, 'gpuSpec');
  const stage = status === 'running' ? stringField(job, 'stage') : undefined;
  const estimatedMinutes = numberField(job, 'estimatedRuntimeMinutes');
  const facts: string[] = [];
  if (stage) facts.push(stage);
  if (gpu) facts.push(gpu);
  if (typeof cost === 'number') facts.push(formatUsd(cost));
  else if (typeof job.costEstimateUsd === 'number') facts.push(`~${formatUsd(job.costEstimateUsd)}`);
  const details: [string, string][] = [['Job', job.jobId], ['Status', job.status]];
  if (job.inputKind) details.push(['Input', job.inputKind]);
  if (gpu) details.push(['GPU', gpu]);
  if (stage) details.push(['Stage', stage]);
  if (estimatedMinutes !== undefined) details.push(['Estimated runtime', `${estimatedMinutes} min`]);
  if (typeof job.costEstimateUsd === 'number') details.push(['Estimated cost', formatUsd(job.costEstimateUsd)]);
  if (typeof cost === 'number') details.push(['Cost', formatUsd(cost)]);
  if (artifacts.length > 0) details.push(['Artifacts', artifacts.join(', ')]);
  if (job.error) details.push(['Error', job.error]);
  const actions: ResourceAction[] = [];
  if (active) actions.push('cancel');
  if (artifacts.some((name) => name !== 'logs')) actions.push('download');
  if (artifacts.includes('logs')) actions.push('log');
  actions.push('details');
  return {
    provider: 'cybernetic',
    id: job.jobId,
    kind: 'reconstruction',
    displayName: `Reconstruction ${job.jobId}`,
    status,
    rawStatus: job.status,
    facts,
    createdAt: job.createdAt ?? undefined,
    startedAt: job.startedAt ?? undefined,
    finishedAt: job.completedAt ?? undefined,
    actions,
    details,
    raw: withoutSecrets(job),
  };
}

export function eurekaRunToResource(run: CyberneticEurekaRun): Resource {
  const status = jobStatus(run.status);
  const active = status !== 'succeeded' && status !== 'failed' && status !== 'cancelled';
  const iteration = run.currentIteration ?? 0;
  const total = run.maxTrainingIterations ?? undefined;
  const facts: string[] = [];
  if (run.gpu) facts.push(run.gpu);
  // With a total the iteration is the row's progress text already.
  if (total === undefined && run.currentIteration !== undefined && run.currentIteration !== null) facts.push(`iteration ${iteration}`);
  if (typeof run.bestReward === 'number') facts.push(`best reward ${formatReward(run.bestReward)}`);
  const cost = run.costActualUsd ?? run.costUsd;
  if (typeof cost === 'number') facts.push(formatUsd(cost));
  const details: [string, string][] = [['Run', run.jobId], ['Status', run.status]];
  if (run.taskId) details.push(['Task', run.taskId]);
  if (run.rlLibrary) details.push(['RL library', run.rlLibrary]);
  if (total !== undefined) details.push(['Iteration', `${iteration}/${total}`]);
  if (typeof run.numParallelRuns === 'number') details.push(['Parallel candidates', String(run.numParallelRuns)]);
  if (typeof run.bestReward === 'number') details.push(['Best reward', formatReward(run.bestReward)]);
  if (typeof cost === 'number') details.push(['Cost', formatUsd(cost)]);
  if (run.notes) details.push(['Notes', run.notes]);
  if (run.error) details.push(['Error', run.error]);
  const actions: ResourceAction[] = [];
  if (active) actions.push('cancel');
  // A cancelled or failed run keeps what its finished iterations produced: the artifacts endpoint serves them once one
  // iteration is done (before that it refuses with artifacts_not_ready).
  const finishedSome = iteration >= 1 || typeof run.bestReward === 'number';
  if (status === 'succeeded' || ((status === 'cancelled' || status === 'failed') && finishedSome)) actions.push('download');
  actions.push('log', 'details');
  return {
    provider: 'cybernetic',
    id: run.jobId,
    kind: 'eureka-run',
    displayName: run.taskId ? `Eureka ${run.taskId}` : `Eureka ${run.jobId}`,
    status,
    rawStatus: run.status,
    progress: total ? { fraction: Math.min(1, Math.max(0, iteration / total)), text: `${iteration}/${total} iterations` } : undefined,
    facts,
    createdAt: run.createdAt ?? undefined,
    finishedAt: run.completedAt ?? undefined,
    actions,
    details,
    raw: withoutSecrets(run),
  };
}

function formatReward(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

function artifactNames(artifacts: Record<string, string | null | undefined> | null | undefined): string[] {
  return Object.entries(artifacts ?? {})
    .filter(([, url]) => typeof url === 'string' && url !== '')
    .map(([name]) => name);
}

/** The record without its presigned URLs: `access` (viewer URL) is dropped and artifacts keep only their names. */
export function withoutSecrets<T extends object>(record: T): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...(record as Record<string, unknown>) };
  if ('access' in copy) delete copy.access;
  if ('artifacts' in copy && copy.artifacts && typeof copy.artifacts === 'object') {
    copy.artifacts = artifactNames(copy.artifacts as Record<string, string | null | undefined>);
  }
  return copy;
}

type EnvironmentVersion = NonNullable<CyberneticEnvironment['versions']>[number];

/** The environment's id whichever name the service uses for it (`envId` in the sandbox, `id` elsewhere). */
export function environmentId(env: CyberneticEnvironment): string | undefined {
  return env.envId ?? env.id ?? undefined;
}

function versionId(version: EnvironmentVersion): string | undefined {
  return version.versionId ?? version.id ?? undefined;
}

/**
 * An environment as a row of the Jobs view, its versions as children (`parentId`). Environments do not run, so their
 * status is a settled one: they never keep the poller awake.
 */
export function environmentToResources(env: CyberneticEnvironment): Resource[] {
  const id = environmentId(env);
  if (!id) return [];
  const versions = (env.versions ?? []).filter((v) => versionId(v) !== undefined);
  const latest = versions.at(-1);
  const facts = [versions.length === 1 ? '1 version' : `${versions.length} versions`];
  if (latest?.rootStageRelpath) facts.push(latest.rootStageRelpath);
  const details: [string, string][] = [['Environment', id], ['Name', env.name]];
  if (env.description) details.push(['Description', env.description]);
  details.push(['Versions', String(versions.length)]);
  const latestId = latest && versionId(latest);
  if (latestId) details.push(['Latest version', latestId]);
  const createdAt = stringField(env, 'createdAt');
  const parent: Resource = {
    provider: 'cybernetic',
    id,
    kind: 'environment',
    displayName: env.name,
    status: 'succeeded',
    rawStatus: 'available',
    statusLabel: '',
    icon: 'package',
    facts,
    createdAt,
    actions: ['details'],
    details,
    raw: env,
  };
  return [parent, ...versions.map((version, index) => environmentVersionToResource(id, version, index + 1))];
}

function environmentVersionToResource(envId: string, version: EnvironmentVersion, position: number): Resource {
  const id = versionId(version) as string;
  const number = numberField(version, 'version') ?? position;
  const facts: string[] = [];
  if (version.rootStageRelpath) facts.push(version.rootStageRelpath);
  const session = stringField(version, 'sessionId');
  if (session) facts.push(`from ${session}`);
  if (version.notes) facts.push(version.notes);
  const details: [string, string][] = [['Version', id], ['Number', String(number)], ['Environment', envId]];
  if (version.rootStageRelpath) details.push(['Root stage', version.rootStageRelpath]);
  if (version.notes) details.push(['Notes', version.notes]);
  if (session) details.push(['Published from', session]);
  return {
    provider: 'cybernetic',
    id,
    kind: 'environment',
    displayName: `Version ${number}`,
    status: 'succeeded',
    rawStatus: 'available',
    statusLabel: '',
    icon: 'versions',
    facts,
    createdAt: version.createdAt ?? undefined,
    parentId: envId,
    actions: ['details'],
    details,
    raw: version,
  };
}

function stringField(record: object, name: string): string | undefined {
  const value = (record as Record<string, unknown>)[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function numberField(record: object, name: string): number | undefined {
  const value = (record as Record<string, unknown>)[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
