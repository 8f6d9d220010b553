// A Simulacrum job as the Jobs view shows it, and a signed-in Simulacrum account, for tests (and the tree bench) that
// drive JobStore and the Jobs tree without a provider behind them.
import type { AccountsModel, AccountStatus } from '../../src/core/accounts/AccountsModel';
import type { Resource } from '../../src/core/jobs/Resource';

/** A running Simulacrum render job; `overrides` set any field. */
export function simulacrumJob(id: string, overrides: Partial<Resource> = {}): Resource {
  return {
    provider: 'simulacrum',
    id,
    kind: 'job',
    displayName: id,
    status: 'running',
    rawStatus: 'running',
    facts: ['annotations'],
    createdAt: '2026-04-05T12:00:00Z',
    actions: ['cancel', 'log', 'details'],
    details: [['Job id', id]],
    raw: { job_id: id },
    ...overrides,
  };
}

/** Just what the Jobs tree reads of AccountsModel: Simulacrum signed in with a key at `baseUrl`. */
export function signedInSimulacrum(baseUrl = 'https://api.example'): AccountsModel {
  const status: AccountStatus = { provider: 'simulacrum', state: 'signedIn', location: 'secretStorage', endpoints: { baseUrl, origin: baseUrl, requestsPerMinute: 60 } };
  return { ready: async () => undefined, anySignedIn: true, all: () => [status], status: () => status, onDidChangeAccounts: () => ({ dispose() {} }) } as unknown as AccountsModel;
}
