// The pure parts of presigned uploads: the multipart frame around a streamed file, a link's expiry read from its
// query, and how a storage refusal is worded (expired vs refused vs rejected), plus a retried PUT over MockAgent.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { ApiError } from '../../../src/core/http/ApiError';
import { HttpClient } from '../../../src/core/http/HttpClient';
import { multipartFrame } from '../../../src/core/transfer/multipartForm';
import { parseExpiresAt, presignedUrlExpiry } from '../../../src/core/transfer/presignedExpiry';
import { PresignedUploader } from '../../../src/core/transfer/PresignedUploader';
import { explainPresignedFailure, PresignedUploadError } from '../../../src/core/transfer/PresignedUploadError';
import type { TransferProgress } from '../../../src/core/transfer/TransferProgress';

describe('multipartFrame', () => {
  it('puts every field before the file part and closes with the final delimiter', () => {
    const frame = multipartFrame({ key: 'uploads/u1/a.jpg', 'Content-Type': 'image/jpeg', policy: 'eyJ9' }, { name: 'a.jpg', contentType: 'image/jpeg' }, 'BOUNDARY');
    const head = frame.head.toString('utf8');
    assert.equal(frame.contentType, 'multipart/form-data; boundary=BOUNDARY');
    assert.ok(head.startsWith('--BOUNDARY\r\nContent-Disposition: form-data; name="key"\r\n\r\nuploads/u1/a.jpg\r\n'));
    assert.ok(head.indexOf('name="policy"') < head.indexOf('name="file"'));
    assert.ok(head.endsWith('Content-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'));
    assert.equal(frame.tail.toString('utf8'), '\r\n--BOUNDARY--\r\n');
  });

  it('cannot be broken out of by a quote or line break in a name', () => {
    const frame = multipartFrame({ 'a"\r\nX-Evil: 1': 'v' }, { name: 'x".jpg\r\n', contentType: 'image/jpeg' }, 'B');
    const head = frame.head.toString('utf8');
    assert.match(head, /name="a%22%0D%0AX-Evil: 1"/);
    assert.match(head, /filename="x%22\.jpg%0D%0A"/);
  });

  it('draws a fresh random boundary each time', () => {
    assert.notEqual(multipartFrame({}, { name: 'a', contentType: 'x/y' }).boundary, multipartFrame({}, { name: 'a', contentType: 'x/y' }).boundary);
  });
});

describe('presignedUrlExpiry', () => {
  it('reads SigV4 X-Amz-Date + X-Amz-Expires', () => {
    assert.equal(presignedUrlExpiry('https://s3.example.test/b/k?X-Amz-Date=20260101T120000Z&X-Amz-Expires=3600&X-Amz-Signature=abc'), Date.UTC(2026, 0, 1, 13, 0, 0));
  });
  it('reads the older Expires epoch seconds', () => {
    assert.equal(presignedUrlExpiry('https://s3.example.test/b/k?Expires=1767272400&Signature=x'), 1767272400_000);
  });
  it('is undefined for a URL that says nothing, or garbage', () => {
    assert.equal(presignedUrlExpiry('https://s3.example.test/b/k'), undefined);
    assert.equal(presignedUrlExpiry('not a url'), undefined);
    assert.equal(presignedUrlExpiry('https://x.test/?X-Amz-Date=yesterday&X-Amz-Expires=60'), undefined);
  });
  it('parseExpiresAt takes ISO times and ignores the rest', () => {
    assert.equal(parseExpiresAt('2026-01-01T00:00:00.000Z'), Date.UTC(2026, 0, 1));
    assert.equal(parseExpiresAt('soon'), undefined);
    assert.equal(parseExpiresAt(null), undefined);
  });
});

