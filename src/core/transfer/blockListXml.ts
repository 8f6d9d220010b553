/** One entry of a Get Block List answer. */
export interface ListedBlock {
  readonly id: string;
  readonly size: number;
}

export interface BlockListing {
  readonly committed: ListedBlock[];
  readonly uncommitted: ListedBlock[];
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Put Block List body: every block as `<Latest>` (the newest version of that id, committed or not). */
export function buildBlockListXml(ids: readonly string[]): string {
  const items = ids.map((id) => {
    // Ids are ours and base64, so nothing needs escaping; refusing anything else keeps the XML well-formed.
    if (!BASE64.test(id)) throw new RangeError('block ids must be base64');
    return `<Latest>${id}</Latest>`;
  });
  return `<?xml version="1.0" encoding="utf-8"?><BlockList>${items.join('')}</BlockList>`;
}

/**
 * Reads Get Block List's XML (`<BlockList><CommittedBlocks><Block><Name>…</Name><Size>…</Size></Block>…`). The
 * shape is fixed and small, so a few anchored patterns do instead of an XML parser dependency; anything that does
 * not look like a block is ignored, so an odd answer only means fewer blocks are reused.
 */
export function parseBlockListXml(xml: string): BlockListing {
  return { committed: blocksIn(section(xml, 'CommittedBlocks')), uncommitted: blocksIn(section(xml, 'UncommittedBlocks')) };
}

function section(xml: string, name: string): string {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1] ?? '';
}

function blocksIn(xml: string): ListedBlock[] {
  const blocks: ListedBlock[] = [];
  for (const match of xml.matchAll(/<Block>([\s\S]*?)<\/Block>/g)) {
    const name = /<Name>([^<]*)<\/Name>/.exec(match[1])?.[1]?.trim();
    const size = Number(/<Size>\s*(\d+)\s*<\/Size>/.exec(match[1])?.[1]);
    if (name && Number.isSafeInteger(size)) blocks.push({ id: name, size });
  }
  return blocks;
}
