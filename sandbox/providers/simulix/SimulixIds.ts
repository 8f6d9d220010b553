// Simulix ids: simulations and deliveries are UUIDv7 (the reference's examples, `0190a8b4-1c34-7d2a-…`, carry
// version 7: a millisecond timestamp up front), events `evt_` + hex, all drawn from the sandbox seed and a counter so
// a run replays exactly.
import { createHash } from 'node:crypto';

export class SimulixIds {
  private counter = 0;

  constructor(private readonly seed: number) {}

  /** 32 bytes, deterministic per seed, purpose and call order. */
  bytes(purpose: string): Buffer {
    return createHash('sha256').update(`${this.seed}:${++this.counter}:${purpose}`).digest();
  }

  uuidv7(ms: number): string {
    return uuidv7(ms, this.bytes('uuid'));
  }

  eventId(): string {
    return `evt_${this.bytes('event').toString('hex').slice(0, 24)}`;
  }

  /** A webhook signing secret, base64 like the reference's `ZWZxYjg4...`. */
  signingSecret(organizationId: string): string {
    return this.bytes(`secret:${organizationId}`).toString('base64');
  }
}

/** RFC 9562 UUIDv7: 48-bit Unix ms, version 7, 74 bits from `random`, variant 10. */
export function uuidv7(ms: number, random: Buffer): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(Math.max(0, Math.floor(ms)) % 2 ** 48, 0, 6);
  random.copy(b, 6, 0, 10);
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
