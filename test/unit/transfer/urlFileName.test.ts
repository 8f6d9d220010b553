import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { urlFileName } from '../../../src/core/transfer/urlFileName';

describe('file name from a download link', () => {
  it('is the decoded last path segment, without the query (which carries the signature)', () => {
    assert.equal(urlFileName('https://bucket.example/jobs/j1/scene.usdz?X-Amz-Signature=SECRET'), 'scene.usdz');
    assert.equal(urlFileName('https://bucket.example/a/iter%201.pth'), 'iter 1.pth');
  });

  it('is undefined when the link names no file or does not parse', () => {
    assert.equal(urlFileName('https://bucket.example/jobs/'), undefined);
    assert.equal(urlFileName('not a url'), undefined);
    assert.equal(urlFileName('https://bucket.example/%E0%A4%A'), undefined);
  });
});
