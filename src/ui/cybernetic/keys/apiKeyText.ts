/**
 * What the API key quick picks show, kept free of `vscode` so unit tests load it: facts and problem codes only; the
 * host (ApiKeyCommands) words them with vscode.l10n.
 */
import type { CyberneticApiKey } from '../../../providers/cybernetic/CyberneticApi';

export const MAX_KEY_NAME_LENGTH = 100;

export type KeyNameProblem = { problem: 'empty' } | { problem: 'too-long'; length: number } | { problem: 'control-characters' };

/** What is wrong with a key name, or undefined when it will do. */
export function keyNameProblem(name: string): KeyNameProblem | undefined {
  const trimmed = name.trim();
  if (trimmed === '') return { problem: 'empty' };
  if (trimmed.length > MAX_KEY_NAME_LENGTH) return { problem: 'too-long', length: trimmed.length };
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) return { problem: 'control-characters' };
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
  /** `cp_live_ab12…`, or the id when the list gives no prefix. */
  readonly prefix: string;
  readonly scopes: readonly string[];
  readonly created?: string;
  readonly lastUsed?: string;
  readonly inUse: boolean;
}

/** One key as a quick-pick row: name; prefix (and whether Sim Cloud uses it); scopes, created, last used. */
export function keyRow(key: CyberneticApiKey, storedKey: string | undefined): KeyRow {
  return {
    label: key.name?.trim() || key.id,
    prefix: key.prefix ? `${key.prefix}…` : key.id,
    scopes: key.scopes ?? [],
    created: formatKeyTime(key.createdAt),
    lastUsed: formatKeyTime(key.lastUsedAt),
    inUse: isKeyInUse(key, storedKey),
  };
}
