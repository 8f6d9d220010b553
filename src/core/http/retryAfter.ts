import { MAX_TIMEOUT_MS } from '../util/clock';

const DELTA_SECONDS = /^\d+$/;

/**
 * Parses a Retry-After header (RFC 9110 §10.2.3) into milliseconds to wait from `nowMs`: delta-seconds or an
 * HTTP-date. The date is compared against the injected clock, not the host's, so a virtual clock and a server on it
 * agree. Garbage gives undefined (the caller falls back to its backoff); a date in the past gives 0; anything huge is
 * capped at MAX_TIMEOUT_MS, because a larger setTimeout fires after 1 ms.
 */
export function parseRetryAfter(value: string | readonly string[] | undefined | null, nowMs: number): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value) as string | undefined | null;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (DELTA_SECONDS.test(text)) return Math.min(Number(text) * 1000, MAX_TIMEOUT_MS);
  // HTTP-dates always name a weekday or month; requiring a letter keeps Date.parse from accepting "1.5" or "-3".
  if (!/[A-Za-z]/.test(text)) return undefined;
  // HTTP-dates are always GMT; the asctime form has no zone, and Date.parse would read it as local time.
  const at = Date.parse(/\b(GMT|UTC|UT|Z)\b|[+-]\d{4}$/.test(text) ? text : `${text} GMT`);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - nowMs), MAX_TIMEOUT_MS);
}
