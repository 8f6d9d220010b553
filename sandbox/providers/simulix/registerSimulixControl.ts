// Simulix steering routes on the control origin (never faulted or recorded, errors `{error}`): the whole state, the
// workflow catalogue, making a simulation fail, planting what its results answer, the webhook deliveries with their attempts, sending a delivery again
// on demand (a replay, an old timestamp, a broken signature, a re-serialised body), the per-key rate, and forgetting
// an organisation's signing secret.
import { z } from 'zod';
import { HttpError } from '../../http/HttpError';
import type { Router } from '../../http/Router';
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { SimulixHelpers } from './simulixHelpers';
import { iso } from './simulixHelpers';
import type { Delivery, DeliveryAttempt, SimulixWebhooks } from './SimulixWebhooks';
import type { SimulixWorld } from './SimulixWorld';
import { DIMENSIONS, WORKFLOWS } from './workflowCatalogue';

const PREFIX = '/_sandbox/simulix';

const OutcomeSchema = z
  .object({
    outcome: z.enum(['failed', 'completed']),
    reason: z.string().min(1).max(500).optional(),
    now: z.boolean().optional(),
    at_share: z.number().min(0).max(1).optional(),
  })
  .strict();
const SendSchema = z
  .object({
    timestamp: z.number().int().min(0).optional(),
    age_seconds: z.number().int().optional(),
    signature: z.enum(['valid', 'tampered', 'wrong_secret', 'rotation']).optional(),
    body: z.enum(['original', 'reserialized']).optional(),
  })
  .strict();
const PlantedSchema = z.object({ workflow_id: z.string().min(1).max(1000).optional(), agent_responses: z.array(z.unknown()).max(100).optional() }).strict();
const LimitsSchema = z.object({ requests_per_minute: z.number().int().min(1).max(1_000_000) }).strict();

export function registerSimulixControl(router: Router, world: SimulixWorld, webhooks: SimulixWebhooks, helpers: SimulixHelpers): void {
  router.get(`${PREFIX}/state`, (_req, res) => {
    res.json(200, {
      organizations: [...world.organizations.values()].map((o) => ({
        id: o.id,
        webhook_signing_secret: o.webhookSecret ?? null,
        webhook_secret_issued_at: o.webhookSecretIssuedAt === undefined ? null : iso(o.webhookSecretIssuedAt),
        keys: world.keys.filter((k) => k.organizationId === o.id).map((k) => ({ name: k.name, key: k.key, scopes: k.scopes })),
      })),
      simulations: world.simulations.map((s) => ({ ...helpers.view(s), organization_id: s.organizationId, failure_planned_at: s.failure ? iso(s.failure.at) : null })),
      deliveries: webhooks.deliveries.map(deliveryView),
      requests_per_minute: world.requestsPerMinute,
    });
  });

  router.get(`${PREFIX}/workflows`, (_req, res) => {
    res.json(200, {
      workflows: WORKFLOWS.map((w) => ({
        id: w.id,
        title: w.title,
        population: w.population,
        rounds: w.rounds,
        demographics: w.demographics.map((id) => ({ id, levels: DIMENSIONS[id]?.levels.map(([level]) => level) ?? [] })),
        questions: w.questions,
      })),
    });
  });

  router.post(`${PREFIX}/simulations/:id/outcome`, async (req, res) => {
    const body = await parseBody(req, OutcomeSchema);
    const s = world.findAny(req.params.id);
    if (!s) throw new HttpError(404, { message: `No Simulix simulation ${req.params.id}` });
    const ok = body.outcome === 'failed' ? world.fail(s, body.reason ?? 'simulation failed (set by the sandbox control route)', { now: body.now, share: body.at_share }) : world.clearFailure(s);
    if (!ok) throw new HttpError(409, { message: `Simulation ${s.id} has already ${world.status(s)}; its outcome can no longer change` });
    res.json(200, { ...helpers.view(s), failure_planned_at: s.failure ? iso(s.failure.at) : null });
  });

  // Hostile-content tests: the results carry text the extension must show as text.
  router.post(`${PREFIX}/simulations/:id/planted-results`, async (req, res) => {
    const body = await parseBody(req, PlantedSchema);
    const s = world.findAny(req.params.id);
    if (!s) throw new HttpError(404, { message: `No Simulix simulation ${req.params.id}` });
    world.plant(s, { workflowId: body.workflow_id, agentResponses: body.agent_responses ?? [] });
    res.json(200, { simulation_id: s.id, planted_agents: body.agent_responses?.length ?? 0 });
  });

  router.get(`${PREFIX}/deliveries`, (req, res) => {
    const simulationId = req.query.get('simulation_id');
    res.json(200, { deliveries: webhooks.deliveries.filter((d) => simulationId === null || d.simulationId === simulationId).map(deliveryView) });
  });

  const delivery = (req: SandboxRequest): Delivery => {
    const d = webhooks.find(req.params.id);
    if (!d) throw new HttpError(404, { message: `No Simulix delivery ${req.params.id}` });
    return d;
  };

  router.get(`${PREFIX}/deliveries/:id`, (req, res) => {
    const d = delivery(req);
    res.json(200, { ...deliveryView(d), payload: d.body });
  });

  router.post(`${PREFIX}/deliveries/:id/send`, async (req, res) => {
    const body = await parseBody(req, SendSchema);
    const d = delivery(req);
    const attempt = await webhooks.sendManual(d, { timestamp: body.timestamp, ageSeconds: body.age_seconds, signature: body.signature, body: body.body });
    res.json(200, attemptView(attempt));
  });

  router.put(`${PREFIX}/limits`, async (req, res) => {
    const body = await parseBody(req, LimitsSchema);
    world.setRequestsPerMinute(body.requests_per_minute);
    res.json(200, { requests_per_minute: world.requestsPerMinute });
  });

  router.delete(`${PREFIX}/organizations/:id/webhook-secret`, (req, res) => {
    const org = world.organizations.get(req.params.id);
    if (!org) throw new HttpError(404, { message: `No Simulix organization ${req.params.id}` });
    org.webhookSecret = undefined;
    org.webhookSecretIssuedAt = undefined;
    res.empty(204);
  });
}

function deliveryView(d: Delivery) {
  return {
    delivery_id: d.id,
    event_id: d.eventId,
    event_type: d.eventType,
    simulation_id: d.simulationId,
    organization_id: d.organizationId,
    url: d.url,
    status: d.status,
    created_at: iso(d.createdAt),
    next_attempt_at: d.nextAttemptAt === null ? null : iso(d.nextAttemptAt),
    payload_bytes: Buffer.byteLength(d.body),
    attempts: d.attempts.map(attemptView),
  };
}

function attemptView(a: DeliveryAttempt) {
  return {
    attempt: a.attempt,
    kind: a.kind,
    variant: a.variant ?? null,
    at: iso(a.at),
    at_ms: a.at,
    timestamp: a.timestamp,
    signature: a.signature,
    response_status: a.responseStatus,
    response_body: a.responseBody,
    error: a.error,
    succeeded: a.succeeded,
    duration_ms: a.durationMs,
  };
}

async function parseBody<T>(req: SandboxRequest, schema: z.ZodType<T>): Promise<T> {
  const result = schema.safeParse((await req.json()) ?? {});
  if (!result.success) throw new HttpError(400, { message: result.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
  return result.data;
}
