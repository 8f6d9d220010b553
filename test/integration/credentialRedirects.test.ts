// "Bearer tokens are sent only to the origin they belong to, including across redirects" (issue 8, item 5): the
// credential's own server answers each kind of redirect towards another origin on loopback; nothing may reach that
// origin, with or without the key, and the caller gets an error instead of the other server's answer.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { ApiError } from '../../src/core/http/ApiError';
import { HttpClient } from '../../src/core/http/HttpClient';
import { ApiKeyCredential } from '../support/httpCoreFixture';

const KEY = 'sim_live_redirect_sentinel_0123456789';

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; origin: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('credentials across redirects', () => {
  const seenElsewhere: IncomingHttpHeaders[] = [];
  let elsewhere: { server: Server; origin: string };
  let home: { server: Server; origin: string };

  before(async () => {
    elsewhere = await listen((req, res) => {
      seenElsewhere.push(req.headers);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    home = await listen((req, res) => {
      const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status'));
      res.writeHead(status, { location: `${elsewhere.origin}/steal`, 'x-request-id': `req_redirect_${status}` }).end();
    });
  });
  after(async () => {
    await new Promise((resolve) => home.server.close(resolve));
    await new Promise((resolve) => elsewhere.server.close(resolve));
  });

  for (const status of [301, 302, 303, 307, 308]) {
    it(`a ${status} to another origin is not followed: the key never leaves its origin, and the caller gets an error`, async () => {
      const client = new HttpClient({ baseUrl: home.origin, credential: new ApiKeyCredential('redirect-test', home.origin, [KEY]), serviceName: 'Simulacrum Labs', provider: 'simulacrum' });
      try {
        const attempt = client.request({ method: 'GET', url: '/api/jobs', query: { status: String(status) }, response: 'json', schema: z.object({ ok: z.boolean() }), signal: new AbortController().signal });
        await assert.rejects(attempt, (error: unknown) => ApiError.is(error));
      } finally {
        await client.close();
      }
      assert.deepEqual(seenElsewhere, [], `the other origin was reached: ${JSON.stringify(seenElsewhere)}`);
    });
  }
});
