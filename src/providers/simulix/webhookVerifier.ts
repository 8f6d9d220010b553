import { createHmac, timingSafeEqual } from 'node:crypto';

// Simulix webhook verification (../shared/api/simulix.md, "Verifying the signature"): `X-Simulix-Signature:
// t=<unix>,v1=<hex>`, HMAC-SHA256 keyed with the secret string's UTF-8 bytes (the reference's `secret.encode()`) over
// `"{t}."` + the raw body bytes, compared in constant time, and `t` within 5 minutes of the receiver's clock in
// either direction (SECURITY.md, Webhooks). Several `v1=` values are accepted when any one matches (secret rotation).

export const SIMULIX_WEBHOOK_TOLERANCE_SECONDS = 300;
/** Delivery ids remembered for duplicate detection; the oldest are forgotten first. */
export const DEFAULT_REMEMBERED_DELIVERIES = 10_000;

export type WebhookVerdict =
  | { readonly outcome: 'accepted'; readonly deliveryId: string; readonly eventId?: string; readonly timestamp: number; readonly event: Record<string, unknown> }
  | { readonly outcome: 'duplicate'; readonly deliveryId: string; readonly eventId?: string }
  | { readonly outcome: 'bad-signature'; readonly reason: string }
  | { readonly outcome: 'stale'; readonly reason: string; readonly skewSeconds: number }
  | { readonly outcome: 'malformed'; readonly reason: string };

export interface ParsedSignature {
  readonly timestamp: number;
  readonly signatures: readonly string[];
}

/** `t=1714000000,v1=abc…[,v1=…]`; other schemes (v0=…) are ignored. Undefined when the header cannot be read. */
export function parseSignatureHeader(header: string | undefined): ParsedSignature | undefined {
  if (typeof header !== 'string' || header.length === 0 || header.length > 4096) return undefined;
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (!/^\d{1,12}$/.test(value) || timestamp !== undefined) return undefined;
      timestamp = Number(value);
    } else if (key === 'v1') {
      signatures.push(value);
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined;
  return { timestamp, signatures };
}

/** Lowercase hex HMAC-SHA256 of `"{t}." + body` keyed with the secret's UTF-8 bytes. */
export function computeSignature(secret: string, timestamp: number, body: Uint8Array): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.`).update(body).digest('hex');
}

/** Constant-time for equal lengths; a different length (or non-hex) is simply false, never a throw. */
export function signaturesMatch(expectedHex: string, givenHex: string): boolean {
  if (!/^[0-9a-fA-F]+$/.test(givenHex) || givenHex.length !== expectedHex.length) return false;
  const expected = Buffer.from(expectedHex, 'hex');
  const given = Buffer.from(givenHex.toLowerCase(), 'hex');
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export interface WebhookDelivery {
  /** The raw bytes as received: never a re-serialised body. */
  readonly body: Uint8Array;
  readonly signatureHeader: string | undefined;
  readonly deliveryIdHeader: string | undefined;
}

export interface WebhookVerifierOptions {
  /** The current signing secret, plus retired ones still accepted during a rotation. */
  secrets: readonly string[];
  /** Epoch ms; the receiver's own clock. */
  now: () => number;
  toleranceSeconds?: number;
  rememberedDeliveries?: number;
}

/**
 * Verifies deliveries and drops repeats. A delivery id (header) or event id (`id` in the signed body) already accepted
 * makes a `duplicate`: Simulix retries a delivery with the same id, and the header is not covered by the signature, so
 * the signed event id guards against a replay under a fresh delivery id. Only verified deliveries are remembered, in
 * a bounded first-in-first-out set.
 */
export class WebhookVerifier {
  private readonly seenDeliveries = new Set<string>();
  private readonly seenEvents = new Set<string>();
  private readonly tolerance: number;
  private readonly capacity: number;
  private secrets: readonly string[];

  constructor(private readonly options: WebhookVerifierOptions) {
    this.secrets = options.secrets.filter((s) => s.length > 0);
    this.tolerance = options.toleranceSeconds ?? SIMULIX_WEBHOOK_TOLERANCE_SECONDS;
    this.capacity = Math.max(1, options.rememberedDeliveries ?? DEFAULT_REMEMBERED_DELIVERIES);
  }

  /** Replaces the accepted secrets (a regenerated secret, with the old one kept for deliveries already signed). */
  setSecrets(secrets: readonly string[]): void {
    this.secrets = secrets.filter((s) => s.length > 0);
  }

  verify(delivery: WebhookDelivery): WebhookVerdict {
    const deliveryId = delivery.deliveryIdHeader?.trim();
    if (!deliveryId || deliveryId.length > 200) return { outcome: 'malformed', reason: 'missing or oversized X-Simulix-Delivery-Id header' };
    const parsed = parseSignatureHeader(delivery.signatureHeader);
    if (!parsed) return { outcome: 'malformed', reason: 'missing or unreadable X-Simulix-Signature header' };
    if (this.secrets.length === 0) return { outcome: 'bad-signature', reason: 'no signing secret is configured' };
    let matched = false;
    for (const secret of this.secrets) {
      const expected = computeSignature(secret, parsed.timestamp, delivery.body);
      // Every candidate is compared (no early exit) so timing does not tell which v1 value or secret matched.
      for (const given of parsed.signatures) matched = signaturesMatch(expected, given) || matched;
    }
    if (!matched) return { outcome: 'bad-signature', reason: 'no v1 signature matches the raw body' };
    const skewSeconds = Math.floor(this.options.now() / 1000) - parsed.timestamp;
    if (Math.abs(skewSeconds) > this.tolerance) {
      return { outcome: 'stale', reason: `timestamp is ${Math.abs(skewSeconds)} s ${skewSeconds > 0 ? 'old' : 'ahead'} (tolerance ${this.tolerance} s)`, skewSeconds };
    }
    const event = parseEvent(delivery.body);
    if (!event) return { outcome: 'malformed', reason: 'the body is not a JSON object' };
    const eventId = typeof event.id === 'string' && event.id !== '' ? event.id : undefined;
    if (this.seenDeliveries.has(deliveryId) || (eventId !== undefined && this.seenEvents.has(eventId))) return { outcome: 'duplicate', deliveryId, eventId };
    remember(this.seenDeliveries, deliveryId, this.capacity);
    if (eventId !== undefined) remember(this.seenEvents, eventId, this.capacity);
    return { outcome: 'accepted', deliveryId, eventId, timestamp: parsed.timestamp, event };
  }
}

function remember(set: Set<string>, id: string, capacity: number): void {
  set.add(id);
  while (set.size > capacity) set.delete(set.values().next().value as string);
}

/** Parsed only once the signature and timestamp hold, so unauthenticated bytes are never parsed. */
function parseEvent(body: Uint8Array): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
