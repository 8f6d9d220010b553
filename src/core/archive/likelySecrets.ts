/**
 * Files that likely hold credentials, found by name (and, for package-manager configs, by a token-looking line), so
 * the submit flow never uploads one silently. A heuristic that errs towards asking: a false alarm costs a click, a
 * miss sends a key to a cloud bucket.
 */
import { appendFile, readFile } from 'node:fs/promises';

export interface LikelySecret {
  readonly relPath: string;
  /** Short English reason ("private key"), for logs and tests; the UI words its own. */
  readonly kind: SecretKind;
}

export type SecretKind = 'env-file' | 'private-key' | 'token-config' | 'cloud-credentials' | 'kubeconfig';

/** Templates committed on purpose (`.env.example`): they hold placeholders, not secrets. */
const ENV_TEMPLATES = /^\.env\.(example|sample|template|dist|defaults)$/i;
const PRIVATE_KEY_NAMES = /^(id_(rsa|dsa|ecdsa|ed25519)(_sk)?)(?!.*\.pub$)/i;
const PRIVATE_KEY_EXTENSIONS = /\.(pem|key|p12|pfx|jks|keystore|ppk)$/i;
const TOKEN_CONFIGS = /^(\.npmrc|\.pypirc|\.netrc|_netrc|\.git-credentials|\.yarnrc\.yml|\.docker[/]config\.json)$/i;
/** A line of a package-manager config that carries a credential (`_authToken=`, `password:`, `//host/:_auth=`). */
const TOKEN_LINE = /(_authtoken|_auth|_password|password|token|secret)\s*[=:]\s*\S/i;

/**
 * Why `relPath` (posix, workspace-relative) looks like a secret, or undefined. `.npmrc`-like configs count only when
 * `readText` finds a credential line in them (a registry URL alone is harmless); without `readText` they always count.
 */
export function likelySecretKind(relPath: string, readText?: (relPath: string) => string | undefined): SecretKind | undefined {
  const name = relPath.slice(relPath.lastIndexOf('/') + 1);
  const lower = relPath.toLowerCase();
  if ((name === '.env' || /^\.env\./i.test(name) || /\.env$/i.test(name)) && !ENV_TEMPLATES.test(name)) return 'env-file';
  if (PRIVATE_KEY_NAMES.test(name) || PRIVATE_KEY_EXTENSIONS.test(name)) return 'private-key';
  if (lower === '.aws/credentials' || lower.endsWith('/.aws/credentials') || /^credentials.*\.json$/i.test(name) || /^(service[-_]?account|gcp[-_]key|client_secret).*\.json$/i.test(name)) return 'cloud-credentials';
  if (lower === '.kube/config' || lower.endsWith('/.kube/config') || /^kubeconfig/i.test(name)) return 'kubeconfig';
  const tail = lower.endsWith('.docker/config.json') ? '.docker/config.json' : name;
  if (TOKEN_CONFIGS.test(tail)) {
    if (!readText || name === '.git-credentials' || /netrc$/i.test(name)) return 'token-config';
    const text = readText(relPath);
    return text === undefined || text.split('\n').some((line) => !/^\s*[#;]/.test(line) && TOKEN_LINE.test(line)) ? 'token-config' : undefined;
  }
  return undefined;
}

export function findLikelySecrets(relPaths: Iterable<string>, readText?: (relPath: string) => string | undefined): LikelySecret[] {
  const found: LikelySecret[] = [];
  for (const relPath of relPaths) {
    const kind = likelySecretKind(relPath, readText);
    if (kind) found.push({ relPath, kind });
  }
  return found;
}

/**
 * A `.gitignore` line that matches exactly this one path from the root: anchored by the leading `/` (so a name
 * starting with `#` or `!` is not a comment or negation), glob characters escaped (`a[1]` is not a class), a trailing
 * space kept (git strips unescaped ones).
 */
export function gitignoreLiteral(relPath: string): string {
  return `/${relPath.replace(/[\\*?[]/g, (c) => `\\${c}`).replace(/ $/, '\\ ')}`;
}

/** Appends lines to an ignore file (created when missing), on a line of their own, under a comment saying why. */
export async function appendIgnoreLines(file: string, lines: readonly string[], comment = 'Likely secrets, excluded from Sim Cloud uploads'): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch {
    // no file yet: appendFile creates it
  }
  const known = new Set(existing.split(/\r?\n/));
  const fresh = lines.filter((line) => !known.has(line));
  if (fresh.length === 0) return;
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  await appendFile(file, `${separator}# ${comment}\n${fresh.join('\n')}\n`, 'utf8');
}
