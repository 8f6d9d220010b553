// Simulix numbers and fixtures the reference leaves open, in one place (docs/sandbox.md, Simulix). The ones the
// reference does state are quoted next to them.
import * as dev from '../../config/devCredentials';

export const SCOPES = ['simulations:write', 'simulations:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** Well-known dev keys (public, loopback only; `sx_` never matches the repo's production-key guard). */
export const SIMULIX_READONLY_API_KEY = 'sx_sandbox_readonly_key';
export const SIMULIX_SUBMIT_ONLY_API_KEY = 'sx_sandbox_submit_key';
export const SIMULIX_TEAM_API_KEY = 'sx_sandbox_team_key';
export const SIMULIX_OTHER_ORG_API_KEY = 'sx_sandbox_other_key';

export const DEV_ORGANIZATION = 'org_sandbox_dev';
export const OTHER_ORGANIZATION = 'org_sandbox_other';

export interface BuiltInKey {
  key: string;
  name: string;
  organizationId: string;
  scopes: readonly Scope[];
}

export const BUILT_IN_KEYS: readonly BuiltInKey[] = [
  { key: dev.SIMULIX_DEV_API_KEY, name: 'sandbox-dev', organizationId: DEV_ORGANIZATION, scopes: SCOPES },
  { key: SIMULIX_READONLY_API_KEY, name: 'sandbox-readonly', organizationId: DEV_ORGANIZATION, scopes: ['simulations:read'] },
  { key: SIMULIX_SUBMIT_ONLY_API_KEY, name: 'sandbox-submit', organizationId: DEV_ORGANIZATION, scopes: ['simulations:write'] },
  { key: SIMULIX_TEAM_API_KEY, name: 'sandbox-team', organizationId: DEV_ORGANIZATION, scopes: SCOPES },
  { key: SIMULIX_OTHER_ORG_API_KEY, name: 'sandbox-other', organizationId: OTHER_ORGANIZATION, scopes: SCOPES },
];

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const SIMULIX_POLICY = {
  /** "Polling is rate limited per the API key tier": the tiers are not published, so one budget per key. */
  requestsPerMinute: 300,
  /** "current v1 ceiling: 10000" */
  agentCeiling: 10_000,
  /** "limit (1–100, default 50)" */
  pageLimitDefault: 50,
  pageLimitMax: 100,
  /** "sets a Retry-After: 5 header" while queued or running. */
  pollRetryAfterSeconds: 5,
  queuedMs: 5 * SECOND,
  /** Running time: a base plus a slice per agent per round (200 agents × 2 rounds → 40 s in all, the reference's
   *  example estimate). */
  runningBaseMs: 25 * SECOND,
  runningMsPerAgentRound: 25,
  /** A simulation told to fail (control route) fails at this share of its running phase. */
  defaultFailAtShare: 0.5,
  scenarioContextMaxBytes: 16 * 1024,
  callbackUrlMaxLength: 2048,
  /** "backoff: 1m, 5m, 30m, 2h, 12h" — five retries after the first attempt (they add up to the "~14.6 hours"). */
  webhookBackoffMs: [1 * MINUTE, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 12 * HOUR] as readonly number[],
  /** Real (not virtual) milliseconds a receiver gets to answer one attempt. */
  webhookTimeoutMs: 10_000,
  /** Bytes of a receiver's answer kept with the attempt, for the control route. */
  webhookResponseKeepBytes: 1024,
} as const;
