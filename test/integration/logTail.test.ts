// LogTail over real HTTP: a tiny local server (not the sandbox) serves 5,000 lines in pages with latency, resets one
// connection mid-way, and the tail must yield exactly those lines, in order.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { tailLog, type LogPage } from '../../src/core/logs/LogTail';
import { systemClock } from '../../src/core/util/clock';

const TOTAL = 5_000;
const PAGE = 137;
const expected = Array.from({ length: TOTAL }, (_, i) => `line ${i} ${i % 7 === 0 ? 'repeat' : 'x'}`);

describe('tailLog over HTTP', () => {
  let server: Server;
  let base = '';
  let requests = 0;
  let resets = 0;
  /** Lines "written" so far: the log grows while it is tailed. */
  let available = 0;

  before(async () => {
    server = createServer((req, res) => {
      requests += 1;
      const url = new URL(req.url ?? '/', 'http://x');
      const offset = Number(url.searchParams.get('offset') ?? '0');
      available = Math.min(TOTAL, available + 400);
      if (requests === 7 && resets === 0) {
        resets += 1;
        req.socket.destroy();
        return;
      }
      // Every third page reaches back 3 lines, as a server answering from a coarser cursor might.
      const from = requests % 3 === 0 ? Math.max(0, offset - 3) : offset;
      const lines = expected.slice(from, Math.min(available, from + PAGE));
      const body = JSON.stringify({ lines, nextOffset: from + lines.length, done: from + lines.length >= TOTAL });
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      }, 1 + (requests % 5));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('yields exactly the 5,000 lines in order across pages, latency and one connection reset', async () => {
    const fetchPage = async (offset: number, signal: AbortSignal): Promise<LogPage> => {
      const response = await fetch(`${base}/logs?offset=${offset}`, { signal });
      return (await response.json()) as LogPage;
    };
    const retried: unknown[] = [];
    const lines: string[] = [];
    for await (const line of tailLog({ fetchPage, clock: systemClock, minIntervalMs: 5, maxIntervalMs: 20, onRetry: (e) => retried.push(e) })) {
      lines.push(line);
    }
    assert.equal(resets, 1);
    assert.equal(retried.length, 1);
    assert.equal(lines.length, TOTAL);
    assert.deepEqual(lines, expected);
  });
});
