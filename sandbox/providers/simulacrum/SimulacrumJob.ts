// One job as the sandbox keeps it. Times are virtual epoch ms; the API views (jobView.ts) turn them into ISO strings
// and drop what does not apply.

export type JobStatus = 'queued' | 'running' | 'completing' | 'completed' | 'failed' | 'cancelled';
export type RenderMode = 'annotations' | 'run_as_is' | 'docker_only';
export type SimMode = 'ComputerVision' | 'Multirotor' | 'Car';
export type ParameterValue = string | number | boolean;

/** What a client asked for (POST /api/jobs/render, or one variant of a sweep). */
export interface JobSpec {
  projectId: string;
  renderMode: RenderMode;
  numFrames: number;
  resolution: string;
  pythonScript?: string;
  pythonArgs?: string;
  mapPath?: string;
  simMode: SimMode;
  requireGvisor: boolean;
  sweepId?: string;
  parameters?: Record<string, ParameterValue>;
}

export interface SimulacrumJob extends JobSpec {
  readonly jobId: string;
  readonly tenant: string;
  readonly accountKey: string;
  /** Creation order, the queue's FIFO order and the tie-break for "newest first". */
  readonly seq: number;
  status: JobStatus;
  createdAt: number;
  /** GPU node number while the job holds one (from dispatch until it ends). */
  node?: number;
  /** The node it was given, kept after it ends so the record still says where it ran. */
  assignedNode?: number;
  /** When a job holding a node leaves `queued` for `running`. */
  dispatchAt?: number;
  startedAt?: number;
  completingAt?: number;
  completedAt?: number;
  failedAt?: number;
  cancelledAt?: number;
  error?: string;
  gpuMs: number;
  chargedCredits: number;
}

export const TERMINAL: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

/** Training (and Docker Only) jobs have no frames: they run for a fixed time and may be stopped early. */
export function isTraining(job: JobSpec): boolean {
  return job.renderMode !== 'annotations' && job.numFrames === 0;
}
