import type { Resource } from '../../../core/jobs/Resource';
import { isActiveStatus } from '../../../core/jobs/Resource';
import type { KeyValueStore } from '../../../core/jobs/KeyValueStore';
import type { EurekaRunView, RewardPoint } from '../../../shared/eurekaRunProtocol';

// What the run view and the reward chart are made of. Free of `vscode`: unit-tested.

/** The parts of a Eureka run record (the resource's `raw`) the view reads; anything may be missing. */
interface RunFields {
  taskId?: unknown;
  rlLibrary?: unknown;
  currentIteration?: unknown;
  maxTrainingIterations?: unknown;
  numParallelRuns?: unknown;
  bestReward?: unknown;
  tokenUsage?: unknown;
  costActualUsd?: unknown;
  costUsd?: unknown;
  error?: unknown;
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value.slice(0, 1000) : undefined);
const count = (value: unknown): number | undefined => {
  const n = num(value);
  return n !== undefined && n >= 0 ? Math.floor(n) : undefined;
};

/**
 * Iterations whose reward the run's `bestReward` covers. The reference gives `currentIteration` and `bestReward`
 * only; `currentIteration` is the iteration in progress while the run runs (so one fewer has finished), and every
 * iteration it did once it has ended.
 */
export function finishedIterations(status: string, currentIteration: number | undefined): number {
  if (currentIteration === undefined) return 0;
  return status === 'running' ? Math.max(0, currentIteration - 1) : currentIteration;
}

/**
 * The reward series gains a point when a poll shows the best reward after an iteration it has no point for. The API
 * reports only the current best reward, so the series is what polls saw: iterations that finished while nobody
 * polled (VS Code closed) have no point. A later value for the same iteration replaces the earlier one.
 */
export function withPoint(points: readonly RewardPoint[], status: string, raw: unknown): RewardPoint[] {
  const fields = (raw ?? {}) as RunFields;
  const best = num(fields.bestReward);
  const iteration = finishedIterations(status, count(fields.currentIteration));
  if (best === undefined || iteration < 1) return [...points];
  const others = points.filter((p) => p.iteration !== iteration);
  return [...others, { iteration, bestReward: best }].sort((a, b) => a.iteration - b.iteration);
}

export function runView(resource: Resource, points: readonly RewardPoint[]): EurekaRunView {
  const fields = (resource.raw ?? {}) as RunFields;
  const usage = (fields.tokenUsage ?? {}) as { promptTokens?: unknown; completionTokens?: unknown; totalTokens?: unknown };
  const prompt = count(usage.promptTokens);
  const completion = count(usage.completionTokens);
  const total = count(usage.totalTokens) ?? (prompt !== undefined || completion !== undefined ? (prompt ?? 0) + (completion ?? 0) : undefined);
  const cost = num(fields.costActualUsd) ?? num(fields.costUsd);
  return {
    runId: resource.id,
    taskId: str(fields.taskId),
    rlLibrary: str(fields.rlLibrary),
    status: resource.rawStatus.slice(0, 1000),
    active: isActiveStatus(resource.status),
    iteration: count(fields.currentIteration),
    totalIterations: count(fields.maxTrainingIterations),
    numParallelRuns: count(fields.numParallelRuns),
    bestReward: num(fields.bestReward),
    tokens: total === undefined ? undefined : { prompt, completion, total },
    costUsd: cost !== undefined && cost >= 0 ? cost : undefined,
    error: typeof fields.error === 'string' && fields.error ? fields.error.slice(0, 10_000) : undefined,
    points: [...points],
  };
}

const HISTORY_KEY = 'simcloud.cybernetic.eurekaRewardHistory';
/** Runs whose series are kept across reloads (the newest recorded); numbers only, no URL or record content. */
const MAX_RUNS = 100;

/** Reward series per run, kept in a KeyValueStore (globalState) so a reload does not lose what polls saw. */
export class RewardHistory {
  constructor(private readonly storage: KeyValueStore) {}

  points(runId: string): RewardPoint[] {
    return [...(this.load()[runId] ?? [])];
  }

  /** Records the run's latest state; true when the series changed. */
  async record(resource: Resource): Promise<boolean> {
    const all = this.load();
    const before = all[resource.id] ?? [];
    const after = withPoint(before, resource.rawStatus, resource.raw);
    if (JSON.stringify(before) === JSON.stringify(after)) return false;
    const { [resource.id]: _old, ...others } = all;
    const kept = Object.entries(others).slice(-(MAX_RUNS - 1));
    await this.storage.update(HISTORY_KEY, Object.fromEntries([...kept, [resource.id, after]]));
    return true;
  }

  private load(): Record<string, RewardPoint[]> {
    const stored = this.storage.get<unknown>(HISTORY_KEY);
    if (!stored || typeof stored !== 'object') return {};
    const result: Record<string, RewardPoint[]> = {};
    for (const [id, list] of Object.entries(stored as Record<string, unknown>)) {
      if (!Array.isArray(list)) continue;
      result[id] = list.filter((p): p is RewardPoint => typeof p?.iteration === 'number' && typeof p?.bestReward === 'number' && Number.isFinite(p.bestReward));
    }
    return result;
  }
}
