import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RedactingLogger } from '../../../src/core/log/RedactingLogger';
import { REDACTED, Redactor } from '../../../src/core/log/Redactor';
import { CapturingSink } from '../../support/CapturingSink';

describe('Redactor.redact: known secrets', () => {
  it('replaces every occurrence of a registered secret, also percent-encoded', () => {
    const redactor = new Redactor();
    redactor.addSecret('s3cr3t/value+x');
    const text = redactor.redact('a s3cr3t/value+x b s3cr3t/value+x c s3cr3t%2Fvalue%2Bx');
    assert.equal(text, `a ${REDACTED} b ${REDACTED} c ${REDACTED}`);
  });

  it('replaces the longest secret first so no tail is left behind', () => {
    const redactor = new Redactor();
    redactor.addSecret('abcd');
    redactor.addSecret('abcdEFGHijkl');
    assert.equal(redactor.redact('key=abcdEFGHijkl'), `key=${REDACTED}`);
  });

  it('ignores values shorter than 4 characters (they would blank ordinary words)', () => {
    const redactor = new Redactor();
    redactor.addSecret('abc');
    redactor.addSecret('');
    redactor.addSecret(undefined);
    assert.equal(redactor.redact('abc abcd'), 'abc abcd');
  });

  it('forgets a removed secret', () => {
    const redactor = new Redactor();
    redactor.addSecret('forget-me-now');
    redactor.removeSecret('forget-me-now');
    assert.equal(redactor.redact('forget-me-now'), 'forget-me-now');
  });
});

