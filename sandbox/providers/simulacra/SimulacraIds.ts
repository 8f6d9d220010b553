// Ids in the guide's shapes (request_id matches ^req_[A-Za-z0-9]{1,64}$), drawn from the sandbox seed so a replayed
// run produces the same ids in the same order.
import { mulberry32 } from '../../faults/mulberry32';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

export class SimulacraIds {
  private readonly random: () => number;
  private readonly issued = new Set<string>();

  constructor(seed: number) {
    // A stream of its own, distinct from the fault injector's and Simulacrum's.
    this.random = mulberry32((seed ^ 0x5141ac7a) >>> 0);
  }

  /** `<prefix><n alphanumerics>`, never issued twice by this sandbox. */
  next(prefix: string, length = 20): string {
    for (;;) {
      let id = prefix;
      for (let i = 0; i < length; i++) id += ALNUM[Math.floor(this.random() * ALNUM.length)];
      if (!this.issued.has(id)) {
        this.issued.add(id);
        return id;
      }
    }
  }

  /** A 32-bit value for seeding generated data. */
  int(): number {
    return Math.floor(this.random() * 0x1_0000_0000) >>> 0;
  }
}
