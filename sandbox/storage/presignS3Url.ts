// S3 presigned URLs (SigV4 query authentication), as a provider backend would hand them to clients for a single PUT
// upload or a GET download. Times come from the sandbox's virtual clock; the S3 front checks expiry on that clock.
import { amzDate, canonicalRequest, rfc3986, SIGV4_ALGORITHM, signingKey, stringToSign, UNSIGNED_PAYLOAD, hmac } from './sigV4';

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export interface PresignOptions {
  /** e.g. http://127.0.0.1:4569 (path-style addressing). */
  endpoint: string;
  bucket: string;
  key: string;
  method: 'GET' | 'PUT' | 'HEAD' | 'DELETE';
  expiresInSeconds: number;
  /** Virtual epoch ms the signature is dated. */
  now: number;
  credentials: S3Credentials;
  /** Extra headers the client must send verbatim (e.g. content-type), besides host. */
  signedHeaders?: Record<string, string>;
}

export const MAX_PRESIGN_SECONDS = 604_800;

export function presignS3Url(options: PresignOptions): string {
  if (!(options.expiresInSeconds >= 1 && options.expiresInSeconds <= MAX_PRESIGN_SECONDS)) throw new RangeError('expiresInSeconds must be 1..604800');
  const url = new URL(options.endpoint);
  const rawPath = `/${rfc3986(options.bucket)}/${options.key.split('/').map(rfc3986).join('/')}`;
  const date = amzDate(options.now);
  const scope = `${date.slice(0, 8)}/${options.credentials.region}/s3/aws4_request`;
  const headers: Record<string, string> = { host: url.host };
  for (const [name, value] of Object.entries(options.signedHeaders ?? {})) headers[name.toLowerCase()] = value;
  const query: [string, string][] = [
    ['X-Amz-Algorithm', SIGV4_ALGORITHM],
    ['X-Amz-Credential', `${options.credentials.accessKeyId}/${scope}`],
    ['X-Amz-Date', date],
    ['X-Amz-Expires', String(Math.floor(options.expiresInSeconds))],
    ['X-Amz-SignedHeaders', Object.keys(headers).sort().join(';')],
  ];
  const canonical = canonicalRequest({ method: options.method, rawPath, queryPairs: query, signedHeaders: headers, payloadHash: UNSIGNED_PAYLOAD });
  const key = signingKey(options.credentials.secretAccessKey, date.slice(0, 8), options.credentials.region);
  const signature = hmac(key, stringToSign(date, scope, canonical)).toString('hex');
  const search = [...query, ['X-Amz-Signature', signature]].map(([k, v]) => `${rfc3986(k)}=${rfc3986(v)}`).join('&');
  return `${url.origin}${rawPath}?${search}`;
}