describe('Redactor.redact: patterns for secrets it has never seen', () => {
  const redactor = new Redactor();
  const cases: [string, string, string][] = [
    ['bearer tokens', 'Authorization: Bearer abc.DEF-123_xyz==', 'abc.DEF-123_xyz'],
    ['bearer in prose', 'sent bearer Zm9vYmFy to the server', 'Zm9vYmFy'],
    ['other auth schemes after Authorization', '{"authorization":"Basic dXNlcjpwYXNz"}', 'dXNlcjpwYXNz'],
    ['Simulacrum keys', 'key sim_live_AbCdEf0123456789abcdef0123 used', 'AbCdEf0123456789abcdef0123'],
    ['Cybernetic keys', 'cp_live_zzzzYYYYxxxx1111 rejected', 'zzzzYYYYxxxx1111'],
    ['JWTs', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl here', 'eyJzdWIiOiIxIn0'],
    ['client_secret in a form body', 'grant_type=client_credentials&client_id=abc&client_secret=TopSecret%2F1', 'TopSecret'],
    ['client_secret in JSON', '{"client_id":"abc","client_secret":"Top Secret 2"}', 'Top Secret 2'],
    ['credential_claim_token', '{"credential_claim_token": "cct_0123456789"}', 'cct_0123456789'],
    ['webhook_signing_secret', "webhook_signing_secret: 'whsec_abcdef'", 'whsec_abcdef'],
    ['access_token', '{"access_token":"opaque-token-value","token_type":"Bearer"}', 'opaque-token-value'],
    ['SAS sig=', 'https://acct.blob.core.windows.net/c/b?sv=2024-05-04&se=2030&sig=AbC%2Bdef%3D', 'AbC%2Bdef'],
    ['S3 presign signature', '?X-Amz-Credential=AKIA/2025&X-Amz-Signature=deadbeefcafe', 'deadbeefcafe'],
  ];
  for (const [name, input, secret] of cases) {
    it(name, () => {
      const out = redactor.redact(input);
      assert.ok(!out.includes(secret), `${out} still contains ${secret}`);
      assert.ok(out.includes(REDACTED), out);
    });
  }

  it('leaves ordinary text alone', () => {
    const text = 'Basic plan: token expired for job sig_run_1 (design=signature-free); status queued';
    assert.equal(redactor.redact(text), text);
  });
});

describe('Redactor.redactUrl', () => {
  const redactor = new Redactor();

  it('replaces every query value and keeps the path', () => {
    assert.equal(
      redactor.redactUrl('https://acct.blob.core.windows.net/container/run%201.zip?sv=2024-05-04&sr=b&sig=SENTINEL&se=2030'),
      'https://acct.blob.core.windows.net/container/run%201.zip?sv=REDACTED&sr=REDACTED&sig=REDACTED&se=REDACTED',
    );
    assert.equal(redactor.redactUrl(new URL('http://127.0.0.1:3000/api/jobs')), 'http://127.0.0.1:3000/api/jobs');
  });

  it('drops user info and the fragment', () => {
    assert.equal(redactor.redactUrl('https://user:pa55word@host.example/p#frag=secret'), 'https://REDACTED@host.example/p');
  });

  it('redacts a secret sitting in the path', () => {
    const withKey = new Redactor();
    withKey.addSecret('path-secret-123');
    assert.equal(withKey.redactUrl('https://h.example/keys/path-secret-123'), `https://h.example/keys/${REDACTED}`);
  });

  it('handles strings that are not URLs', () => {
    assert.equal(redactor.redactUrl('/relative/path?sig=abc&x=1'), '/relative/path?sig=REDACTED&x=REDACTED');
  });
});

describe('Redactor.redactHeaders', () => {
  const redactor = new Redactor();

  it('keeps allow-listed headers and redacts everything else', () => {
    const out = redactor.redactHeaders({
      'Content-Type': 'application/json',
      'content-length': 12,
      'X-Request-Id': 'req_1',
      'retry-after': '2',
      'Idempotency-Key': 'f3e1',
      'user-agent': 'SimCloud/0.1',
      date: 'Tue, 01 Jul 2025 00:00:00 GMT',
      'x-ms-blob-type': 'BlockBlob',
      Authorization: 'Bearer secret',
      Cookie: 'session=1',
      'x-api-key': 'k',
      'x-amz-security-token': 't',
      'x-ms-copy-source': 'https://a/b?sig=x',
      ignored: undefined,
    });
    assert.deepEqual(out, {
      'content-type': 'application/json',
      'content-length': '12',
      'x-request-id': 'req_1',
      'retry-after': '2',
      'idempotency-key': 'f3e1',
      'user-agent': 'SimCloud/0.1',
      date: 'Tue, 01 Jul 2025 00:00:00 GMT',
      'x-ms-blob-type': 'BlockBlob',
      authorization: REDACTED,
      cookie: REDACTED,
      'x-api-key': REDACTED,
      'x-amz-security-token': REDACTED,
      'x-ms-copy-source': REDACTED,
    });
  });

  it('accepts header pairs and joins repeated values', () => {
    assert.deepEqual(redactor.redactHeaders([['Set-Cookie', 'a=1']]), { 'set-cookie': REDACTED });
    assert.deepEqual(redactor.redactHeaders({ 'content-type': ['a', 'b'] }), { 'content-type': 'a, b' });
  });

  it('logs where a redirect points, never its query', () => {
    assert.deepEqual(redactor.redactHeaders({ location: 'https://bucket.s3.example/k?X-Amz-Signature=abc' }), { location: 'https://bucket.s3.example/k?X-Amz-Signature=REDACTED' });
  });
});

describe('RedactingLogger', () => {
  it('redacts the message and every formatted argument, errors and objects included', () => {
    const redactor = new Redactor();
    redactor.addSecret('SENTINEL-KEY-42');
    const sink = new CapturingSink();
    const logger = new RedactingLogger(sink, redactor, { level: 'trace' });
    logger.trace('key SENTINEL-KEY-42');
    logger.debug('headers', { authorization: 'Bearer SENTINEL-KEY-42', nested: { deep: ['SENTINEL-KEY-42'] } });
    logger.info('failed', new Error('boom SENTINEL-KEY-42', { cause: new Error('inner sig=SENTINEL-KEY-42') }));
    logger.warn('number', 42, null, undefined);
    logger.error('url https://x.example/?sig=abcdefgh');
    assert.equal(sink.lines.length, 5);
    assert.doesNotMatch(sink.text, /SENTINEL-KEY-42|abcdefgh/);
    assert.match(sink.text, /\[warn\] number 42 null undefined/);
    assert.match(sink.text, /inner sig=REDACTED/);
  });

  it('drops lines below its level and can change level at runtime', () => {
    const sink = new CapturingSink();
    const logger = new RedactingLogger(sink, new Redactor(), { level: 'warn' });
    logger.info('hidden');
    logger.warn('shown');
    logger.level = 'debug';
    logger.debug('now shown');
    logger.trace('still hidden');
    assert.deepEqual(sink.lines.map((l) => l.line), ['shown', 'now shown']);
  });

  it('exposes the same redaction for text shown elsewhere', () => {
    const redactor = new Redactor();
    redactor.addSecret('notification-secret');
    const logger = new RedactingLogger(new CapturingSink(), redactor);
    assert.equal(logger.redact('x notification-secret'), `x ${REDACTED}`);
  });
});
