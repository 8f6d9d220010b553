// Simulacra's steering routes on the control origin (never faulted or recorded, errors as {error}): the operator's
// approve/decline of signups, account quotas and storage mode, token lifetime and automatic approval, and counts
// for tests ("a POST retried after an injected reset creates one dataset").
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HttpError } from '../../http/HttpError';
import type { Router } from '../../http/Router';
import type { SandboxRequest } from '../../http/SandboxRequest';
import type { Account, Signup, SimulacraWorld } from './SimulacraWorld';
import { signupView } from './views';

const PREFIX = '/_sandbox/simulacra';

const AccountPatch = z.object({
  row_quota: z.number().int().min(0).optional(),
  rows_used: z.number().int().min(0).optional(),
  storage_mode: z.enum(['managed', 'enterprise']).optional(),
});
const Lose = z.object({ path_prefix: z.string().startsWith('/'), count: z.number().int().min(1).max(100).optional() });
const Settings = z.object({
  token_ttl_seconds: z.number().int().min(1).max(30 * 86_400).nullable().optional(),
  auto_approve_after_seconds: z.number().min(0).nullable().optional(),
});

export function registerSimulacraControl(router: Router, world: SimulacraWorld): void {
  const body = async <T>(req: SandboxRequest, schema: z.ZodType<T>): Promise<T> => {
    const parsed = schema.safeParse((await req.json()) ?? {});
    if (!parsed.success) throw new HttpError(400, { message: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    return parsed.data;
  };
  const signup = (req: SandboxRequest): Signup => {
    world.advance();
    const found = world.signups.get(req.params.id);
    if (!found) throw new HttpError(404, { message: `No Simulacra signup ${req.params.id}` });
    return found;
  };
  /** An account by its id, or by one of its client ids (e.g. the dev client `sandbox-client-id`). */
  const account = (id: string): Account => {
    const found = world.accounts.get(id) ?? world.accountOfClient(id);
    if (!found) throw new HttpError(404, { message: `No Simulacra account or client ${id}` });
    return found;
  };
  const accountView = (a: Account) => ({
    account_id: a.id,
    company_name: a.company,
    client_ids: [...world.clientRecords.values()].filter((c) => c.accountId === a.id).map((c) => c.clientId),
    row_quota: a.rowQuota,
    rows_used: a.rowsUsed,
    storage_mode: a.storageMode,
  });
  const settingsView = () => ({ token_ttl_seconds: world.clients.ttlOverrideSeconds ?? null, auto_approve_after_seconds: world.autoApproveAfterMs === undefined ? null : world.autoApproveAfterMs / 1000 });

  router.get(`${PREFIX}/signups`, (_req, res) => {
    world.advance();
    res.json(200, { signups: [...world.signups.values()].map((s) => signupView(world, s)) });
  });
  router.post(`${PREFIX}/signups/:id/approve`, (req, res) => {
    const found = signup(req);
    if (found.status !== 'pending') throw new HttpError(409, { message: `Signup ${found.requestId} is already ${found.status}` });
    world.approve(found);
    res.json(200, signupView(world, found));
  });
  router.post(`${PREFIX}/signups/:id/decline`, (req, res) => {
    const found = signup(req);
    if (found.status !== 'pending') throw new HttpError(409, { message: `Signup ${found.requestId} is already ${found.status}` });
    world.decline(found);
    res.json(200, signupView(world, found));
  });

  router.get(`${PREFIX}/accounts`, (_req, res) => res.json(200, { accounts: [...world.accounts.values()].map(accountView) }));
  router.post(`${PREFIX}/accounts/:id`, async (req, res) => {
    const target = account(req.params.id);
    const patch = await body(req, AccountPatch);
    if (patch.storage_mode === 'enterprise' && !world.ctx.storage) throw new HttpError(409, { message: 'Enterprise storage mode needs the storage fronts; this sandbox runs without storage' });
    if (patch.row_quota !== undefined) target.rowQuota = patch.row_quota;
    if (patch.rows_used !== undefined) target.rowsUsed = patch.rows_used;
    if (patch.storage_mode !== undefined) target.storageMode = patch.storage_mode;
    res.json(200, accountView(target));
  });

  router.get(`${PREFIX}/settings`, (_req, res) => res.json(200, settingsView()));
  router.put(`${PREFIX}/settings`, async (req, res) => {
    const patch = await body(req, Settings);
    if (patch.token_ttl_seconds !== undefined) world.clients.ttlOverrideSeconds = patch.token_ttl_seconds ?? undefined;
    if (patch.auto_approve_after_seconds !== undefined) world.autoApproveAfterMs = patch.auto_approve_after_seconds === null ? undefined : patch.auto_approve_after_seconds * 1000;
    world.advance();
    res.json(200, settingsView());
  });

  router.post(`${PREFIX}/lose-responses`, async (req, res) => {
    const lose = await body(req, Lose);
    world.loseResponses.push({ pathPrefix: lose.path_prefix, remaining: lose.count ?? 1 });
    res.json(201, { lose_responses: world.loseResponses.filter((l) => l.remaining > 0).map((l) => ({ path_prefix: l.pathPrefix, remaining: l.remaining })) });
  });

  router.get(`${PREFIX}/datasets`, (_req, res) => {
    const datasets = [...world.datasets.values()].map((d) => ({ dataset_id: d.id, account_id: d.accountId, display_name: d.displayName, seed_sha256: d.seedSha256, seed_bytes: d.seedBytes }));
    // artifact_sha256 once the artifact has been served (it is encoded on first download).
    const generations = [...world.generations.values()].map((g) => ({ generation_id: g.id, dataset_id: g.datasetId, row_count: g.rowCount, format: g.format, artifact_sha256: g.artifact ? createHash('sha256').update(g.artifact).digest('hex') : null }));
    res.json(200, { datasets, generations });
  });

  router.get(`${PREFIX}/stats`, (_req, res) => {
    res.json(200, { ...world.stats, datasets: world.datasets.size, generations: world.generations.size, accounts: world.accounts.size, clients: world.clientRecords.size });
  });
}
