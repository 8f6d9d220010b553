import { ApiError } from '../../core/http/ApiError';
import type { JobStore } from '../../core/jobs/JobStore';
import type { PollOutcome } from '../../core/jobs/Poller';
import { isActiveStatus, type Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import { systemClock, type Clock } from '../../core/util/clock';
import type { CyberneticApi, CyberneticEnvironment, CyberneticEurekaRun, CyberneticJob } from './CyberneticApi';
import type { CyberneticRecord, CyberneticRecords } from './CyberneticRecords';
import { environmentToResources, eurekaRunToResource, jobStatus, reconstructionToResource, sessionToResource } from './cyberneticResources';

/** What the source needs of CyberneticApi (without listEnvironments, environments are not shown). */
export type CyberneticJobApi = Pick<CyberneticApi, 'listAllSessions' | 'getReconstruction' | 'getEurekaRun'> & Partial<Pick<CyberneticApi, 'listEnvironments'>>;

/**
 * Environments change only when someone creates or publishes one, so the list is asked for on the first poll, every
 * this many polls, and on the poll after `environmentsChanged()` — not on every cycle.
 */
export const ENVIRONMENT_POLL_EVERY = 6;

export interface CyberneticJobSourceOptions {
  api: CyberneticJobApi;
  store: JobStore;
  records: CyberneticRecords;
  clock?: Clock;
  logger?: Logger;
  /** Default ENVIRONMENT_POLL_EVERY. */
  environmentPollEvery?: number;
}

/**
 * Feeds the JobStore for one Cybernetic Physics account: every session from the paged list, plus the reconstruction
 * jobs and Eureka runs this extension knows (CyberneticRecords). Each poll lists sessions and asks only about known
 * jobs and runs that are not finished; finished ones keep their last record from this session of VS Code (after a
 * reload they are fetched once more). Give `poll` to a Poller; call `track` after a submit and `forget` to drop one.
 */
export class CyberneticJobSource {
  private readonly clock: Clock;
  /** Last records fetched, by `${kind}:${id}`: finished ones are not asked about again. */
  private readonly latest = new Map<string, CyberneticJob | CyberneticEurekaRun>();
  /** The last environment list (undefined until one was read); kept between the polls that do not ask. */
  private environments: CyberneticEnvironment[] | undefined;
  private pollsUntilEnvironments = 0;
  /** The key may not read environments (no isaac:read): stop asking until the account changes. */
  private environmentsForbidden = false;

  constructor(private readonly options: CyberneticJobSourceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** One poll cycle; `active` counts running or queued sessions, jobs and runs (0 lets the Poller rest). */
  async poll(signal: AbortSignal): Promise<PollOutcome> {
    const { api, records, store, logger } = this.options;
    const sessions = await api.listAllSessions(signal);
    let failure: unknown = await this.refreshEnvironments(signal);
    if (sessions.skipped > 0) logger?.warn(`Cybernetic Physics: ${sessions.skipped} session record(s) could not be read and are not shown`);
    if (sessions.truncated) logger?.warn('Cybernetic Physics: the session list is longer than Sim Cloud reads; the oldest are not shown');
    // One job that cannot be read must not hide the sessions and the others: publish what is known, then fail the poll.
    for (const record of records.all()) {
      signal.throwIfAborted();
      const key = `${record.kind}:${record.id}`;
      if (this.latest.has(key) && !isActiveStatus(jobStatus(record.status))) continue;
      try {
        await this.refresh(record, signal);
      } catch (error) {
        if (signal.aborted || (ApiError.is(error) && (error.status === 401 || error.status === 403))) throw error;
        failure ??= error;
      }
    }
    const now = this.clock.now();
    const resources: Resource[] = sessions.items.map((session) => sessionToResource(session, now));
    for (const record of records.all()) {
      const latest = this.latest.get(`${record.kind}:${record.id}`);
      if (latest) resources.push(record.kind === 'reconstruction' ? reconstructionToResource(latest as CyberneticJob) : eurekaRunToResource(latest as CyberneticEurekaRun));
    }
    for (const env of this.environments ?? []) resources.push(...environmentToResources(env));
    const change = store.replaceAll('cybernetic', resources);
    const active = resources.filter((r) => isActiveStatus(r.status)).length;
    if (failure !== undefined) throw failure;
    return { changed: change.changed.length > 0 || change.removed.length > 0, active };
  }

  /** A submit answered: remember the job or run and show it now (the next poll keeps it fresh). */
  async track(kind: CyberneticRecord['kind'], record: CyberneticJob | CyberneticEurekaRun): Promise<Resource> {
    this.latest.set(`${kind}:${record.jobId}`, record);
    await this.options.records.put({ kind, id: record.jobId, status: record.status, addedAt: new Date(this.clock.now()).toISOString() });
    const resource = kind === 'reconstruction' ? reconstructionToResource(record as CyberneticJob) : eurekaRunToResource(record as CyberneticEurekaRun);
    this.options.store.upsert(resource);
    return resource;
  }

  /** An environment or version was created (here or elsewhere): the next poll lists environments again. */
  environmentsChanged(): void {
    this.pollsUntilEnvironments = 0;
  }

  /** An environment list read outside the poll (Show Environments): shown now and kept until the next list. */
  showEnvironments(environments: readonly CyberneticEnvironment[]): void {
    const previous = new Set((this.environments ?? []).flatMap((env) => environmentToResources(env).map((r) => r.id)));
    this.environments = [...environments];
    const next = this.environments.flatMap((env) => environmentToResources(env));
    for (const resource of next) {
      previous.delete(resource.id);
      this.options.store.upsert(resource);
    }
    for (const id of previous) this.options.store.remove('cybernetic', id);
  }

  /** "Remove from list": forgets a job or run (the server keeps it). */
  async forget(kind: CyberneticRecord['kind'], id: string): Promise<void> {
    this.latest.delete(`${kind}:${id}`);
    await this.options.records.remove(kind, id);
    this.options.store.remove('cybernetic', id);
  }

  /** Lists environments when due; a failure keeps the last list and is returned (not thrown) so sessions still show. */
  private async refreshEnvironments(signal: AbortSignal): Promise<unknown> {
    const { api, logger } = this.options;
    if (!api.listEnvironments || this.environmentsForbidden) return undefined;
    if (this.pollsUntilEnvironments > 0) {
      this.pollsUntilEnvironments -= 1;
      return undefined;
    }
    try {
      this.environments = await api.listEnvironments(signal);
      this.pollsUntilEnvironments = Math.max(0, (this.options.environmentPollEvery ?? ENVIRONMENT_POLL_EVERY) - 1);
      return undefined;
    } catch (error) {
      if (signal.aborted || (ApiError.is(error) && error.status === 401)) throw error;
      if (ApiError.is(error) && error.status === 403) {
        logger?.info('Cybernetic Physics: this API key may not read environments (isaac:read); they are not shown');
        this.environmentsForbidden = true;
        return undefined;
      }
      return error;
    }
  }

  private async refresh(record: CyberneticRecord, signal: AbortSignal): Promise<void> {
    const { api, records, logger } = this.options;
    try {
      const latest = record.kind === 'reconstruction' ? await api.getReconstruction(record.id, signal) : await api.getEurekaRun(record.id, signal);
      this.latest.set(`${record.kind}:${record.id}`, latest);
      await records.setStatus(record.kind, record.id, latest.status);
    } catch (error) {
      if (ApiError.is(error) && error.status === 404) {
        // Deleted on the server or another workspace's: it would fail on every poll, so forget it.
        logger?.warn(`Cybernetic Physics: ${record.kind} ${record.id} no longer exists; removed from the list`);
        this.latest.delete(`${record.kind}:${record.id}`);
        await records.remove(record.kind, record.id);
        return;
      }
      throw error;
    }
  }
}
