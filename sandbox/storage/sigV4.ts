// AWS Signature Version 4 building blocks shared by the presigners and the S3 front's verifier, so both sides agree
// on one canonicalisation (and a test that tampers with any part of a URL sees a real SignatureDoesNotMatch).
import { createHash, createHmac } from 'node:crypto';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export function signingKey(secretAccessKey: string, date: string, region: string, service = 's3'): Buffer {
  return hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
}

/** `20260101T120000Z` */
export function amzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

export function parseAmzDate(value: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : undefined;
}

/** RFC 3986 encoding: everything but A-Z a-z 0-9 - . _ ~ is percent-encoded (encodeURIComponent leaves !'()*). */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** S3 canonical URI: each path segment decoded once and re-encoded, slashes kept (S3 does not double-encode). */
export function canonicalUri(rawPath: string): string {
  return rawPath
    .split('/')
    .map((segment) => rfc3986(safeDecode(segment)))
    .join('/');
}

/** Query pairs as sent. '+' is kept literally: SigV4 clients encode spaces as %20. */
export function parseRawQuery(rawQuery: string): [string, string][] {
  if (rawQuery === '') return [];
  return rawQuery.split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq < 0 ? [safeDecode(pair), ''] : [safeDecode(pair.slice(0, eq)), safeDecode(pair.slice(eq + 1))];
  });
}

export function canonicalQuery(pairs: readonly [string, string][]): string {
  return pairs
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Header value as SigV4 canonicalises it: trimmed, inner runs of spaces collapsed. */
export function canonicalHeaderValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

export interface CanonicalRequestParts {
  method: string;
  rawPath: string;
  queryPairs: readonly [string, string][];
  /** Lower-case name → value, exactly the signed headers. */
  signedHeaders: Record<string, string>;
  payloadHash: string;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  const names = Object.keys(parts.signedHeaders).sort();
  return [
    parts.method.toUpperCase(),
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.queryPairs),
    names.map((name) => `${name}:${canonicalHeaderValue(parts.signedHeaders[name])}\n`).join(''),
    names.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function stringToSign(amzDateValue: string, scope: string, canonical: string): string {
  return [SIGV4_ALGORITHM, amzDateValue, scope, sha256Hex(canonical)].join('\n');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
