import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type Sandbox, type StorageHelpers } from '../../sandbox';

const CONTAINER = 'simcloud-sandbox';

function tamper(url: string, param: string): string {
  const parsed = new URL(url);
  const value = parsed.searchParams.get(param) ?? '';
  // A different character in every case: hex signatures compared case-insensitively made 'a' → 'A' no change at all
  // (a 1-in-16 flake), so the replacement is a digit or a letter that differs whatever the case.
  const replacement = /[0-9]/.test(value[4] ?? '') ? (value[4] === '0' ? '1' : '0') : value[4]?.toLowerCase() === 'b' ? 'c' : 'b';
  parsed.searchParams.set(param, `${value.slice(0, 4)}${replacement}${value.slice(5)}`);
  return parsed.toString();
}

describe('sandbox storage: Azurite and s3rver behind signature-checking fronts', () => {
  let sandbox: Sandbox;
  let storage: StorageHelpers;

  before(async () => {
    sandbox = await startSandbox({ ports: 'ephemeral' });
    assert.ok(sandbox.storage, 'storage helpers exist when storage is on');
    storage = sandbox.storage;
  });
  after(() => sandbox.close());
  beforeEach(() => {
    sandbox.faults.clear();
    sandbox.requests.clear();
    sandbox.clock.speed = 1;
  });

  describe('Azure Blob (Azurite, SAS checked, not --loose)', () => {
    const putBlob = (url: string, body: string) => fetch(url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/zip' }, body });

    it('reports the blob endpoint with the well-known development account', () => {
      assert.match(sandbox.urls.azuriteBlob ?? '', /^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1$/);
      assert.equal(sandbox.credentials.azurite.accountName, 'devstoreaccount1');
    });

    it('stores a blob PUT through a sandbox-generated SAS URL, with no Authorization header on the wire', async () => {
      const url = storage.azure.blobSasUrl({ container: CONTAINER, blob: 'projects/p 1/project.zip', permissions: 'cw', expiresInSeconds: 3600 });
      const res = await putBlob(url, 'zip bytes');
      assert.equal(res.status, 201, await res.text());
      assert.equal((await storage.azure.getBlob(CONTAINER, 'projects/p 1/project.zip'))?.toString(), 'zip bytes');
      const [recorded] = sandbox.requests.all();
      assert.equal(recorded.provider, 'azurite');
      assert.equal(recorded.status, 201);
      assert.equal(recorded.headers.authorization, undefined);
    });

    it('rejects a tampered signature with 403 (Azurite says AuthorizationFailure where Azure says AuthenticationFailed)', async () => {
      const url = storage.azure.blobSasUrl({ container: CONTAINER, blob: 'tampered.zip', permissions: 'cw', expiresInSeconds: 3600 });
      const res = await putBlob(tamper(url, 'sig'), 'x');
      assert.equal(res.status, 403);
      assert.match(res.headers.get('x-ms-error-code') ?? '', /^(AuthorizationFailure|AuthenticationFailed)$/);
      assert.equal(await storage.azure.getBlobProperties(CONTAINER, 'tampered.zip'), undefined);
    });

    it('rejects a write with a read-only SAS, and serves a read with it', async () => {
      await storage.azure.putBlob(CONTAINER, 'results/out.txt', 'result', 'text/plain');
      const readOnly = storage.azure.blobSasUrl({ container: CONTAINER, blob: 'results/out.txt', permissions: 'r', expiresInSeconds: 900 });
      assert.equal((await putBlob(readOnly, 'overwrite')).status, 403);
      const read = await fetch(readOnly);
      assert.equal(read.status, 200);
      assert.equal(await read.text(), 'result');
    });

    it('expires the SAS on the virtual clock', async () => {
      const url = storage.azure.blobSasUrl({ container: CONTAINER, blob: 'late.zip', permissions: 'cw', expiresInSeconds: 60 });
      sandbox.clock.advance(61_000);
      const res = await putBlob(url, 'too late');
      assert.equal(res.status, 403);
      assert.match(await res.text(), /AuthenticationFailed[\s\S]*not valid in the specified time frame/);
    });

    it('supports Put Block / Put Block List through the SAS (resumable uploads)', async () => {
      const url = new URL(storage.azure.blobSasUrl({ container: CONTAINER, blob: 'blocks.zip', permissions: 'cw', expiresInSeconds: 3600 }));
      const ids = ['000000', '000001'].map((n) => Buffer.from(n).toString('base64'));
      for (const [index, id] of ids.entries()) {
        const block = new URL(url);
        block.searchParams.set('comp', 'block');
        block.searchParams.set('blockid', id);
        assert.equal((await fetch(block, { method: 'PUT', body: `part${index};` })).status, 201);
      }
      const list = new URL(url);
      list.searchParams.set('comp', 'blocklist');
      const xml = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`;
      assert.equal((await fetch(list, { method: 'PUT', headers: { 'content-type': 'application/xml' }, body: xml })).status, 201);
      assert.equal((await storage.azure.getBlob(CONTAINER, 'blocks.zip'))?.toString(), 'part0;part1;');
    });
  });

  describe('S3 (s3rver behind a SigV4-verifying front)', () => {
    it('stores an object PUT through a presigned URL', async () => {
      const url = storage.s3.presignPut('uploads/env 1/scene.usd', 900);
      const res = await fetch(url, { method: 'PUT', body: 'usd bytes' });
      assert.equal(res.status, 200, await res.text());
      assert.equal((await storage.s3.getObject('uploads/env 1/scene.usd'))?.toString(), 'usd bytes');
      const download = await fetch(storage.s3.presignGet('uploads/env 1/scene.usd', 900));
      assert.equal(await download.text(), 'usd bytes');
    });

    it('rejects a tampered presigned PUT with 403 SignatureDoesNotMatch and stores nothing', async () => {
      const url = storage.s3.presignPut('uploads/tampered.bin', 900);
      const res = await fetch(tamper(url, 'X-Amz-Signature'), { method: 'PUT', body: 'x' });
      assert.equal(res.status, 403);
      assert.match(await res.text(), /<Code>SignatureDoesNotMatch<\/Code>/);
      assert.equal(await storage.s3.headObject('uploads/tampered.bin'), undefined);
    });

    it('rejects a presigned URL used for another key or after it expired on the virtual clock', async () => {
      const url = storage.s3.presignPut('uploads/a.bin', 60);
      assert.equal((await fetch(url.replace('uploads/a.bin', 'uploads/b.bin'), { method: 'PUT', body: 'x' })).status, 403);
      sandbox.clock.advance(61_000);
      const expired = await fetch(url, { method: 'PUT', body: 'x' });
      assert.equal(expired.status, 403);
      assert.match(await expired.text(), /Request has expired/);
    });

    it('refuses anonymous requests to the private bucket', async () => {
      const res = await fetch(`${sandbox.urls.s3}/${storage.s3.bucket}/uploads/env 1/scene.usd`);
      assert.equal(res.status, 403);
      assert.match(await res.text(), /AccessDenied/);
    });

    it('accepts a presigned POST form, and checks its policy', async () => {
      const post = storage.s3.presignPost({ key: 'photos/img_001.jpg', contentType: 'image/jpeg', contentLengthRange: [1, 64], expiresInSeconds: 600 });
      const form = (fields: Record<string, string>, content: string) => {
        const data = new FormData();
        for (const [name, value] of Object.entries(fields)) data.append(name, value);
        data.append('file', new Blob([content], { type: 'image/jpeg' }), 'img_001.jpg');
        return data;
      };
      const ok = await fetch(post.url, { method: 'POST', body: form(post.fields, 'jpeg bytes') });
      assert.equal(ok.status, 204, await ok.text());
      assert.equal((await storage.s3.getObject('photos/img_001.jpg'))?.toString(), 'jpeg bytes');

      const otherKey = await fetch(post.url, { method: 'POST', body: form({ ...post.fields, key: 'photos/evil.jpg' }, 'x') });
      assert.equal(otherKey.status, 403);
      assert.match(await otherKey.text(), /Policy Condition failed/);
      const tooBig = await fetch(post.url, { method: 'POST', body: form(post.fields, 'x'.repeat(65)) });
      assert.equal(tooBig.status, 400);
      assert.match(await tooBig.text(), /EntityTooLarge/);
      const forged = await fetch(post.url, { method: 'POST', body: form({ ...post.fields, 'x-amz-signature': '0'.repeat(64) }, 'x') });
      assert.equal(forged.status, 403);
      assert.equal(await storage.s3.headObject('photos/evil.jpg'), undefined);
    });
  });

  describe('faults on storage', () => {
    it('apply only when storage is named, e.g. a reset in the middle of an upload series', async () => {
      sandbox.faults.script('*', '/', [{ kind: 'status', status: 500 }]);
      const first = storage.s3.presignPut('uploads/retry.bin', 900);
      assert.equal((await fetch(first, { method: 'PUT', body: 'a' })).status, 200, "'*' leaves storage alone");
      sandbox.faults.clear();
      sandbox.faults.script('s3', '/', [{ kind: 'reset' }]);
      await assert.rejects(fetch(first, { method: 'PUT', body: 'b' }));
      assert.equal((await fetch(first, { method: 'PUT', body: 'c' })).status, 200);
      sandbox.faults.script('azurite', `/devstoreaccount1/${CONTAINER}/`, [{ kind: 'retry-after-seconds', seconds: 3 }]);
      const busy = await fetch(storage.azure.blobSasUrl({ container: CONTAINER, blob: 'busy.zip', permissions: 'cw', expiresInSeconds: 60 }), {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob' },
        body: 'x',
      });
      assert.equal(busy.status, 429);
      assert.equal(busy.headers.get('retry-after'), '3');
      assert.match(await busy.text(), /<Code>ServerBusy<\/Code>/);
    });
  });
});
