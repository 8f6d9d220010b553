import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPresignedPost } from '../../../sandbox/storage/createPresignedPost';
import { presignS3Url } from '../../../sandbox/storage/presignS3Url';
import { verifyPostPolicy } from '../../../sandbox/storage/verifyPostPolicy';
import { verifyS3Signature } from '../../../sandbox/storage/verifyS3Signature';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', region: 'us-east-1' };
const keys = { secretFor: (id: string) => (id === 'S3RVER' ? 'S3RVER' : undefined) };
const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);

function presigned(overrides: Partial<Parameters<typeof presignS3Url>[0]> = {}) {
  const url = new URL(presignS3Url({ endpoint: 'http://127.0.0.1:4569', bucket: 'bucket', key: 'uploads/a b+c.zip', method: 'PUT', expiresInSeconds: 900, now: NOW, credentials, ...overrides }));
  return { url, request: { method: 'PUT', rawPath: url.pathname, rawQuery: url.search.slice(1), headers: { host: url.host } } };
}

describe('S3 presigned URLs (SigV4 query auth)', () => {
  it('accepts the presigned GET example from the Amazon S3 SigV4 documentation', () => {
    // "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)": virtual-hosted bucket, so the path
    // is /test.txt and the host carries the bucket. A known-good signature proves the canonicalisation.
    const query =
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
      '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
      '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404';
    const awsKeys = { secretFor: (id: string) => (id === 'AKIAIOSFODNN7EXAMPLE' ? 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' : undefined) };
    const request = { method: 'GET', rawPath: '/test.txt', rawQuery: query, headers: { host: 'examplebucket.s3.amazonaws.com' } };
    assert.equal(verifyS3Signature(request, awsKeys, Date.UTC(2013, 4, 24, 1)), undefined);
  });

  it('verifies a URL it signed, within its lifetime on the given clock', () => {
    const { request } = presigned();
    assert.equal(verifyS3Signature(request, keys, NOW + 899_000), undefined);
  });

  it('refuses a tampered signature, path, method, expiry or host', () => {
    const { url, request } = presigned();
    const sig = url.searchParams.get('X-Amz-Signature') ?? '';
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`;
    assert.equal(verifyS3Signature({ ...request, rawQuery: request.rawQuery.replace(sig, flipped) }, keys, NOW)?.code, 'SignatureDoesNotMatch');
    assert.equal(verifyS3Signature({ ...request, rawPath: request.rawPath.replace('uploads', 'other') }, keys, NOW)?.code, 'SignatureDoesNotMatch');
    assert.equal(verifyS3Signature({ ...request, method: 'DELETE' }, keys, NOW)?.code, 'SignatureDoesNotMatch');
    assert.equal(verifyS3Signature({ ...request, rawQuery: request.rawQuery.replace('X-Amz-Expires=900', 'X-Amz-Expires=9000') }, keys, NOW)?.code, 'SignatureDoesNotMatch');
    assert.equal(verifyS3Signature({ ...request, headers: { host: 'localhost:4569' } }, keys, NOW)?.code, 'SignatureDoesNotMatch');
  });

  it('refuses an expired URL, an unknown key and anonymous requests', () => {
    const { request } = presigned();
    assert.deepEqual(verifyS3Signature(request, keys, NOW + 901_000), { status: 403, code: 'AccessDenied', message: 'Request has expired' });
    const other = presigned({ credentials: { ...credentials, accessKeyId: 'SOMEONE' } });
    assert.equal(verifyS3Signature(other.request, keys, NOW)?.code, 'InvalidAccessKeyId');
    assert.equal(verifyS3Signature({ method: 'GET', rawPath: '/bucket/x', rawQuery: '', headers: {} }, keys, NOW)?.code, 'AccessDenied');
  });

  it('binds extra signed headers such as Content-Type', () => {
    const { request } = presigned({ signedHeaders: { 'Content-Type': 'application/zip' } });
    assert.equal(verifyS3Signature({ ...request, headers: { ...request.headers, 'content-type': 'application/zip' } }, keys, NOW), undefined);
    assert.equal(verifyS3Signature({ ...request, headers: { ...request.headers, 'content-type': 'text/html' } }, keys, NOW)?.code, 'SignatureDoesNotMatch');
  });
});

describe('S3 presigned POST policies', () => {
  const post = createPresignedPost({ endpoint: 'http://127.0.0.1:4569', bucket: 'bucket', key: 'in/photo.jpg', contentType: 'image/jpeg', contentLengthRange: [1, 1000], expiresInSeconds: 600, now: NOW, credentials });
  const fields = Object.entries(post.fields);

  it('hands out the url, the fields and the expiry', () => {
    assert.equal(post.url, 'http://127.0.0.1:4569/bucket');
    assert.deepEqual(Object.keys(post.fields).sort(), ['Content-Type', 'key', 'policy', 'x-amz-algorithm', 'x-amz-credential', 'x-amz-date', 'x-amz-signature'].sort());
    assert.equal(post.expiresAt, new Date(NOW + 600_000).toISOString());
  });

  it('accepts the form as issued', () => {
    assert.equal(verifyPostPolicy({ bucket: 'bucket', fields, fileSize: 10 }, keys, NOW), undefined);
  });

  it('refuses a changed key, another bucket, an extra field, a size out of range, an expired policy and a forged signature', () => {
    const withField = (name: string, value: string) => fields.map(([k, v]): [string, string] => [k, k === name ? value : v]);
    assert.match(verifyPostPolicy({ bucket: 'bucket', fields: withField('key', 'in/other.jpg'), fileSize: 10 }, keys, NOW)?.message ?? '', /Policy Condition failed/);
    assert.equal(verifyPostPolicy({ bucket: 'elsewhere', fields, fileSize: 10 }, keys, NOW)?.code, 'AccessDenied');
    assert.match(verifyPostPolicy({ bucket: 'bucket', fields: [...fields, ['acl', 'public-read']], fileSize: 10 }, keys, NOW)?.message ?? '', /Extra input fields: acl/);
    assert.equal(verifyPostPolicy({ bucket: 'bucket', fields, fileSize: 1001 }, keys, NOW)?.code, 'EntityTooLarge');
    assert.equal(verifyPostPolicy({ bucket: 'bucket', fields, fileSize: 0 }, keys, NOW)?.code, 'EntityTooSmall');
    assert.match(verifyPostPolicy({ bucket: 'bucket', fields, fileSize: 10 }, keys, NOW + 601_000)?.message ?? '', /Policy expired/);
    assert.equal(verifyPostPolicy({ bucket: 'bucket', fields: withField('x-amz-signature', '0'.repeat(64)), fileSize: 10 }, keys, NOW)?.code, 'SignatureDoesNotMatch');
  });

  it('lets a key prefix policy accept any key under the prefix', () => {
    const prefixed = createPresignedPost({ endpoint: 'http://h', bucket: 'bucket', keyPrefix: 'uploads/u1/', expiresInSeconds: 60, now: NOW, credentials });
    const form = Object.entries({ ...prefixed.fields, key: 'uploads/u1/img_001.jpg' });
    assert.equal(verifyPostPolicy({ bucket: 'bucket', fields: form, fileSize: 5 }, keys, NOW), undefined);
    const outside = Object.entries({ ...prefixed.fields, key: 'uploads/u2/img_001.jpg' });
    assert.equal(verifyPostPolicy({ bucket: 'bucket', fields: outside, fileSize: 5 }, keys, NOW)?.code, 'AccessDenied');
  });
});