describe('explainPresignedFailure', () => {
  const http403 = () => new ApiError({ kind: 'http', method: 'PUT', url: 'https://s3.example.test/b/k?X-Amz-Signature=secretsig', status: 403, code: 'http_403', requestId: 'REQ123', retryable: false });

  it('a 403 after the link’s expiry is "expired" and says when', () => {
    const error = explainPresignedFailure(http403(), { file: 'bundle.zip', expiresAt: Date.UTC(2026, 0, 1), now: Date.UTC(2026, 0, 1, 1) });
    assert.ok(PresignedUploadError.isPresignedUploadError(error, 'expired'));
    assert.match(error.message, /^The upload link for bundle\.zip expired at 2026-01-01T00:00:00\.000Z \(HTTP 403, http_403\)\. Request id: REQ123\. Start the upload again/);
    assert.doesNotMatch(error.message, /secretsig/);
  });

  it('a 403 before expiry (or with none known) is "refused"', () => {
    const error = explainPresignedFailure(http403(), { file: 'a.jpg', expiresAt: Date.UTC(2026, 0, 2), now: Date.UTC(2026, 0, 1) });
    assert.ok(PresignedUploadError.isPresignedUploadError(error, 'refused'));
    assert.ok(PresignedUploadError.isPresignedUploadError(explainPresignedFailure(http403(), { file: 'a.jpg', now: 0 }), 'refused'));
  });

  it('400/411/413 are "rejected"; retryable failures "failed"; cancellation passes through', () => {
    const make = (status: number, retryable = false) => new ApiError({ kind: 'http', method: 'POST', url: 'https://s3.example.test/b', status, code: `http_${status}`, retryable });
    assert.ok(PresignedUploadError.isPresignedUploadError(explainPresignedFailure(make(400), { file: 'a', now: 0 }), 'rejected'));
    assert.ok(PresignedUploadError.isPresignedUploadError(explainPresignedFailure(make(411), { file: 'a', now: 0 }), 'rejected'));
    assert.ok(PresignedUploadError.isPresignedUploadError(explainPresignedFailure(make(503, true), { file: 'a', now: 0 }), 'failed'));
    const aborted = new ApiError({ kind: 'aborted', method: 'PUT', url: 'https://s3.example.test/b', code: 'aborted', retryable: false });
    assert.equal(explainPresignedFailure(aborted, { file: 'a', now: 0 }), aborted);
  });
});

describe('PresignedUploader over MockAgent', () => {
  it('retries a 503 PUT with the whole file again, and progress ends at the file size, not twice it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'simcloud-presigned-'));
    const file = path.join(dir, 'bundle.zip');
    const data = Buffer.alloc(300_000, 7);
    await writeFile(file, data);
    const agent = new MockAgent();
    agent.disableNetConnect();
    const pool = agent.get('https://s3.example.test');
    pool.intercept({ path: (p) => p.startsWith('/b/bundle.zip'), method: 'PUT' }).reply(503, '');
    pool.intercept({ path: (p) => p.startsWith('/b/bundle.zip'), method: 'PUT' }).reply(200, '', { headers: { 'x-amz-request-id': 'OK1' } });
    const http = new HttpClient({ dispatcher: agent, retry: { baseDelayMs: 1, maxDelayMs: 2 } });
    const progress: TransferProgress[] = [];
    try {
      const result = await new PresignedUploader({ http }).put({ filePath: file, url: 'https://s3.example.test/b/bundle.zip?X-Amz-Signature=s' }, new AbortController().signal, (p) => progress.push(p));
      assert.equal(result.bytes, data.length);
      assert.equal(result.requestId, 'OK1');
      assert.equal(progress.at(-1)?.bytesDone, data.length);
      assert.ok(progress.every((p) => p.bytesDone <= data.length));
    } finally {
      await agent.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a missing file fails as a "file" error before anything is sent', async () => {
    const http = new HttpClient();
    const error = await new PresignedUploader({ http }).put({ filePath: '/nonexistent/simcloud/x.zip', url: 'https://s3.example.test/b/x' }, new AbortController().signal).then(
      () => assert.fail('expected a failure'),
      (e: unknown) => e,
    );
    assert.ok(PresignedUploadError.isPresignedUploadError(error, 'file'));
    assert.match(error.message, /x\.zip could not be read \(ENOENT\)/);
    await http.close();
  });
});
