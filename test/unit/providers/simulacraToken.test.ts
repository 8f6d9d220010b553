// ClientCredentialsTokenSource with the HttpClient: a token is cached until shortly before it expires, and a 401 from
// the API gets exactly one re-mint and one replay, never a loop.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { HttpClient } from '../../../src/core/http/HttpClient';
import { Redactor } from '../../../src/core/log/Redactor';
import { ClientCredentialsTokenSource } from '../../../src/providers/simulacra/ClientCredentialsTokenSource';
import { SimulacraApi } from '../../../src/providers/simulacra/SimulacraApi';
import { FakeClock } from '../../support/FakeClock';

let server: Server;
let base: string;
let mints: number;
let apiCalls: string[];
let rejectAll: boolean;
const clients: HttpClient[] = [];

beforeEach(async () => {
  mints = 0;
  apiCalls = [];
  rejectAll = false;
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url === '/oauth/token') {
        mints += 1;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: `tok${mints}`, token_type: 'Bearer', expires_in: 3600 }));
        return;
      }
      apiCalls.push(String(req.headers.authorization));
      const ok = !rejectAll && req.headers.authorization !== 'Bearer tok1';
      res.writeHead(ok ? 200 : 401, { 'content-type': ok ? 'application/json' : 'application/problem+json' });
      res.end(JSON.stringify(ok ? { job_id: 'job_1', status: 'running' } : { type: `${base}/errors/simio_invalid_token`, title: 'Invalid token', status: 401, code: 'simio_invalid_token' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await new Promise((r) => server.close(r));
});

function api(clock: FakeClock): SimulacraApi {
  const tokenHttp = new HttpClient({ clock, random: () => 0 });
  const source = new ClientCredentialsTokenSource({ apiOrigin: base, tokenUrl: `${base}/oauth/token`, audience: 'https://api.simulacra-data.com', clientId: 'cid', clientSecret: 'a'.repeat(64) }, tokenHttp, clock, new Redactor());
  const http = new HttpClient({ baseUrl: base, credential: source, clock, random: () => 0 });
  clients.push(tokenHttp, http);
  return new SimulacraApi(http, base);
}

const signal = () => new AbortController().signal;

describe('Simulacra tokens', () => {
  it('a 401 re-mints once and replays once', async () => {
    const a = api(new FakeClock());
    const job = await a.getJob('job_1', signal());
    assert.equal(job.status, 'running');
    assert.deepEqual(apiCalls, ['Bearer tok1', 'Bearer tok2']);
    assert.equal(mints, 2);
  });

  it('a second 401 is reported, not looped', async () => {
    rejectAll = true;
    const a = api(new FakeClock());
    await assert.rejects(a.getJob('job_1', signal()), (error: Error) => /simio_invalid_token/.test(error.message) && /not a JWT/.test(error.message));
    assert.equal(apiCalls.length, 2);
    assert.equal(mints, 2);
  });

  it('caches the token until a minute before it expires', async () => {
    const clock = new FakeClock();
    const a = api(clock);
    await a.getJob('job_1', signal());
    await a.getJob('job_1', signal());
    assert.equal(mints, 2, 'tok1 was rejected once; tok2 is then reused');
    await clock.advance(3600_000 - 61_000);
    await a.getJob('job_1', signal());
    assert.equal(mints, 2);
    await clock.advance(2_000);
    await a.getJob('job_1', signal());
    assert.equal(mints, 3);
    assert.deepEqual(apiCalls.slice(-1), ['Bearer tok3']);
  });
});
