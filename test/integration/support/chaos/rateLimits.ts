// "The request count stays within each provider's rate limit": every request a key sent (faulted ones included,
// which is stricter than the server, whose limiter never sees a request a fault answered first) is replayed through
// the provider's documented token bucket on the virtual times the sandbox received them. A bucket that would have
// gone below zero is an overuse, whether or not the server happened to answer 429.
import { createHash } from 'node:crypto';
import type { RecordedRequest } from '../../../../sandbox/http/RequestLog';
import { CYBERNETIC_POLICY } from '../../../../sandbox/providers/cybernetic/cyberneticPolicy';
import { SIMULACRUM_POLICY } from '../../../../sandbox/providers/simulacrum/simulacrumPolicy';
import { SIMULIX_POLICY } from '../../../../sandbox/providers/simulix/simulixPolicy';

/** Per key, on the routes the limit covers. Simulacra documents no general request limit (docs/sandbox.md). */
export const RATE_LIMITS = [
  { provider: 'simulacrum', pathPrefix: '/api/', perMinute: SIMULACRUM_POLICY.requestsPerMinute, source: 'Simulacrum Labs: "60 requests per minute per API key"' },
  { provider: 'cybernetic', pathPrefix: '/v1/', perMinute: CYBERNETIC_POLICY.requestsPerMinute, source: 'Cybernetic Physics: the sandbox budget per key' },
  { provider: 'simulix', pathPrefix: '/v1/', perMinute: SIMULIX_POLICY.requestsPerMinute, source: 'Simulix: the sandbox budget per key' },
] as const;

export interface RateLimitFinding {
  readonly provider: string;
  readonly key: string;
  readonly perMinute: number;
  readonly requests: number;
  /** Most requests of this key inside any 60 virtual seconds. */
  readonly busiestMinute: number;
  /** Requests the documented bucket would have refused. */
  readonly overLimit: number;
}

export function checkRateLimits(requests: readonly RecordedRequest[]): RateLimitFinding[] {
  const findings: RateLimitFinding[] = [];
  for (const limit of RATE_LIMITS) {
    const byKey = new Map<string, number[]>();
    for (const r of requests) {
      if (r.provider !== limit.provider || !r.path.startsWith(limit.pathPrefix)) continue;
      // The key itself is never printed: a short hash tells keys apart.
      const key = createHash('sha256').update(String(r.headers.authorization ?? 'none')).digest('hex').slice(0, 8);
      const times = byKey.get(key) ?? [];
      times.push(r.receivedAt);
      byKey.set(key, times);
    }
    for (const [key, times] of byKey) {
      times.sort((a, b) => a - b);
      let tokens: number = limit.perMinute;
      let last = times[0] ?? 0;
      let overLimit = 0;
      let busiest = 0;
      let windowStart = 0;
      for (const [i, at] of times.entries()) {
        tokens = Math.min(limit.perMinute, tokens + ((at - last) / 1000) * (limit.perMinute / 60));
        last = at;
        if (tokens >= 1 - 1e-9) tokens -= 1;
        else overLimit += 1;
        while ((times[windowStart] ?? at) <= at - 60_000) windowStart += 1;
        busiest = Math.max(busiest, i - windowStart + 1);
      }
      findings.push({ provider: limit.provider, key: `#${key}`, perMinute: limit.perMinute, requests: times.length, busiestMinute: busiest, overLimit });
    }
  }
  return findings;
}
