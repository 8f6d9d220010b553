/**
 * How API keys read in the quick picks, kept free of `vscode` so unit tests load it. What each scope allows follows
 * the reference's scope names; the routes behind them are the sandbox's documented choice (docs/sandbox.md).
 */
import type { CyberneticApiKey, CyberneticScope } from '../../../providers/cybernetic/CyberneticApi';

export const SCOPE_DESCRIPTIONS: Record<CyberneticScope, string> = {
  'sessions:read': 'List Isaac Sim sessions and read their status and cost',
  'sessions:write': 'Start, stop and publish Isaac Sim sessions (they cost money)',
  'isaac:read': 'List environments and Eureka runs; read run logs and artifacts',
  'isaac:write': 'Create environments and upload environment versions',
  'isaac:execute': 'Start and cancel Eureka runs (they cost money)',
  'jobs:read': 'List 3D reconstruction jobs and read their results',
  'jobs:write': 'Upload inputs and start or cancel 3D reconstruction jobs (they cost money)',
};

export const MAX_KEY_NAME_LENGTH = 100;

/** What is wrong with a key name, or undefined when it will do. */
export function keyNameProblem(name: string): string | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return 'Give the key a name that says where it is used, for example "claude-code-mcp".';
  if (trimmed.length > MAX_KEY_NAME_LENGTH) return `At most ${MAX_KEY_NAME_LENGTH} characters (${trimmed.length} now).`;
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return 'The name cannot contain line breaks or control characters.';
  return undefined;
}

/**
 * True when this listed key is probably the one Sim Cloud itself signs in with: the list shows only a prefix, so a
 * stored key starting with it is the best evidence there is. A short prefix may match several keys.
 */
export function isKeyInUse(key: Pick<CyberneticApiKey, 'prefix'>, storedKey: string | undefined): boolean {
  const prefix = key.prefix?.trim();
  return !!storedKey && !!prefix && prefix.length >= 4 && storedKey.startsWith(prefix);
}

/** "2026-01-01 09:30 UTC" from an ISO time; the text as given when it does not parse. */
export function formatKeyTime(iso: string | null | undefined): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export interface KeyRow {
  readonly label: string;
  readonly description: string;
  readonly detail: string;
  readonly inUse: boolean;
}

/** One key as a quick-pick row: name; prefix (and whether Sim Cloud uses it); scopes, created, last used. */
export function keyRow(key: CyberneticApiKey, storedKey: string | undefined): KeyRow {
  const inUse = isKeyInUse(key, storedKey);
  const prefix = key.prefix ? `${key.prefix}…` : key.id;
  const scopes = key.scopes && key.scopes.length > 0 ? key.scopes.join(', ') : 'no scopes listed';
  const created = formatKeyTime(key.createdAt);
  const lastUsed = formatKeyTime(key.lastUsedAt);
  return {
    label: key.name?.trim() || key.id,
    description: inUse ? `${prefix} · used by Sim Cloud` : prefix,
    detail: [scopes, created ? `created ${created}` : undefined, lastUsed ? `last used ${lastUsed}` : 'last use not reported'].filter(Boolean).join(' · '),
    inUse,
  };
}
