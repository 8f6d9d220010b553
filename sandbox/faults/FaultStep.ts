// What can go wrong on the wire, as data: scripted by tests (exact sequences) or drawn from a FaultConfig (rates).
// The zod schemas validate the control API and the --faults flag, and are the single source of the types.
import { z } from 'zod';
import { SERVICE_NAMES } from '../ServiceName';

export const FaultStepSchema = z.discriminatedUnion('kind', [
  /**
   * Any status, in the provider's error style; retryAfter is sent verbatim as the Retry-After header. `message` and
   * `code` replace the error's text and machine code (e.g. markup, to plant hostile text where a client shows errors).
   */
  z.object({
    kind: z.literal('status'),
    status: z.number().int().min(100).max(599),
    retryAfter: z.string().optional(),
    message: z.string().max(10_000).optional(),
    code: z.string().max(200).optional(),
  }),
  /** 429 with `Retry-After: <seconds>`. */
  z.object({ kind: z.literal('retry-after-seconds'), seconds: z.number().min(0) }),
  /** 429 (or the given status, e.g. 503) with `Retry-After: <HTTP-date of clock.now() + seconds>`. */
  z.object({ kind: z.literal('retry-after-date'), seconds: z.number(), status: z.number().int().min(100).max(599).optional() }),
  /** TCP reset without any response. */
  z.object({ kind: z.literal('reset') }),
  /** 200 with a JSON body cut off mid-way (complete HTTP message, invalid JSON). */
  z.object({ kind: z.literal('malformed-json') }),
  /** Delays the request by virtual ms, then handles it normally. */
  z.object({ kind: z.literal('latency'), ms: z.number().min(0) }),
  /** 200 headers and part of the body, then silence until the client gives up. */
  z.object({ kind: z.literal('stall-body') }),
]);
export type FaultStep = z.infer<typeof FaultStepSchema>;

const fraction = z.number().min(0).max(1);

export const FaultConfigSchema = z.object({
  seed: z.number().int().optional(),
  error5xx: fraction.optional(),
  /** Which 5xx a random error5xx picks from. Default [500, 502, 503, 504]. */
  statuses5xx: z.array(z.number().int().min(500).max(599)).min(1).optional(),
  rateLimit429: fraction.optional(),
  /** Retry-After seconds sent with random 429s. Default 1. */
  retryAfterSeconds: z.number().min(0).optional(),
  reset: fraction.optional(),
  /** Extra virtual latency added to every matching request. */
  latencyMs: z.number().min(0).optional(),
  /** Fraction of matching requests held for latencySpikeMs of virtual time first (drawn apart from the failures,
   *  so a spike can precede a 5xx as a slow gateway's would). */
  latencySpike: fraction.optional(),
  /** Length of a latency spike in virtual ms. Default 2000. */
  latencySpikeMs: z.number().min(0).optional(),
  /** Fraction of matching requests that start a burst of 429s on their service: every request to that service in
   *  the next rateLimitBurstSeconds of virtual time gets 429 with Retry-After = the seconds the burst has left, as a
   *  throttled gateway answers. A client that retries before Retry-After meets the same burst again. */
  rateLimitBurst: fraction.optional(),
  /** Length of a 429 burst in virtual seconds. Default 3. */
  rateLimitBurstSeconds: z.number().min(0).optional(),
  malformedJson: fraction.optional(),
  /** Services the random faults apply to. Default: the four provider APIs and the token server (not storage). */
  providers: z.array(z.enum(SERVICE_NAMES)).optional(),
  /** Path prefixes the random faults apply to. Default: every path. */
  pathPrefixes: z.array(z.string()).optional(),
});
export type FaultConfig = z.infer<typeof FaultConfigSchema>;

export const FaultScriptSchema = z.object({
  provider: z.union([z.enum(SERVICE_NAMES), z.literal('*')]),
  pathPrefix: z.string(),
  steps: z.array(FaultStepSchema),
});
export type FaultScript = z.infer<typeof FaultScriptSchema>;
