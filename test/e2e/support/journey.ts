// What every provider journey shares: one session for the whole file, steps that run in order and screenshot their
// failures, the sandbox's control API, and moving the sandbox clock followed by Sim Cloud: Refresh.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { withFailureScreenshot } from './artifacts';
import { startSession, type E2eSession, type SessionOptions } from './session';

export interface Journey {
  /** The session, once `before` has started it. */
  readonly session: () => E2eSession;
  step(name: string, body: () => Promise<void>): void;
  control<T>(pathname: string, init?: { method?: string; body?: unknown }): Promise<T>;
  /** Moves the sandbox clock, then runs Sim Cloud: Refresh as a user would. */
  advance(ms: number): Promise<void>;
}

export function journey(prefix: string, options: SessionOptions, stepTimeoutMs = 240_000): Journey {
  let session: E2eSession | undefined;
  let failed = false;
  before(async () => {
    session = await startSession(options);
  });
  after(async () => {
    if (session && failed) {
      console.error(`# page errors:\n${session.pageErrors.slice(-20).join('\n')}`);
      console.error(`# Sim Cloud log (tail):\n${session.simCloudLog().split('\n').slice(-40).join('\n')}`);
    }
    await session?.close();
  });
  const current = (): E2eSession => {
    assert.ok(session, 'the session started');
    return session;
  };
  return {
    session: current,
    step(name, body) {
      it(name, { timeout: stepTimeoutMs }, async () => {
        try {
          await withFailureScreenshot(session?.page, `${prefix}-${name.replace(/\s+/g, '-').slice(0, 50)}`, body);
        } catch (error) {
          failed = true;
          throw error;
        }
      });
    },
    async control<T>(pathname: string, init?: { method?: string; body?: unknown }): Promise<T> {
      const response = await fetch(new URL(pathname, current().sandbox.urls.control), {
        method: init?.method ?? 'GET',
        headers: init?.body === undefined ? {} : { 'content-type': 'application/json' },
        body: init?.body === undefined ? undefined : JSON.stringify(init.body),
      });
      assert.ok(response.ok, `${pathname}: HTTP ${response.status} ${await response.clone().text()}`);
      return (await response.json()) as T;
    },
    async advance(ms) {
      current().sandbox.clock.advance(ms);
      await current().workbench.runCommand('Sim Cloud: Refresh');
    },
  };
}
