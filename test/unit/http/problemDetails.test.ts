import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseErrorBody } from '../../../src/core/http/problemDetails';

describe('parseErrorBody', () => {
  it('reads an RFC 9457 problem (Simulacra, Cybernetic Physics)', () => {
    const body = JSON.stringify({
      type: 'https://api.simulacra-data.com/errors/simio_forbidden',
      title: 'Forbidden',
      status: 403,
      detail: 'Missing scope datasets:write',
      code: 'simio_forbidden',
      request_id: 'req_abc',
      extra: { unknown: true },
    });
    assert.deepEqual(parseErrorBody(403, body), {
      code: 'simio_forbidden',
      message: 'Forbidden: Missing scope datasets:write',
      title: 'Forbidden',
      type: 'https://api.simulacra-data.com/errors/simio_forbidden',
      requestId: 'req_abc',
    });
  });

  it('derives the code from the problem type when there is no code field', () => {
    const body = JSON.stringify({ type: 'https://api.cyberneticphysics.com/errors/insufficient_credits', title: 'Payment Required', status: 402 });
    assert.equal(parseErrorBody(402, body).code, 'insufficient_credits');
    assert.equal(parseErrorBody(404, JSON.stringify({ type: 'about:blank', title: 'Not Found' })).code, 'http_404');
  });

  it("reads Simulix's envelope with the correlation id as request id", () => {
    const body = JSON.stringify({ data: null, error: { code: 'quota_exceeded', message: 'Monthly quota exceeded' }, meta: { correlation_id: 'corr-42' } });
    assert.deepEqual(parseErrorBody(429, body), { code: 'quota_exceeded', message: 'Monthly quota exceeded', requestId: 'corr-42' });
  });

  it("reads Simulacrum's bare {error} body and derives http_<status>", () => {
    assert.deepEqual(parseErrorBody(402, JSON.stringify({ error: 'Insufficient credits' })), { code: 'http_402', message: 'Insufficient credits' });
  });

  it('reads an OAuth2 error (code in error, text in error_description)', () => {
    assert.deepEqual(parseErrorBody(401, JSON.stringify({ error: 'access_denied', error_description: 'Unauthorized' })), { code: 'access_denied', message: 'Unauthorized' });
  });

  it('copes with empty, non-JSON, array and odd bodies', () => {
    for (const body of [undefined, '', '   ', '<html>Bad Gateway</html>', '[1,2]', 'null', '42', '{"error":{"code":12.5}}']) {
      const info = parseErrorBody(502, body);
      assert.equal(info.code, 'http_502', String(body));
    }
    assert.deepEqual(parseErrorBody(500, '{"whatever":1}'), { code: 'http_500' });
  });

  it('refuses codes that are not stable identifiers', () => {
    const body = JSON.stringify({ title: 'x', status: 400, code: 'has spaces and <b>html</b>' });
    assert.equal(parseErrorBody(400, body).code, 'http_400');
  });

  it('reads S3 and Azure Storage XML errors: code, message, request id', () => {
    const s3 = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided. Check your key &amp; signing method.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>';
    assert.deepEqual(parseErrorBody(403, s3), { code: 'SignatureDoesNotMatch', message: 'The request signature we calculated does not match the signature you provided. Check your key & signing method.', requestId: '4442587FB7D0A2F9' });
    const azure = '\uFEFF<?xml version="1.0" encoding="utf-8"?><Error><Code>AuthenticationFailed</Code><Message>Signed expiry time [Fri, 27 Nov 2026 10:00:00 GMT] has to be after signed start time</Message></Error>';
    assert.equal(parseErrorBody(403, azure).code, 'AuthenticationFailed');
    // A proxy's HTML page or an XML body of another shape stays an http_<status>.
    assert.equal(parseErrorBody(403, '<Error><Code>has spaces</Code></Error>').code, 'http_403');
    assert.equal(parseErrorBody(502, '<?xml version="1.0"?><html><body>Bad Gateway</body></html>').code, 'http_502');
  });
});
