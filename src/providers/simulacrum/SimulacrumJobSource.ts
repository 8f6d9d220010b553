import type { JobStore } from '../../core/jobs/JobStore';
import type { PollOutcome } from '../../core/jobs/Poller';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import { systemClock, type Clock } from '../../core/util/clock';
import type { RenderRequest, SimulacrumApi, SimulacrumJob, SimulacrumJobStatusResponse, SimulacrumSubmittedJob, SimulacrumSweepResponse, SweepRequest } from './SimulacrumApi';
import type { SimulacrumSweepRecords } from './SimulacrumSweepRecords';
import { toResources } from './simulacrumResources';

export interface SimulacrumJobSourceOptions {
  api: SimulacrumApi;
  store: JobStore;
  sweeps: SimulacrumSweepRecords;
  clock?: Clock;
  logger?: Logger;
  /**
   * How long a job Sim Cloud just submitted is kept in the store although a listing lacks it: a list call that
   * started before the submission answered may not show it yet, and the job must not blink out of the tree.
   * Default 2 minutes.
   */
  graceMs?: number;
}

interface LocalJob {
  record: SimulacrumJob;
  /** Client clock, ms. */
  addedAt: number;
}

/**
 * Feeds the JobStore from Simulacrum: one `GET /api/jobs?full=1` per poll cycle whatever the number of jobs (per-job
 * GETs would use up the 60 requests a minute at 60 jobs, DESIGN "Performance facts"), and the results of the user's
 * own submissions at once, before the next poll. Give `poll` to a Poller; call the `after*` methods from commands.
 */
export class SimulacrumJobSource {
  private readonly clock: Clock;
  private readonly graceMs: number;
  /** Submitted here and not yet seen in a listing, by job id. */
  private readonly local = new Map<string, LocalJob>();
  /** The last listing (plus local records), so an after* call can regroup without a network call. */
  private lastJobs: SimulacrumJob[] = [];
  /** The last listing exactly as the server gave it: what the window polling for others shares with them. */
  private lastListed: readonly SimulacrumJob[] = [];

  constructor(private readonly options: SimulacrumJobSourceOptions) {
    this.clock = options.clock ?? systemClock;
    this.graceMs = options.graceMs ?? 2 * 60_000;
  }

  /** One poll cycle: list, map, replace the store's Simulacrum resources. */
  async poll(signal: AbortSignal): Promise<PollOutcome> {
    const listed = await this.options.api.listJobs(signal, { full: true });
    signal.throwIfAborted();
    return this.adopt(listed);
  }

  get listing(): readonly SimulacrumJob[] {
    return this.lastListed;
  }

  /**
   * A listing polled by another window of the same account: shown as if this window had polled it, with this
   * window's own sweep records and not-yet-listed submissions, so its after* calls regroup from it too.
   */
  adopt(listed: readonly SimulacrumJob[]): PollOutcome {
    this.lastListed = listed;
    const change = this.publish(this.withLocal(listed));
    return { changed: change, active: this.options.store.activeCount('simulacrum') };
  }

  /** A render (annotation, training, Docker Only) job was accepted: show it now. */
  afterSubmit(job: SimulacrumSubmittedJob, request?: RenderRequest): Resource | undefined {
    const record: SimulacrumJob = {
      ...(request ? requestFields(request) : {}),
      ...job,
      status: job.status ?? 'queued',
      created_at: job.created_at ?? new Date(this.clock.now()).toISOString(),
    };
    this.remember(record);
    this.publish(this.lastJobs);
    return this.options.store.get('simulacrum', record.job_id);
  }

  /**
   * A sweep was accepted: record which jobs belong to it (the job list does not say) and show the sweep with its
   * variants at once, as queued until the next poll tells better.
   */
  async afterSweep(response: SimulacrumSweepResponse, request: SweepRequest): Promise<Resource | undefined> {
    const createdAt = new Date(this.clock.now()).toISOString();
    await this.options.sweeps.add({
      sweepId: response.sweep_id,
      variantJobIds: response.variant_job_ids,
      parameterGrid: request.parameter_grid,
      pythonScript: request.python_script,
      projectId: request.project_id,
      createdAt,
    });
    for (const jobId of response.variant_job_ids) {
      this.remember({
        job_id: jobId,
        status: 'queued',
        sweep_id: response.sweep_id,
        project_id: request.project_id,
        render_mode: 'run_as_is',
        num_frames: 0,
        python_script: request.python_script,
        map_path: request.map_path,
        require_gvisor: request.require_gvisor,
        created_at: createdAt,
      });
    }
    this.publish(this.lastJobs);
    return this.options.store.get('simulacrum', response.sweep_id);
  }

  /** A cancel or complete was accepted: show the new status now (the next poll brings the rest). */
  afterStatusChange(jobId: string, response: SimulacrumJobStatusResponse): void {
    let found = false;
    this.lastJobs = this.lastJobs.map((job) => {
      if (job.job_id !== jobId) return job;
      found = true;
      return { ...job, status: response.status };
    });
    const local = this.local.get(jobId);
    if (local) local.record = { ...local.record, status: response.status };
    if (found || local) this.publish(this.lastJobs);
  }

  /** Sign-out: forget local state and the store's Simulacrum resources (sweep records stay with the machine). */
  reset(): void {
    this.local.clear();
    this.lastJobs = [];
    this.lastListed = [];
    this.options.store.clear('simulacrum');
  }

  private remember(record: SimulacrumJob): void {
    this.local.set(record.job_id, { record, addedAt: this.clock.now() });
    this.lastJobs = [...this.lastJobs.filter((job) => job.job_id !== record.job_id), record];
  }

  /** The listing, plus what was submitted here within the grace period and is not listed yet. */
  private withLocal(listed: readonly SimulacrumJob[]): SimulacrumJob[] {
    const listedIds = new Set(listed.map((job) => job.job_id));
    const now = this.clock.now();
    const jobs = [...listed];
    for (const [id, local] of this.local) {
      if (listedIds.has(id) || now - local.addedAt > this.graceMs) {
        this.local.delete(id);
        continue;
      }
      jobs.push(local.record);
    }
    return jobs;
  }

  /** Returns whether the store saw a visible change. */
  private publish(jobs: SimulacrumJob[]): boolean {
    this.lastJobs = jobs;
    const change = this.options.store.replaceAll('simulacrum', toResources(jobs, this.options.sweeps.list()));
    return change.changed.length > 0 || change.removed.length > 0;
  }
}

function requestFields(request: RenderRequest): Partial<SimulacrumJob> {
  return {
    project_id: request.project_id,
    render_mode: request.render_mode,
    num_frames: request.num_frames,
    total_frames: request.num_frames,
    frames_completed: request.num_frames > 0 ? 0 : undefined,
    resolution: request.resolution,
    python_script: request.python_script,
    python_args: request.python_args,
    map_path: request.map_path,
    sim_mode: request.sim_mode,
    require_gvisor: request.require_gvisor,
  };
}
