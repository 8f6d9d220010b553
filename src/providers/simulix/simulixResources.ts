import type { Resource, ResourceAction, ResourceStatus } from '../../core/jobs/Resource';
import type { SimulixSimulation } from './SimulixApi';

// Simulations on the neutral model. `callback_url` may carry a token in its query, so it never reaches facts or
// details (only whether a webhook is subscribed) and `raw` keeps only its origin.

const STATUS: Readonly<Record<string, ResourceStatus>> = {
  queued: 'queued',
  running: 'running',
  completed: 'succeeded',
  failed: 'failed',
};

export function simulationStatus(raw: string): ResourceStatus {
  return STATUS[raw] ?? 'unknown';
}

/** Results can be read (GET …/results answers 200): the server says so, or the status is terminal. */
export function resultsAvailable(simulation: SimulixSimulation): boolean {
  return simulation.results_available === true || simulation.status === 'completed' || simulation.status === 'failed';
}

/** "~40s left", "~3m 10s left", "~1h 05m left" from estimated_completion_time_seconds. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `~${s}s left`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `~${minutes}m ${String(s % 60).padStart(2, '0')}s left`;
  return `~${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m left`;
}

export function simulationToResource(simulation: SimulixSimulation): Resource {
  const status = simulationStatus(simulation.status);
  const active = status === 'queued' || status === 'running' || status === 'unknown';
  const agents = simulation.agent_count ?? simulation.progress?.agent_count ?? undefined;
  const done = simulation.progress?.agents_completed ?? undefined;
  const eta = simulation.estimated_completion_time_seconds ?? undefined;
  const facts: string[] = [];
  if (simulation.workflow_id) facts.push(simulation.workflow_id);
  if (typeof agents === 'number') facts.push(`${agents.toLocaleString('en-US')} agents`);
  if (active && typeof eta === 'number') facts.push(formatEta(eta));
  const details: [string, string][] = [['Simulation', simulation.id], ['Status', simulation.status]];
  if (simulation.workflow_id) details.push(['Workflow', simulation.workflow_id]);
  if (typeof agents === 'number') details.push(['Agents', agents.toLocaleString('en-US')]);
  if (typeof done === 'number' && typeof agents === 'number') details.push(['Agents completed', `${done.toLocaleString('en-US')}/${agents.toLocaleString('en-US')}`]);
  if (typeof simulation.rounds === 'number') details.push(['Rounds', String(simulation.rounds)]);
  if (active && typeof eta === 'number') details.push(['Estimated time left', formatEta(eta).replace(/^~/, '').replace(/ left$/, '')]);
  if (simulation.scenario_context && Object.keys(simulation.scenario_context).length > 0) details.push(['Scenario context', JSON.stringify(simulation.scenario_context)]);
  details.push(['Webhook', simulation.webhook_subscribed ? 'subscribed' : 'none (polled)']);
  if (simulation.failure_reason) details.push(['Failure', simulation.failure_reason]);
  details.push(['Results', resultsAvailable(simulation) ? 'available' : 'not yet']);
  const actions: ResourceAction[] = [];
  if (resultsAvailable(simulation)) actions.push('download');
  actions.push('details');
  const progress =
    typeof done === 'number' && typeof agents === 'number' && agents > 0
      ? { fraction: Math.min(1, Math.max(0, done / agents)), text: `${done.toLocaleString('en-US')}/${agents.toLocaleString('en-US')} agents` }
      : undefined;
  return {
    provider: 'simulix',
    id: simulation.id,
    kind: 'simulation',
    displayName: simulation.workflow_id ? `${simulation.workflow_id} ${shortId(simulation.id)}` : `Simulation ${simulation.id}`,
    status,
    rawStatus: simulation.status,
    progress,
    facts,
    createdAt: simulation.created_at ?? undefined,
    startedAt: simulation.started_at ?? undefined,
    finishedAt: simulation.completed_at ?? simulation.failed_at ?? undefined,
    actions,
    details,
    raw: withoutSecrets(simulation),
  };
}

/** The record for Show Details: the callback URL reduced to its origin (its path or query may hold a token). */
export function withoutSecrets(simulation: SimulixSimulation): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...simulation };
  if ('webhook_signing_secret' in copy) delete copy.webhook_signing_secret;
  if (typeof simulation.callback_url === 'string') copy.callback_url = originOf(simulation.callback_url);
  return copy;
}

function originOf(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return '(not a URL)';
  }
}

/** UUIDv7 ids share their leading time bits: the last 8 characters tell two runs apart. */
function shortId(id: string): string {
  return id.length > 8 ? `…${id.slice(-8)}` : id;
}
