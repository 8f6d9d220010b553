import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockId, fileFingerprint } from '../../../src/core/transfer/blockPlan';
import { buildBlockListXml, parseBlockListXml } from '../../../src/core/transfer/blockListXml';

const FP = fileFingerprint(1, 1);

describe('Put Block List XML', () => {
  it('lists every id as <Latest>, in order, in a BlockList', () => {
    const ids = [blockId(FP, 0), blockId(FP, 4)];
    assert.equal(buildBlockListXml(ids), `<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>${ids[0]}</Latest><Latest>${ids[1]}</Latest></BlockList>`);
  });

  it('refuses anything that is not base64, so the XML stays well-formed', () => {
    assert.throws(() => buildBlockListXml(['</Latest><Latest>x']), RangeError);
  });
});

describe('Get Block List XML', () => {
  it('reads committed and uncommitted blocks with their sizes (the shape Azure and Azurite answer)', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<BlockList>
  <CommittedBlocks>
    <Block><Name>QUFB</Name><Size>8388608</Size></Block>
  </CommittedBlocks>
  <UncommittedBlocks>
    <Block><Name>QkJC</Name><Size>8388608</Size></Block>
    <Block><Name>Q0ND</Name><Size>17</Size></Block>
  </UncommittedBlocks>
</BlockList>`;
    assert.deepEqual(parseBlockListXml(xml), {
      committed: [{ id: 'QUFB', size: 8_388_608 }],
      uncommitted: [
        { id: 'QkJC', size: 8_388_608 },
        { id: 'Q0ND', size: 17 },
      ],
    });
  });

  it('treats empty sections, a missing section and garbage as "no blocks"', () => {
    assert.deepEqual(parseBlockListXml('<BlockList><CommittedBlocks /><UncommittedBlocks></UncommittedBlocks></BlockList>'), { committed: [], uncommitted: [] });
    assert.deepEqual(parseBlockListXml('not xml at all'), { committed: [], uncommitted: [] });
    assert.deepEqual(parseBlockListXml('<BlockList><UncommittedBlocks><Block><Name>x</Name><Size>big</Size></Block></UncommittedBlocks></BlockList>').uncommitted, []);
  });

  it('round-trips the ids it builds', () => {
    const ids = [0, 1, 2].map((n) => blockId(FP, n * 10));
    const listed = `<BlockList><UncommittedBlocks>${ids.map((id) => `<Block><Name>${id}</Name><Size>10</Size></Block>`).join('')}</UncommittedBlocks></BlockList>`;
    assert.deepEqual(parseBlockListXml(listed).uncommitted.map((b) => b.id), ids);
    assert.ok(buildBlockListXml(ids).includes(ids[2]));
  });
});
