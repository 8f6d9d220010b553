// Real SigV4 verification for the S3 front. s3rver 3.7.1 does not check V4 signatures at all (it only looks the
// access key up and checks expiry against the wall clock), so without this a tampered presigned URL would succeed
// locally and fail in production. Expiry and skew are checked on the sandbox's virtual clock.
import type { IncomingHttpHeaders } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { reject, type S3Rejection } from './S3Rejection';
import { canonicalRequest, hmac, parseAmzDate, parseRawQuery, SIGV4_ALGORITHM, signingKey, stringToSign, UNSIGNED_PAYLOAD } from './sigV4';
import { MAX_PRESIGN_SECONDS } from './presignS3Url';

export interface S3SignedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  headers: IncomingHttpHeaders;
}

export interface S3KeyStore {
  secretFor(accessKeyId: string): string | undefined;
}

/** The auth parameters a presigned URL carries; the front strips them before passing the request on. */
export const QUERY_AUTH_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature', 'X-Amz-Security-Token'];

const SKEW_MS = 15 * 60 * 1000;

/** undefined when the request is correctly signed and current; otherwise why not. Anonymous requests are refused:
 *  the sandbox bucket is private, like a provider's. */
export function verifyS3Signature(req: S3SignedRequest, keys: S3KeyStore, nowMs: number): S3Rejection | undefined {
  const pairs = parseRawQuery(req.rawQuery);
  const query = new Map(pairs);
  if (query.has('X-Amz-Algorithm')) return verifyQuery(req, pairs, query, keys, nowMs);
  const authorization = headerValue(req.headers, 'authorization');
  if (authorization) return verifyHeader(req, pairs, authorization, keys, nowMs);
  return reject(403, 'AccessDenied', 'Access Denied');
}

function verifyQuery(req: S3SignedRequest, pairs: [string, string][], query: Map<string, string>, keys: S3KeyStore, nowMs: number): S3Rejection | undefined {
  const missing = QUERY_AUTH_PARAMS.slice(0, 6).filter((name) => !query.has(name));
  if (missing.length > 0) return reject(400, 'AuthorizationQueryParametersError', `Query-string authentication version 4 requires ${missing.join(', ')}`);
  if (query.get('X-Amz-Algorithm') !== SIGV4_ALGORITHM) return reject(400, 'AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const date = query.get('X-Amz-Date') ?? '';
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined) return reject(400, 'AuthorizationQueryParametersError', "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"");
  const expires = Number(query.get('X-Amz-Expires'));
  if (!Number.isInteger(expires) || expires < 0 || expires > MAX_PRESIGN_SECONDS) return reject(400, 'AuthorizationQueryParametersError', 'X-Amz-Expires must be between 0 and 604800 seconds');
  if (nowMs > signedAt + expires * 1000) return reject(403, 'AccessDenied', 'Request has expired');
  if (signedAt > nowMs + SKEW_MS) return reject(403, 'AccessDenied', 'Request is not valid yet');
  const signedHeaderNames = (query.get('X-Amz-SignedHeaders') ?? '').split(';');
  const payloadHash = query.get('X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  const unsignedPairs = pairs.filter(([name]) => name !== 'X-Amz-Signature');
  return checkSignature(req, query.get('X-Amz-Credential') ?? '', date, signedHeaderNames, unsignedPairs, payloadHash, query.get('X-Amz-Signature') ?? '', keys);
}

function verifyHeader(req: S3SignedRequest, pairs: [string, string][], authorization: string, keys: S3KeyStore, nowMs: number): S3Rejection | undefined {
  const match = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]+)\s*$/i.exec(authorization);
  if (!match) return reject(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
  const date = headerValue(req.headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(date);
  if (signedAt === undefined) return reject(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (Math.abs(nowMs - signedAt) > SKEW_MS) return reject(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256');
  if (!payloadHash) return reject(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  return checkSignature(req, match[1], date, match[2].split(';'), pairs, payloadHash, match[3], keys);
}

function checkSignature(
  req: S3SignedRequest,
  credential: string,
  date: string,
  signedHeaderNames: string[],
  queryPairs: [string, string][],
  payloadHash: string,
  provided: string,
  keys: S3KeyStore,
): S3Rejection | undefined {
  const [accessKeyId, scopeDate, region, service, terminator] = credential.split('/');
  const secret = keys.secretFor(accessKeyId ?? '');
  if (!secret) return reject(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  if (scopeDate !== date.slice(0, 8) || service !== 's3' || terminator !== 'aws4_request' || !region) {
    return reject(400, 'AuthorizationQueryParametersError', 'Error parsing the X-Amz-Credential parameter');
  }
  if (!signedHeaderNames.includes('host')) return reject(400, 'AuthorizationQueryParametersError', 'SignedHeaders must include host');
  const signedHeaders: Record<string, string> = {};
  for (const name of signedHeaderNames) signedHeaders[name] = headerValue(req.headers, name) ?? '';
  const scope = `${scopeDate}/${region}/s3/aws4_request`;
  const canonical = canonicalRequest({ method: req.method, rawPath: req.rawPath, queryPairs, signedHeaders, payloadHash });
  const expected = hmac(signingKey(secret, scopeDate, region), stringToSign(date, scope, canonical)).toString('hex');
  if (!hexEquals(expected, provided)) return reject(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  return undefined;
}

export function hexEquals(expected: string, provided: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(provided.toLowerCase());
  return a.length === b.length && timingSafeEqual(a, b);
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
