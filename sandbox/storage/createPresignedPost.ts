// S3 browser-based upload (presigned POST): a base64 policy document signed with SigV4, plus the form fields the
// client must post before the file. Cybernetic Physics hands these out as `{url, fields, expiresAt}`.
import { amzDate, hmac, SIGV4_ALGORITHM, signingKey } from './sigV4';
import type { S3Credentials } from './presignS3Url';

export interface PresignedPostOptions {
  endpoint: string;
  bucket: string;
  /** Exact key the upload must use… */
  key?: string;
  /** …or a prefix it must start with (fields.key is set to the prefix; the client completes it). */
  keyPrefix?: string;
  /** Allowed file size in bytes, inclusive. */
  contentLengthRange?: [number, number];
  contentType?: string;
  expiresInSeconds: number;
  now: number;
  credentials: S3Credentials;
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
  /** ISO time the policy expires (virtual clock). */
  expiresAt: string;
}

type Condition = Record<string, string> | [string, string, string] | ['content-length-range', number, number];

export function createPresignedPost(options: PresignedPostOptions): PresignedPost {
  if ((options.key === undefined) === (options.keyPrefix === undefined)) throw new TypeError('give exactly one of key or keyPrefix');
  const date = amzDate(options.now);
  const credential = `${options.credentials.accessKeyId}/${date.slice(0, 8)}/${options.credentials.region}/s3/aws4_request`;
  const fields: Record<string, string> = { key: options.key ?? options.keyPrefix ?? '' };
  if (options.contentType) fields['Content-Type'] = options.contentType;
  Object.assign(fields, { 'x-amz-algorithm': SIGV4_ALGORITHM, 'x-amz-credential': credential, 'x-amz-date': date });
  const conditions: Condition[] = [
    { bucket: options.bucket },
    options.key !== undefined ? { key: options.key } : ['starts-with', '$key', options.keyPrefix ?? ''],
    { 'x-amz-algorithm': SIGV4_ALGORITHM },
    { 'x-amz-credential': credential },
    { 'x-amz-date': date },
  ];
  if (options.contentType) conditions.push({ 'Content-Type': options.contentType });
  if (options.contentLengthRange) conditions.push(['content-length-range', ...options.contentLengthRange]);
  const expiresAt = new Date(options.now + options.expiresInSeconds * 1000).toISOString();
  const policy = Buffer.from(JSON.stringify({ expiration: expiresAt, conditions }), 'utf8').toString('base64');
  fields.policy = policy;
  fields['x-amz-signature'] = hmac(signingKey(options.credentials.secretAccessKey, date.slice(0, 8), options.credentials.region), policy).toString('hex');
  return { url: `${new URL(options.endpoint).origin}/${options.bucket}`, fields, expiresAt };
}
