import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkViewerUrl, costAt, formatCountdown, ViewerHostMessage, ViewerPageMessage, ViewerPageState, type ViewerSession } from '../../../src/shared/cyberneticViewerProtocol';

describe('viewer URL check', () => {
  it('embeds https anywhere and plain http only on loopback, limiting frame-src to the origin', () => {
    assert.deepEqual(checkViewerUrl('https://stream.cyberneticphysics.com/v/sess_1?token=abc'), { ok: true, origin: 'https://stream.cyberneticphysics.com' });
    assert.deepEqual(checkViewerUrl('http://127.0.0.1:4104/_viewer/sess_1?token=abc'), { ok: true, origin: 'http://127.0.0.1:4104' });
    assert.deepEqual(checkViewerUrl('http://localhost:9000/v'), { ok: true, origin: 'http://localhost:9000' });
    assert.deepEqual(checkViewerUrl('http://[::1]:9000/v'), { ok: true, origin: 'http://[::1]:9000' });
  });

  it('refuses http elsewhere, other schemes, credentials in the URL and garbage, without repeating the token', () => {
    const refused = [
      'http://stream.cyberneticphysics.com/v?token=SECRET',
      'http://127.0.0.1.attacker.example/v?token=SECRET',
      'http://localhost.attacker.example/v?token=SECRET',
      'http://10.0.0.5/v?token=SECRET',
      'javascript:alert(1)//?token=SECRET',
      'data:text/html,<script>alert(1)</script>?token=SECRET',
      'file:///etc/passwd?token=SECRET',
      'https://user:SECRET@stream.example/v',
      'not a url SECRET',
    ];
    for (const url of refused) {
      const check = checkViewerUrl(url);
      assert.equal(check.ok, false, url);
      assert.doesNotMatch(JSON.stringify(check), /SECRET/, url);
    }
    assert.deepEqual(checkViewerUrl('http://stream.cyberneticphysics.com/v?token=SECRET'), { ok: false, problem: 'plain-http', host: 'stream.cyberneticphysics.com' });
    assert.deepEqual(checkViewerUrl('javascript:alert(1)//?token=SECRET'), { ok: false, problem: 'scheme', scheme: 'javascript' });
    assert.deepEqual(checkViewerUrl('https://user:SECRET@stream.example/v'), { ok: false, problem: 'credentials' });
    assert.deepEqual(checkViewerUrl('not a url SECRET'), { ok: false, problem: 'invalid' });
  });
});

describe('viewer toolbar numbers', () => {
  const running: ViewerSession = { sessionId: 'sess_1', status: 'running', phase: 'running', costPerHour: 3.6, costUsd: 1, costAsOf: 1_000_000 };

  it('counts time left down as h:mm:ss, never below zero', () => {
    assert.equal(formatCountdown(3_909_000), '1:05:09');
    assert.equal(formatCountdown(249_999), '4:09');
    assert.equal(formatCountdown(59_000), '0:59');
    assert.equal(formatCountdown(-5_000), '0:00');
  });

  it('adds the hourly price for the time since the last reading while running, and freezes once stopped', () => {
    assert.equal(costAt(running, 1_000_000 + 600_000), 1.6);
    assert.equal(costAt(running, 999_000), 1, 'a clock behind the reading adds nothing');
    assert.equal(costAt({ ...running, phase: 'ended' }, 1_000_000 + 600_000), 1);
    assert.equal(costAt({ ...running, costUsd: undefined }, 2_000_000), undefined);
  });
});

describe('viewer protocol', () => {
  it('keeps only the session id in the page state: a viewer URL there is not part of it', () => {
    const parsed = ViewerPageState.parse({ sessionId: 'sess_1', viewerUrl: 'https://x/v?token=SECRET' });
    assert.deepEqual(parsed, { sessionId: 'sess_1' });
  });

  it('drops page messages of unknown type and host messages with a bad session', () => {
    assert.equal(ViewerPageMessage.safeParse({ type: 'runCommand', command: 'workbench.action.terminal.new' }).success, false);
    assert.equal(ViewerPageMessage.safeParse({ type: 'stop' }).success, true);
    assert.equal(ViewerHostMessage.safeParse({ type: 'show', session: { sessionId: '', status: 'running', phase: 'running' } }).success, false);
    assert.equal(ViewerHostMessage.safeParse({ type: 'show', session: { sessionId: 's', status: 'running', phase: 'exploded' } }).success, false);
  });
});
