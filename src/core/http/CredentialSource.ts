/**
 * Where the HttpClient gets an Authorization header. The header goes only to `origin`: SAS and presigned URLs on
 * other hosts, and anything a server points us at, never see it.
 */
export interface CredentialSource {
  /** Stable and non-secret (e.g. `simulacrum:https://app.simulacrumlabs.com:<key fingerprint>`): the rate limiter key. */
  readonly id: string;
  /** The only origin (scheme://host:port) this credential may be sent to. */
  readonly origin: string;
  /** The full header value, e.g. `Bearer <token>`; may mint or refresh a token. */
  authorization(signal: AbortSignal): Promise<string>;
  /** Called on a 401: drop any cached token. The client then refreshes once and replays once, never in a loop. */
  invalidate?(): void;
}

/**
 * Exact origin equality on parsed URLs. Never a pattern or substring test: VS Code's own GitHub auth once sent tokens
 * to `github.com.attacker.example` through an unanchored regex.
 */
export function isSameOrigin(url: string | URL, origin: string): boolean {
  try {
    const target = typeof url === 'string' ? new URL(url) : url;
    const allowed = new URL(origin);
    return target.origin !== 'null' && target.origin === allowed.origin;
  } catch {
    return false;
  }
}
