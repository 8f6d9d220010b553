import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodePeerMessage, LineSplitter, parsePeerMessage, type PeerMessage } from '../../../src/core/polling/peerMessages';

describe('peer messages between windows', () => {
  it('round-trips every message kind', () => {
    const messages: PeerMessage[] = [
      { type: 'attention', attended: false },
      { type: 'kick' },
      { type: 'snapshot', seq: 3, data: { jobs: [{ job_id: 'j1', status: 'running' }] } },
      { type: 'snapshot', seq: 4, data: undefined, problem: { status: 429, message: 'Rate limited' } },
      { type: 'claim', id: 1, key: 'simulacrum:j1' },
      { type: 'claimed', id: 1, granted: true },
      { type: 'announced', key: 'simulacrum:j1' },
    ];
    for (const message of messages) assert.deepEqual(parsePeerMessage(encodePeerMessage(message).trim()), JSON.parse(JSON.stringify(message)));
  });

  it('drops what is not JSON, an unknown type, or a known type with wrong fields', () => {
    for (const line of ['not json', '{"type":"shutdown"}', '{"type":"claim","id":-1,"key":"x"}', '{"type":"claim","id":1,"key":""}', '{"type":"attention","attended":"yes"}', '{"type":"snapshot","seq":1.5}', '[]', 'null']) {
      assert.equal(parsePeerMessage(line), undefined, line);
    }
  });

  it('splits a stream into lines however it is chunked, and refuses an endless line', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((line) => lines.push(line), 16);
    assert.ok(splitter.push('{"a":1}\n{"b"'));
    assert.ok(splitter.push(':2}\n\n'));
    assert.deepEqual(lines, ['{"a":1}', '{"b":2}']);
    assert.equal(splitter.push('x'.repeat(17)), false);
  });
});
