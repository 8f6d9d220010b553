// Jobs as the API shows them. The list carries the reference's documented fields (with null where a time has not
// happened yet, so every item has the same keys); the full record adds everything that applies to this job and
// leaves out what does not (no python_script on an annotation job without one, no sweep_id outside a sweep).
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import { epochsCompleted, framesCompleted } from './SimulacrumJobs';
import { isTraining, type SimulacrumJob } from './SimulacrumJob';

export function isoTime(ms: number): string;
export function isoTime(ms: number | undefined): string | undefined;
export function isoTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function jobSummary(job: SimulacrumJob, now: number): Record<string, unknown> {
  return {
    job_id: job.jobId,
    status: job.status,
    frames_completed: framesCompleted(job, now),
    total_frames: job.numFrames,
    created_at: isoTime(job.createdAt),
    completed_at: isoTime(job.completedAt) ?? null,
  };
}

export function jobRecord(job: SimulacrumJob, now: number): Record<string, unknown> {
  const record: Record<string, unknown> = {
    job_id: job.jobId,
    status: job.status,
    render_mode: job.renderMode,
    project_id: job.projectId,
    assigned_node: job.assignedNode === undefined ? null : `node-${job.assignedNode}`,
    frames_completed: framesCompleted(job, now),
    total_frames: job.numFrames,
    resolution: job.resolution,
    python_script: job.pythonScript,
    python_args: job.pythonArgs,
    map_path: job.mapPath,
    sim_mode: job.simMode,
    require_gvisor: job.requireGvisor,
    created_at: isoTime(job.createdAt),
    started_at: isoTime(job.startedAt),
    completing_at: isoTime(job.completingAt),
    completed_at: isoTime(job.completedAt),
    failed_at: isoTime(job.failedAt),
    cancelled_at: isoTime(job.cancelledAt),
    gpu_seconds: Math.floor(job.gpuMs / 1000),
    cost_credits: Math.round(job.chargedCredits * 10_000) / 10_000,
    sweep_id: job.sweepId,
    parameters: job.parameters,
    epochs_completed: isTraining(job) ? epochsCompleted(job, now) : undefined,
    total_epochs: isTraining(job) ? P.trainingDurationMs / P.trainingEpochMs : undefined,
    error: job.error,
  };
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined));
}
