// The Simulix REST API (shared/api/simulix.md): queue a simulation (202), list this organisation's simulations with
// a cursor, poll one (Retry-After: 5 while in flight), and fetch its per-agent results once it has finished. Every
// route checks the key (401), the per-key rate (429 rate_limited with Retry-After) and its scope (403); answers
// and errors are `{data, error, meta: {correlation_id}}`.
import type { Router } from '../../http/Router';
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { SandboxContext } from '../ProviderModule';
import type { SimulixHelpers } from './simulixHelpers';
import { SIMULIX_POLICY as P } from './simulixPolicy';
import type { Simulation, SimulixWorld } from './SimulixWorld';
import { validateSimulationRequest } from './validateSimulationRequest';
import { findWorkflow } from './workflowCatalogue';

export function registerSimulixApi(router: Router, ctx: SandboxContext, world: SimulixWorld, helpers: SimulixHelpers): void {
  const { authorize, envelope, view, pollHeaders } = helpers;

  router.post('/v1/simulations', async (req, res) => {
    const key = authorize(req, 'simulations:write');
    const body = validateSimulationRequest(await readJson(req, ctx));
    const workflow = findWorkflow(body.workflowId);
    if (!workflow) throw ctx.httpError(404, { code: 'workflow_not_found', message: `workflow_id '${body.workflowId}' does not match a published workflow` });
    if (body.agentCount > P.agentCeiling) {
      throw ctx.httpError(422, { code: 'agent_count_exceeds_plan', message: `agent_count ${body.agentCount} is over your plan's ceiling of ${P.agentCeiling} agents` });
    }
    const { simulation, signingSecret } = world.createSimulation({ organizationId: key.organizationId, workflow, agentCount: body.agentCount, scenarioContext: body.scenarioContext, callbackUrl: body.callbackUrl });
    ctx.log(`[simulix] ${key.organizationId} queued ${simulation.id} (${workflow.id}, ${body.agentCount} agents)`);
    // "appears in this response only once, on your first webhook-enabled simulation request": absent otherwise.
    envelope(req, res, 202, { ...view(simulation), ...(signingSecret !== undefined ? { webhook_signing_secret: signingSecret } : {}) });
  });

  router.get('/v1/simulations', (req, res) => {
    const key = authorize(req, 'simulations:read');
    const limit = parseLimit(req, ctx);
    const cursor = req.query.get('cursor');
    const page = world.page(key.organizationId, cursor === null || cursor === '' ? null : cursor, limit);
    if (!page) throw ctx.httpError(400, { code: 'invalid_cursor', message: `cursor '${cursor}' is not the id of one of your simulations` });
    envelope(req, res, 200, page.items.map(view), { next_cursor: page.nextCursor, has_more: page.hasMore });
  });

  const mine = (req: SandboxRequest, organizationId: string): Simulation => {
    const s = world.find(organizationId, req.params.id);
    // "id doesn't exist or belongs to a different organization": one answer for both.
    if (!s) throw ctx.httpError(404, { code: 'simulation_not_found', message: `No simulation ${req.params.id}` });
    return s;
  };

  router.get('/v1/simulations/:id', (req, res) => {
    const key = authorize(req, 'simulations:read');
    const s = mine(req, key.organizationId);
    envelope(req, res, 200, view(s), {}, pollHeaders(s));
  });

  router.get('/v1/simulations/:id/results', (req, res) => {
    const key = authorize(req, 'simulations:read');
    const s = mine(req, key.organizationId);
    if (world.inFlight(s)) {
      throw ctx.httpError(409, { code: 'simulation_not_complete', message: `Simulation ${s.id} is still ${world.status(s)}; poll GET /v1/simulations/${s.id} until results_available=true` }, pollHeaders(s));
    }
    // The data object is cached as JSON (a 10,000-agent result is a few MB): splice the envelope around it.
    const body = `{"data":${world.resultsJson(s)},"error":null,"meta":${JSON.stringify({ correlation_id: req.requestId })}}`;
    res.send(200, body, { 'Content-Type': 'application/json; charset=utf-8' });
  });
}

/** "limit (1–100, default 50)". */
function parseLimit(req: SandboxRequest, ctx: SandboxContext): number {
  const raw = req.query.get('limit');
  if (raw === null) return P.pageLimitDefault;
  const limit = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(limit) || limit < 1 || limit > P.pageLimitMax) {
    throw ctx.httpError(400, { code: 'invalid_request', message: `limit must be a whole number from 1 to ${P.pageLimitMax}` });
  }
  return limit;
}

async function readJson(req: SandboxRequest, ctx: SandboxContext): Promise<unknown> {
  try {
    return await req.json();
  } catch (error) {
    if ((error as { details?: { status?: number } }).details?.status === 413) throw error;
    throw ctx.httpError(400, { code: 'invalid_request', message: 'The request body is not valid JSON' });
  }
}
