// POST /v1/simulations body: `workflow_id`, `agent_count`, `scenario_context`, `callback_url` (the reference's
// request example). The reference documents no 400; the sandbox answers 400 `invalid_request` naming the field for a
// body it cannot use, and refuses fields it does not know so a client's typo cannot pass here and be ignored there.
// Whether the workflow exists (404) and the plan ceiling (422) are checked after this, by the route.
import { HttpError } from '../../http/HttpError';
import { SIMULIX_POLICY as P } from './simulixPolicy';
import { isLoopbackUrl } from './SimulixWebhooks';

export interface SimulationRequest {
  workflowId: string;
  agentCount: number;
  scenarioContext: Record<string, unknown>;
  callbackUrl: string | null;
}

const FIELDS = new Set(['workflow_id', 'agent_count', 'scenario_context', 'callback_url']);

export function validateSimulationRequest(body: unknown): SimulationRequest {
  if (!isObject(body)) throw invalid('The request body must be a JSON object');
  const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0) throw invalid(`Unknown field(s): ${unknown.join(', ')} (expected workflow_id, agent_count, scenario_context, callback_url)`);

  const workflowId = body.workflow_id;
  if (typeof workflowId !== 'string' || workflowId.trim() === '') throw invalid('workflow_id is required: a published workflow id such as "cdc_nhis_smoking"');

  const agentCount = body.agent_count;
  if (agentCount === undefined) throw invalid('agent_count is required: a whole number of agents, at least 1');
  if (typeof agentCount !== 'number' || !Number.isInteger(agentCount) || agentCount < 1) throw invalid('agent_count must be a whole number, at least 1');

  const context = body.scenario_context ?? {};
  if (!isObject(context)) throw invalid('scenario_context must be a JSON object');
  if (Buffer.byteLength(JSON.stringify(context)) > P.scenarioContextMaxBytes) throw invalid(`scenario_context must serialise to at most ${P.scenarioContextMaxBytes} bytes`);

  return { workflowId, agentCount, scenarioContext: context, callbackUrl: callbackUrl(body.callback_url) };
}

function callbackUrl(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length > P.callbackUrlMaxLength) throw invalid(`callback_url must be an absolute URL of at most ${P.callbackUrlMaxLength} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid('callback_url must be an absolute URL');
  }
  if (url.username || url.password) throw invalid('callback_url must not carry credentials');
  // Production takes https; plain http only for a loopback receiver (the sandbox's own tests and local listeners).
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) throw invalid('callback_url must use https (http is accepted for loopback hosts only)');
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): HttpError {
  return new HttpError(400, { code: 'invalid_request', message });
}
