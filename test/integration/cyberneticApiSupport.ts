// Shared by the cyberneticApi*.test.ts files: a sandbox on a paused virtual clock, a CyberneticApi per key, and a
// helper that asserts the user-facing shape of a refusal (status, code, the server's words, request id, next step).
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox } from '../../sandbox/index';
import { refusalFor, type Expected } from './support/refusal';
import { HttpClient } from '../../src/core/http/HttpClient';
import { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';

export * as dev from '../../sandbox/config/devCredentials';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

export const signal = (): AbortSignal => new AbortController().signal;

export async function startCyberneticSandbox(seed: number, startAt?: number): Promise<Sandbox> {
  return startSandbox({ ports: 'ephemeral', speed: 0, storage: true, seed, startAt });
}

/** The client exactly as the extension builds it; `key: undefined` sends no Authorization header at all. */
export function apiFor(sb: Sandbox, key: string | undefined): CyberneticApi {
  const http = new HttpClient({
    baseUrl: sb.urls.cybernetic,
    credential: key === undefined ? undefined : { id: `cybernetic:${key.slice(0, 16)}`, origin: sb.urls.cybernetic, authorization: async () => `Bearer ${key}` },
    clock: sb.clock,
    random: () => 0,
    provider: 'cybernetic',
    serviceName: 'Cybernetic Physics',
  });
  return new CyberneticApi(http);
}

export type { Expected };

/** Runs `call`, requires an ApiError with this status and code, and checks what the user would read. */
export const refusal = refusalFor({ serviceName: 'Cybernetic Physics', secret: /cp_live_|token=/, secretMessage: 'no secret in the message' });

/** A 403 for a key without `scope`: the message names the scope and says where to get a key that has it. */
export function scopeRefusal(scope: string): Expected {
  const escaped = scope.replace(':', '\\:');
  return { status: 403, code: 'insufficient_scope', message: [new RegExp(`lacks the ${escaped} scope`), /Settings > API keys/] };
}

/** Posts a file to a presigned S3 POST form (storage, not the API: plain fetch, as the upload core does). */
export async function postToPresigned(target: { url: string; fields?: Record<string, string> | null }, content: Buffer | string, type: string): Promise<number> {
  const form = new FormData();
  for (const [name, value] of Object.entries(target.fields ?? {})) form.append(name, value);
  form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)], { type }), 'file');
  const res = await fetch(target.url, { method: 'POST', body: form });
  await res.arrayBuffer();
  return res.status;
}

export async function download(url: string): Promise<Buffer> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET artifact → ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}
