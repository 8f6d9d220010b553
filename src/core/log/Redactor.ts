/** What every redacted value is replaced with. Azure's logging policy uses the same word for query values. */
export const REDACTED = 'REDACTED';

/** Shorter values would blank out ordinary words all over the log; real keys and signatures are far longer. */
export const MIN_SECRET_LENGTH = 4;

/**
 * Headers whose values are safe to log (Azure core's allow-list idea): everything else, Authorization and cookies
 * above all, is logged as REDACTED. Idempotency keys are not secrets and are what support asks for.
 */
const SAFE_HEADERS = new Set(['content-type', 'content-length', 'x-request-id', 'retry-after', 'idempotency-key', 'user-agent', 'date', 'accept', 'etag', 'last-modified']);
const SAFE_HEADER_PREFIXES = ['x-ms-'];
/** x-ms-* headers are logged, except the ones that carry keys or SAS-like material. */
const UNSAFE_MS_HEADERS = new Set(['x-ms-copy-source', 'x-ms-copy-source-authorization', 'x-ms-encryption-key', 'x-ms-encryption-key-sha256', 'x-ms-rename-source']);

/** Field names whose values are credentials wherever they appear: query strings, form bodies, JSON, headers. */
const SECRET_FIELD_NAMES = [
  'client_secret',
  'credential_claim_token',
  'webhook_signing_secret',
  'signing_secret',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'x-api-key',
  'password',
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
];

// `name=value`, `name: value`, `"name":"value"`, `'name': 'value'`. The lookbehind keeps `mysig=` or `sig_x=` alone.
const FIELD_PATTERN = new RegExp(
  `(?<![A-Za-z0-9_-])(["']?)(${SECRET_FIELD_NAMES.map(escapeRegExp).join('|')})\\1(\\s*[:=]\\s*)(?:"([^"]*)"|'([^']*)'|([^\\s&,;"'}<>\\]]+))`,
  'gi',
);
// Only "Bearer" stands alone: "Basic plan" or "Token expired" are ordinary words, so other schemes are caught only
// after an Authorization name.
const BEARER_PATTERN = /\b(Bearer)(\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const AUTHORIZATION_PATTERN = /((?:proxy-)?authorization["']?\s*[:=]\s*["']?)(?:(Bearer|Basic|Token|Digest|SharedKey|AWS4-HMAC-SHA256)\s+)?[^\s"',;}]+/gi;
const PROVIDER_KEY_PATTERN = /\b(sim_live_|cp_live_)[A-Za-z0-9_-]+/g;
const JWT_PATTERN = /\beyJ[A-Za-z0-9_-]{5,}(?:\.[A-Za-z0-9_-]*){0,2}/g;

export type HeaderInput =
  | Iterable<[string, string]>
  | Readonly<Record<string, string | readonly string[] | number | undefined | null>>;

/**
 * The one place that decides what may be written down. Known secrets (the API key the user pasted, a fresh token)
 * are registered as they appear; on top of that, patterns catch credentials the registry has never seen, such as a
 * SAS signature in a URL handed back by the server.
 */
export class Redactor {
  private secrets: string[] = [];

  /** Registers a secret value; values shorter than MIN_SECRET_LENGTH are ignored. */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string') return;
    const trimmed = value.trim();
    if (trimmed.length < MIN_SECRET_LENGTH) return;
    // A secret also shows up percent-encoded (in a URL) or form-encoded (in a token request body).
    const variants = new Set([trimmed, encodeURIComponent(trimmed), new URLSearchParams({ v: trimmed }).toString().slice(2)]);
    let changed = false;
    for (const variant of variants) {
      if (!this.secrets.includes(variant)) {
        this.secrets.push(variant);
        changed = true;
      }
    }
    // Longest first: a secret that contains another must be replaced whole, not leave its tail behind.
    if (changed) this.secrets.sort((a, b) => b.length - a.length);
  }

  removeSecret(value: string): void {
    const trimmed = value.trim();
    const variants = new Set([trimmed, encodeURIComponent(trimmed), new URLSearchParams({ v: trimmed }).toString().slice(2)]);
    this.secrets = this.secrets.filter((secret) => !variants.has(secret));
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return out
      .replace(BEARER_PATTERN, `$1$2${REDACTED}`)
      .replace(AUTHORIZATION_PATTERN, (_match, prefix: string, scheme?: string) => `${prefix}${scheme ? `${scheme} ` : ''}${REDACTED}`)
      .replace(PROVIDER_KEY_PATTERN, `$1${REDACTED}`)
      .replace(JWT_PATTERN, REDACTED)
      .replace(FIELD_PATTERN, (_match, quote: string, name: string, separator: string, dq?: string, sq?: string) => {
        const value = dq !== undefined ? `"${REDACTED}"` : sq !== undefined ? `'${REDACTED}'` : REDACTED;
        return `${quote}${name}${quote}${separator}${value}`;
      });
  }

  /**
   * Presigned and SAS URLs are credentials, so every query value is replaced, whatever its name; the path is kept
   * (through redact(), in case a key sits in it) because it says what was called.
   */
  redactUrl(url: string | URL): string {
    let parsed: URL;
    try {
      parsed = typeof url === 'string' ? new URL(url) : url;
    } catch {
      const text = String(url);
      return this.redact(text.replace(/([?&][^=&#\s]*)=[^&#\s]*/g, `$1=${REDACTED}`).replace(/#.*$/, ''));
    }
    const userInfo = parsed.username || parsed.password ? `${REDACTED}@` : '';
    const keys = [...parsed.searchParams.keys()];
    const query = keys.length > 0 ? `?${keys.map((key) => `${encodeURIComponent(key)}=${REDACTED}`).join('&')}` : '';
    return this.redact(`${parsed.protocol}//${userInfo}${parsed.host}${parsed.pathname}${query}`);
  }

  /** Lower-cased names; values of headers outside the allow-list become REDACTED. */
  redactHeaders(headers: HeaderInput): Record<string, string> {
    const out: Record<string, string> = {};
    const entries: Iterable<[string, unknown]> = isIterable(headers) ? headers : Object.entries(headers);
    for (const [rawName, rawValue] of entries) {
      if (rawValue === undefined || rawValue === null) continue;
      const name = rawName.toLowerCase();
      const value = Array.isArray(rawValue) ? rawValue.join(', ') : String(rawValue);
      // A redirect target may be a presigned URL: log where it points, never its query.
      if (name === 'location') out[name] = this.redactUrl(value);
      else out[name] = isSafeHeader(name) ? this.redact(value) : REDACTED;
    }
    return out;
  }
}

function isSafeHeader(name: string): boolean {
  if (SAFE_HEADERS.has(name)) return true;
  return SAFE_HEADER_PREFIXES.some((prefix) => name.startsWith(prefix)) && !UNSAFE_MS_HEADERS.has(name);
}

function isIterable(value: HeaderInput): value is Iterable<[string, string]> {
  return typeof (value as Partial<Iterable<unknown>>)[Symbol.iterator] === 'function';
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
