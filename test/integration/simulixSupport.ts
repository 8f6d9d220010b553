// Shared by the simulix*.test.ts integration files: a sandbox on a paused virtual clock, a SimulixApi per key built
// as the extension builds it, the control routes, and a helper that checks what a user reads in a refusal.
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { refusalFor, type Expected } from './support/refusal';
import { HttpClient } from '../../src/core/http/HttpClient';
import type { RetryOptions } from '../../src/core/http/retryPolicy';
import { SimulixApi } from '../../src/providers/simulix/SimulixApi';

export * as dev from '../../sandbox/config/devCredentials';
export { SIMULIX_OTHER_ORG_API_KEY, SIMULIX_READONLY_API_KEY, SIMULIX_SUBMIT_ONLY_API_KEY, SIMULIX_TEAM_API_KEY } from '../../sandbox/providers/simulix/simulixPolicy';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const signal = (): AbortSignal => new AbortController().signal;

export async function startSimulixSandbox(seed: number): Promise<Sandbox> {
  const sandbox = await startSandbox({ ports: 'ephemeral', speed: 0, storage: false, seed });
  // Plenty of budget on a paused clock (it refills only when the clock moves); the rate-limit test lowers it.
  await control(sandbox, 'PUT', '/limits', { requests_per_minute: 100_000 });
  return sandbox;
}

/** The client exactly as the extension builds it, on the sandbox's clock; `key: undefined` sends no Authorization. */
export function apiFor(sb: Sandbox, key: string | undefined, retry?: Partial<RetryOptions>): { api: SimulixApi; http: HttpClient } {
  const http = new HttpClient({
    baseUrl: sb.urls.simulix,
    credential: key === undefined ? undefined : { id: `simulix:${key}`, origin: sb.urls.simulix, authorization: async () => `Bearer ${key}` },
    clock: sb.clock,
    random: () => 0,
    provider: 'simulix',
    serviceName: 'Simulix',
    retry,
  });
  return { api: new SimulixApi(http, { clock: sb.clock }), http };
}

export async function control(sb: Sandbox, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sb.urls.control}/_sandbox/simulix${path}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {} };
}

/** Requests that reached the Simulix API for one path, in order. */
export function requestsTo(sb: Sandbox, method: string, path: string): { receivedAt: number; status: number }[] {
  return sb.requests.all().filter((r) => r.provider === 'simulix' && r.method === method && r.path === path);
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export type { Expected };

/** Runs `call`, requires an ApiError with this status and code, and checks what the user would read. */
export const refusal = refusalFor({ serviceName: 'Simulix', secret: /sx_sandbox_/, secretMessage: 'no key in the message' });
