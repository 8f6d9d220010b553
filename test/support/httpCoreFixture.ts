// Shared set-up for the HTTP-core integration suites: a storage-free sandbox on ephemeral ports, credentials in the
// CredentialSource shape, and small waits on what reached the server.
import assert from 'node:assert/strict';
import type { CredentialSource } from '../../src/core/http/CredentialSource';
import { ApiError } from '../../src/core/http/ApiError';
import { startSandbox, type RecordedRequest, type Sandbox } from '../../sandbox/index';

export async function startCoreSandbox(): Promise<Sandbox> {
  return startSandbox({ ports: 'ephemeral', speed: 100, seed: 42, storage: false });
}

/** An API-key credential; `keys` lets a test hand out a wrong key first and the right one after invalidate(). */
export class ApiKeyCredential implements CredentialSource {
  invalidations = 0;
  private index = 0;

  constructor(
    readonly id: string,
    readonly origin: string,
    private readonly keys: readonly string[],
  ) {}

  async authorization(signal: AbortSignal): Promise<string> {
    signal.throwIfAborted();
    return `Bearer ${this.keys[Math.min(this.index, this.keys.length - 1)]}`;
  }

  invalidate(): void {
    this.invalidations += 1;
    this.index += 1;
  }
}

/** Polls (in real time) until `predicate` holds; fails after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('waitFor: condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

export function requestsTo(sb: Sandbox, path: string): RecordedRequest[] {
  return sb.requests.all().filter((request) => request.path === path);
}

export function header(request: RecordedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The ApiError a call rejects with (fails the test if it resolves or rejects with something else). */
export async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(ApiError.is(error), `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}
