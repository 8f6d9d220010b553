// A followed log on disk: the first look starts at the last N lines, stopping and starting again (a window reload)
// or a crash that tore the last line neither repeats nor drops a line, and the oldest lines are trimmed past the limit.
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { cleanLogLine } from '../../../src/core/logs/cleanLogLine';
import { followLimits, initialOffset, linesToTrim } from '../../../src/core/logs/followWindow';
import { followLog, locateStart } from '../../../src/core/logs/followLog';
import { LogFile } from '../../../src/core/logs/LogFile';
import type { FetchLogPage, LogPage } from '../../../src/core/logs/LogTail';
import type { Clock } from '../../../src/core/util/clock';

const root = mkdtempSync(path.join(tmpdir(), 'simcloud-follow-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => path.join(root, `log-${(dirs += 1)}`);

/** Waits take no time: the endpoint below grows on every request, so the tail never idles for long. */
const instant: Clock = { now: () => 0, sleep: (_ms, signal) => (signal?.aborted ? Promise.reject(signal.reason) : Promise.resolve()) };

const full = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}${i % 5 === 0 ? ' same' : ''}`);

/**
 * A log endpoint over `lines` that shows `visible` lines at first and `grow` more on every request, serving at most
 * `page` per answer; with `total` it says how long the log is. Records every offset asked for.
 */
function endpoint(lines: readonly string[], options: { page: number; visible: number; grow: number; total: boolean }) {
  let visible = Math.min(lines.length, options.visible);
  const asked: number[] = [];
  const fetchPage: FetchLogPage = async (offset) => {
    asked.push(offset);
    await Promise.resolve();
    const served = lines.slice(offset, Math.min(visible, offset + options.page));
    const nextOffset = offset + served.length;
    const page: LogPage = { lines: served, nextOffset, done: visible >= lines.length && nextOffset >= lines.length, ...(options.total ? { total: visible } : {}) };
    visible = Math.min(lines.length, visible + options.grow);
    return page;
  };
  return { fetchPage, asked };
}

const follow = (fetchPage: FetchLogPage, dir: string, initialLines: number, maxLines: number, signal = new AbortController().signal) =>
  followLog({ fetchPage, dir, clock: instant, signal, initialLines, maxLines, clean: (line) => line, minIntervalMs: 0, maxIntervalMs: 0 });

describe('followed log arithmetic', () => {
  it('starts at the last N lines, never before line 0', () => {
    assert.equal(initialOffset(5_000, 1_000), 4_000);
    assert.equal(initialOffset(300, 1_000), 0);
    assert.equal(initialOffset(300, 0), 300);
  });

  it('trims down to 90 % of the limit only once the limit is passed', () => {
    assert.equal(linesToTrim(50_000, 50_000), 0);
    assert.equal(linesToTrim(50_001, 50_000), 5_001);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 1, max: 100_000 }), (kept, max) => {
        const drop = linesToTrim(kept, max);
        assert.ok(drop >= 0 && kept - drop <= max);
        if (kept <= max) assert.equal(drop, 0);
      }),
    );
  });

  it('reads settings safely', () => {
    assert.deepEqual(followLimits(undefined, undefined), { initialLines: 1_000, maxLines: 50_000 });
    assert.deepEqual(followLimits(2_000, 500), { initialLines: 500, maxLines: 500 });
    assert.deepEqual(followLimits(10, 500), { initialLines: 10, maxLines: 500 });
    assert.deepEqual(followLimits('x', -1), { initialLines: 100, maxLines: 100 });
  });

  it('strips terminal escapes and control characters, keeps one line, redacts', () => {
    const cleaned = cleanLogLine('\u001b[31mERROR\u001b[0m key=cp_live_x \u001b]8;;http://evil\u0007link\u001b]8;;\u0007\rnext\nline', (t) => t.replace(/cp_live_\w+/, 'REDACTED'));
    assert.equal(cleaned, 'ERROR key=REDACTED link next line');
  });
});

describe('locateStart', () => {
  it('asks for the first page and then only from total − N when the endpoint tells its total', async () => {
    const lines = full(5_000);
    const { fetchPage, asked } = endpoint(lines, { page: 1_000, visible: 5_000, grow: 0, total: true });
    const start = await locateStart(fetchPage, 300, new AbortController().signal);
    assert.deepEqual(asked, [0]);
    assert.equal(start.base, 4_700);
    assert.deepEqual(start.lines, []);
  });

  it('reads through once keeping only the last N lines when the endpoint does not tell its total', async () => {
    const lines = full(2_500);
    const { fetchPage } = endpoint(lines, { page: 1_000, visible: 2_500, grow: 0, total: false });
    const start = await locateStart(fetchPage, 300, new AbortController().signal);
    assert.equal(start.base, 2_200);
    assert.deepEqual(start.lines, lines.slice(2_200));
    assert.equal(start.done, true);
  });
});

describe('followLog', () => {
  it('stops when a batch cannot be written (disk full) instead of following on without it; a resume has no gap', async () => {
    const lines = full(3_000);
    const { fetchPage } = endpoint(lines, { page: 500, visible: 3_000, grow: 0, total: true });
    const dir = freshDir();
    const append = LogFile.prototype.append;
    let writes = 0;
    LogFile.prototype.append = function (this: LogFile, ...args: Parameters<LogFile['append']>) {
      writes += 1;
      return writes === 3 ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) : append.apply(this, args);
    };
    try {
      const outcome = await follow(fetchPage, dir, 3_000, 50_000);
      assert.equal(outcome.kind, 'failed');
      assert.match(outcome.kind === 'failed' ? String(outcome.error) : '', /could not be written: ENOSPC/);
    } finally {
      LogFile.prototype.append = append;
    }
    const resumed = await follow(fetchPage, dir, 3_000, 50_000);
    assert.equal(resumed.kind, 'complete');
    const file = await LogFile.open(dir);
    assert.equal(file?.base, 0);
    assert.deepEqual(file?.lines, lines, 'every line once, in order, after the resume');
  });

  it('opens on the last N lines, follows to the end, and marks the file complete', async () => {
    const lines = full(5_000);
    const { fetchPage, asked } = endpoint(lines, { page: 1_000, visible: 3_000, grow: 500, total: true });
    const dir = freshDir();
    const outcome = await follow(fetchPage, dir, 1_000, 50_000);
    assert.equal(outcome.kind, 'complete');
    const file = await LogFile.open(dir);
    assert.ok(file?.complete);
    assert.equal(file.base, 2_000);
    assert.deepEqual(file.lines, lines.slice(2_000));
    assert.ok(!asked.some((offset) => offset > 0 && offset < 2_000), `nothing before the last 1,000 lines was asked for: ${asked.join(',')}`);
  });

  it('resumes after any stop and after a torn last line without a repeat or a gap, trimming past the limit (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 900 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 100, max: 700 }),
        fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        fc.boolean(),
        async (length, page, initialLines, maxLines, stopsAfter, total, tear) => {
          const lines = full(length);
          const { fetchPage } = endpoint(lines, { page, visible: Math.floor(length / 2), grow: page, total });
          const dir = freshDir();
          // Each run is stopped (a reload) after a few requests; a last run follows to the end.
          for (const requests of stopsAfter) {
            const abort = new AbortController();
            let count = 0;
            const stopping: FetchLogPage = async (offset, signal) => {
              count += 1;
              if (count > requests) abort.abort();
              return fetchPage(offset, signal);
            };
            await follow(stopping, dir, initialLines, maxLines, abort.signal);
            if (tear) {
              const log = existsSync(dir) ? readdirSync(dir).find((name) => name.startsWith('log-')) : undefined;
              if (log) appendFileSync(path.join(dir, log), 'half a li');
            }
          }
          const outcome = await follow(fetchPage, dir, initialLines, maxLines);
          assert.equal(outcome.kind, 'complete');
          const file = await LogFile.open(dir);
          assert.ok(file);
          assert.deepEqual(file.lines, lines.slice(file.base), 'every line from the base once, in order');
          assert.equal(file.offset, length);
          assert.ok(file.lines.length <= maxLines, 'trimmed past the limit');
          const onDisk = readFileSync(path.join(dir, readdirSync(dir).find((name) => name.startsWith('log-')) ?? ''), 'utf8');
          assert.equal(onDisk, file.lines.map((line) => `${line}\n`).join(''));
        },
      ),
      { numRuns: 150 },
    );
  });
});
