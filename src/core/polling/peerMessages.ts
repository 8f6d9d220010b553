import { z } from 'zod';

/**
 * What windows sharing one provider account say to each other over their local socket, one JSON object per line.
 * Every line is checked against these schemas before anything acts on it: another process of the same user is
 * trusted no further than a server. Nothing here ever carries a credential: the snapshot is what the provider's
 * poll listed, and keys are `<provider>:<resource id>`.
 */

/** Raised with the socket name, so two extension versions never read each other's messages. */
export const PEER_PROTOCOL_VERSION = 1;

/** A line longer than this closes the connection: a snapshot of 10,000 jobs is a few MB, so 64 MiB is generous. */
export const MAX_PEER_LINE_BYTES = 64 * 1024 * 1024;

const problemSchema = z.object({ status: z.number().int().optional(), message: z.string().max(4000) });
export type PeerProblem = z.infer<typeof problemSchema>;

const key = z.string().min(1).max(500);

export const peerMessageSchema = z.discriminatedUnion('type', [
  /** follower → leader: whether a user is looking at this window (focused, or its Sim Cloud view visible). */
  z.object({ type: z.literal('attention'), attended: z.boolean() }),
  /** follower → leader: something was submitted or cancelled there: poll now. */
  z.object({ type: z.literal('kick') }),
  /** leader → followers: the outcome of one poll. `data` is the provider's own shape, checked by its adopter. */
  z.object({ type: z.literal('snapshot'), seq: z.number().int().nonnegative(), data: z.unknown().optional(), problem: problemSchema.optional() }),
  /** follower → leader: may this window announce `key` (a job reaching a terminal state)? */
  z.object({ type: z.literal('claim'), id: z.number().int().nonnegative(), key }),
  /** leader → the follower that asked. */
  z.object({ type: z.literal('claimed'), id: z.number().int().nonnegative(), granted: z.boolean() }),
  /** leader → followers: some window announced `key`; nobody else holds it for later. */
  z.object({ type: z.literal('announced'), key }),
]);
export type PeerMessage = z.infer<typeof peerMessageSchema>;

/** Parses one line; undefined (and the caller drops it) when it is not JSON or not a known message. */
export function parsePeerMessage(line: string): PeerMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return undefined;
  }
  const parsed = peerMessageSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

export function encodePeerMessage(message: PeerMessage): string {
  return `${JSON.stringify(message)}\n`;
}

/**
 * Splits a byte stream into lines; calls `onLine` for each complete one. Returns false once the unfinished line grew
 * past the limit: the caller closes the connection rather than buffer without end.
 */
export class LineSplitter {
  /** The unfinished line's pieces: joined once it ends, so a long line costs one copy, not one per chunk. */
  private parts: string[] = [];
  private size = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxBytes = MAX_PEER_LINE_BYTES,
  ) {}

  push(chunk: string): boolean {
    let start = 0;
    let newline = chunk.indexOf('\n');
    while (newline >= 0) {
      const line = this.parts.join('') + chunk.slice(start, newline);
      this.parts = [];
      this.size = 0;
      if (line.trim()) this.onLine(line);
      start = newline + 1;
      newline = chunk.indexOf('\n', start);
    }
    if (start < chunk.length) {
      this.parts.push(chunk.slice(start));
      this.size += chunk.length - start;
    }
    // UTF-16 units, not bytes: close enough for a limit that only stops a runaway sender.
    return this.size <= this.maxBytes;
  }
}
