// The control API (its own loopback port, never faulted, never recorded): lets an end-to-end test that drives a real
// VS Code steer the sandbox from outside the process: read state, move the clock, script faults, read the wire log.
import { z } from 'zod';
import type { VirtualClock } from '../clock/VirtualClock';
import type { FaultInjector } from '../faults/FaultInjector';
import { FaultConfigSchema, FaultScriptSchema } from '../faults/FaultStep';
import { reason, type ErrorStyle } from '../http/ErrorStyle';
import { HttpError } from '../http/HttpError';
import type { RequestLog } from '../http/RequestLog';
import type { Router } from '../http/Router';
import type { SandboxRequest } from '../http/SandboxRequest';
import type { SandboxCredentials, SandboxUrls } from '../Sandbox';

export interface ControlState {
  urls: SandboxUrls;
  credentials: SandboxCredentials;
  clock: VirtualClock;
  faults: FaultInjector;
  requests: RequestLog;
}

export const controlErrorStyle: ErrorStyle = {
  render: (e) => ({ contentType: 'application/json', body: JSON.stringify({ error: e.message ?? reason(e.status) }) }),
};

const ClockChangeSchema = z.object({ advanceMs: z.number().min(0).optional(), speed: z.number().min(0).optional() });

export function clockState(clock: VirtualClock): { now: number; iso: string; speed: number } {
  const now = clock.now();
  return { now, iso: new Date(now).toISOString(), speed: clock.speed };
}

export function registerControlRoutes(router: Router, state: ControlState): void {
  router.get('/_sandbox/state', (_req, res) => {
    res.json(200, { urls: state.urls, credentials: state.credentials, clock: clockState(state.clock) });
  });

  router.post('/_sandbox/clock', async (req, res) => {
    const change = await parseBody(req, ClockChangeSchema);
    if (change.speed !== undefined) state.clock.speed = change.speed;
    if (change.advanceMs !== undefined) state.clock.advance(change.advanceMs);
    res.json(200, clockState(state.clock));
  });

  router.get('/_sandbox/faults', (_req, res) => res.json(200, { ...state.faults.snapshot(), played: state.faults.counts() }));

  router.put('/_sandbox/faults', async (req, res) => {
    state.faults.configure(await parseBody(req, FaultConfigSchema));
    res.json(200, state.faults.snapshot());
  });

  router.post('/_sandbox/faults/script', async (req, res) => {
    const script = await parseBody(req, FaultScriptSchema);
    state.faults.script(script.provider, script.pathPrefix, script.steps);
    res.json(201, state.faults.snapshot());
  });

  router.delete('/_sandbox/faults', (_req, res) => {
    state.faults.clear();
    res.empty(204);
  });

  router.get('/_sandbox/requests', (req, res) => {
    const provider = req.query.get('provider');
    const pathPrefix = req.query.get('pathPrefix') ?? '';
    const requests = state.requests.all().filter((r) => (!provider || r.provider === provider) && r.path.startsWith(pathPrefix));
    res.json(200, { requests });
  });

  router.get('/_sandbox/traffic', (_req, res) => res.json(200, { services: state.requests.tally() }));

  router.delete('/_sandbox/requests', (_req, res) => {
    state.requests.clear();
    res.empty(204);
  });
}

async function parseBody<T>(req: SandboxRequest, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse((await req.json()) ?? {});
  if (!parsed.success) throw new HttpError(400, { message: z.prettifyError(parsed.error) });
  return parsed.data;
}
