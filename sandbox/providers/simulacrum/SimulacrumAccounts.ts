// Simulacrum accounts, one tenant per API key. The reference ties everything a caller sees to "your tenant", and its
// error table distinguishes a bad key (401), an account without credits (402) and one "not approved or suspended"
// (403); the dev keys cover each case and the control API creates more.
import { createHash } from 'node:crypto';
import * as dev from '../../config/devCredentials';
import { SIMULACRUM_POLICY } from './simulacrumPolicy';

export type SimulacrumTier = 'free' | 'enterprise';

export interface SimulacrumAccount {
  readonly key: string;
  /** Stable, key-free id used in blob names, so a storage path never carries a credential. */
  readonly tenant: string;
  tier: SimulacrumTier;
  /** Exact balance; rounded to cents only when shown. */
  credits: number;
  approved: boolean;
  suspended: boolean;
}

export interface AccountChange {
  key: string;
  tier?: SimulacrumTier;
  credits?: number;
  approved?: boolean;
  suspended?: boolean;
}

/** The balance the reference's example shows, kept for the dev key (existing tests and demos read it). */
export const DEV_ACCOUNT_CREDITS = 4.25;

const DEV_ACCOUNTS: readonly AccountChange[] = [
  { key: dev.SIMULACRUM_DEV_API_KEY, tier: 'enterprise', credits: DEV_ACCOUNT_CREDITS, approved: true },
  { key: dev.SIMULACRUM_FREE_API_KEY, tier: 'free', credits: 10, approved: true },
  { key: dev.SIMULACRUM_OTHER_TENANT_API_KEY, tier: 'enterprise', credits: 10, approved: true },
  { key: dev.SIMULACRUM_UNAPPROVED_API_KEY, tier: 'free', credits: 10, approved: false },
  { key: dev.SIMULACRUM_BROKE_API_KEY, tier: 'free', credits: 0, approved: true },
];

export class SimulacrumAccounts {
  private readonly byKey = new Map<string, SimulacrumAccount>();

  constructor() {
    for (const account of DEV_ACCOUNTS) this.upsert(account);
  }

  find(key: string): SimulacrumAccount | undefined {
    return this.byKey.get(key);
  }

  all(): SimulacrumAccount[] {
    return [...this.byKey.values()];
  }

  /** Creates the account (defaults: free, approved, 10 credits) or changes only the fields given. */
  upsert(change: AccountChange): { account: SimulacrumAccount; created: boolean } {
    const existing = this.byKey.get(change.key);
    const account = existing ?? { key: change.key, tenant: tenantOf(change.key), tier: 'free', credits: 10, approved: true, suspended: false };
    if (change.tier !== undefined) account.tier = change.tier;
    if (change.credits !== undefined) account.credits = change.credits;
    if (change.approved !== undefined) account.approved = change.approved;
    if (change.suspended !== undefined) account.suspended = change.suspended;
    this.byKey.set(change.key, account);
    return { account, created: !existing };
  }
}

export function submissionsPerHour(account: SimulacrumAccount): number {
  return account.tier === 'free' ? SIMULACRUM_POLICY.freeSubmissionsPerHour : SIMULACRUM_POLICY.enterpriseSubmissionsPerHour;
}

export function roundCredits(credits: number): number {
  return Math.round(Math.max(0, credits) * 100) / 100;
}

export function gpuHoursRemaining(credits: number): number {
  return Math.round((Math.max(0, credits) / SIMULACRUM_POLICY.creditsPerGpuHour) * 100) / 100;
}

function tenantOf(key: string): string {
  return `tenant_${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}
