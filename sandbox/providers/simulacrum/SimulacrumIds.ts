// Ids in the reference's shapes (proj_xxx, render-20260405-xxx, sweep-xxx), drawn from the sandbox seed so a replayed
// run produces the same ids in the same order.
import { mulberry32 } from '../../faults/mulberry32';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class SimulacrumIds {
  private readonly random: () => number;
  private readonly issued = new Set<string>();

  constructor(seed: number) {
    // A different stream from the fault injector's, which uses the same seed.
    this.random = mulberry32((seed ^ 0x51a11ac7) >>> 0);
  }

  project(): string {
    return this.unique(() => `proj_${this.chars(12)}`);
  }

  job(now: number): string {
    const day = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
    return this.unique(() => `render-${day}-${this.chars(8)}`);
  }

  sweep(): string {
    return this.unique(() => `sweep-${this.chars(8)}`);
  }

  private chars(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(this.random() * ALPHABET.length)];
    return out;
  }

  private unique(make: () => string): string {
    for (;;) {
      const id = make();
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }
}
