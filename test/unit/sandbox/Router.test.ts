import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Router, type Handler } from '../../../sandbox/http/Router';

const noop: Handler = () => {};

describe('Router', () => {
  const router = new Router().get('/api/jobs/:id', noop).post('/api/jobs/:id/cancel', noop).get('/files/*', noop);

  it('matches literal segments and decodes :params', () => {
    const match = router.match('GET', '/api/jobs/render%2D1');
    assert.equal(match.kind, 'found');
    assert.deepEqual(match.kind === 'found' && match.params, { id: 'render-1' });
  });

  it('gives the rest of the path to a trailing *', () => {
    const match = router.match('GET', '/files/a/b%20c.png');
    assert.deepEqual(match.kind === 'found' && match.params, { '*': 'a/b c.png' });
  });

  it('says which methods are allowed when only the method is wrong', () => {
    assert.deepEqual(router.match('DELETE', '/api/jobs/1'), { kind: 'method-not-allowed', allowed: ['GET'] });
  });

  it('serves HEAD with the GET handler and reports unknown paths', () => {
    assert.equal(router.match('HEAD', '/api/jobs/1').kind, 'found');
    assert.equal(router.match('GET', '/api/jobs').kind, 'not-found');
    assert.equal(router.match('GET', '/api/jobs/1/extra').kind, 'not-found');
    assert.equal(router.match('GET', '/api/jobs/%E0%A4%A').kind, 'not-found');
  });

  it('sends everything unmatched to the fallback when there is one', () => {
    const fronted = new Router().fallback(noop);
    assert.equal(fronted.match('PUT', '/anything/at/all').kind, 'found');
  });
});
