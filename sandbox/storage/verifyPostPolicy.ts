// Checks an S3 browser-based upload (POST with a signed policy) the way S3 does: the SigV4 signature over the base64
// policy, its expiration (virtual clock), every condition, and that no form field goes unmentioned by the policy.
// s3rver 3.7.1 ignores the policy entirely, so this is the only place a bad presigned POST is caught locally.
import { reject, type S3Rejection } from './S3Rejection';
import { hmac, parseAmzDate, SIGV4_ALGORITHM, signingKey } from './sigV4';
import { hexEquals, type S3KeyStore } from './verifyS3Signature';

export interface PostUpload {
  bucket: string;
  /** Form fields before the file, names as sent. */
  fields: readonly [string, string][];
  /** File size in bytes, derived from Content-Length. */
  fileSize: number;
}

// Fields S3 does not require the policy to mention.
const EXEMPT = new Set(['x-amz-signature', 'file', 'policy']);

export function verifyPostPolicy(upload: PostUpload, keys: S3KeyStore, nowMs: number): S3Rejection | undefined {
  const form = new Map(upload.fields.map(([name, value]) => [name.toLowerCase(), value]));
  for (const required of ['policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature']) {
    if (!form.has(required)) return reject(403, 'AccessDenied', `Bucket POST must contain a field named '${required}'.`);
  }
  if (!form.has('key')) return reject(400, 'InvalidArgument', "Bucket POST must contain a field named 'key'.  If it is specified, please check the order of the fields.");
  if (form.get('x-amz-algorithm') !== SIGV4_ALGORITHM) return reject(400, 'InvalidArgument', 'x-amz-algorithm only supports "AWS4-HMAC-SHA256"');
  const signatureProblem = checkPolicySignature(form, keys);
  if (signatureProblem) return signatureProblem;

  let policy: { expiration?: unknown; conditions?: unknown };
  try {
    policy = JSON.parse(Buffer.from(form.get('policy') ?? '', 'base64').toString('utf8')) as typeof policy;
  } catch {
    return reject(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid JSON.');
  }
  const expiration = typeof policy.expiration === 'string' ? Date.parse(policy.expiration) : NaN;
  if (Number.isNaN(expiration)) return reject(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid or missing expiration.');
  if (nowMs > expiration) return reject(403, 'AccessDenied', 'Invalid according to Policy: Policy expired.');
  if (!Array.isArray(policy.conditions)) return reject(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid conditions.');
  return checkConditions(policy.conditions as unknown[], form, upload);
}

function checkPolicySignature(form: Map<string, string>, keys: S3KeyStore): S3Rejection | undefined {
  const [accessKeyId, date, region, service, terminator] = (form.get('x-amz-credential') ?? '').split('/');
  const secret = keys.secretFor(accessKeyId ?? '');
  if (!secret) return reject(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.');
  const amzDate = form.get('x-amz-date') ?? '';
  if (parseAmzDate(amzDate) === undefined || date !== amzDate.slice(0, 8) || service !== 's3' || terminator !== 'aws4_request' || !region) {
    return reject(400, 'InvalidArgument', 'Invalid x-amz-credential or x-amz-date');
  }
  const expected = hmac(signingKey(secret, date, region), form.get('policy') ?? '').toString('hex');
  if (!hexEquals(expected, form.get('x-amz-signature') ?? '')) return reject(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  return undefined;
}

function checkConditions(conditions: unknown[], form: Map<string, string>, upload: PostUpload): S3Rejection | undefined {
  const covered = new Set<string>();
  const valueOf = (field: string) => (field === 'bucket' ? upload.bucket : form.get(field));
  for (const condition of conditions) {
    const failed = () => reject(403, 'AccessDenied', `Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
    if (Array.isArray(condition) && condition[0] === 'content-length-range') {
      const [, min, max] = condition as [string, number, number];
      if (upload.fileSize > max) return reject(400, 'EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size');
      if (upload.fileSize < min) return reject(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
      continue;
    }
    if (Array.isArray(condition)) {
      const [op, ref, expected] = condition as [string, string, string];
      const field = String(ref).replace(/^\$/, '').toLowerCase();
      covered.add(field);
      const actual = valueOf(field);
      const ok = op === 'eq' ? actual === expected : op === 'starts-with' ? actual !== undefined && actual.startsWith(expected) : false;
      if (!ok) return failed();
      continue;
    }
    if (condition && typeof condition === 'object') {
      for (const [name, expected] of Object.entries(condition as Record<string, unknown>)) {
        const field = name.toLowerCase();
        covered.add(field);
        if (valueOf(field) !== expected) return failed();
      }
      continue;
    }
    return reject(400, 'InvalidPolicyDocument', 'Invalid Policy: Invalid condition.');
  }
  const extra = [...form.keys()].filter((name) => !EXEMPT.has(name) && !name.startsWith('x-ignore-') && !covered.has(name));
  if (extra.length > 0) return reject(403, 'AccessDenied', `Invalid according to Policy: Extra input fields: ${extra.join(', ')}`);
  return undefined;
}
