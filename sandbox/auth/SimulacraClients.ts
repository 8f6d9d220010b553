// The clients Simulacra's Auth0 stand-in knows: the well-known dev client plus every client the Simulacra module
// creates when an operator approves a signup, and the secrets credential rotations replace. One registry per sandbox,
// found through that sandbox's VirtualClock, so the token server (sandbox/auth) and the provider module
// (sandbox/providers/simulacra) share it without either importing the other.
import { timingSafeEqual } from 'node:crypto';
import type { VirtualClock } from '../clock/VirtualClock';

export class SimulacraClients {
  private readonly secrets = new Map<string, string>();
  /** When set (control route), the token lifetime in virtual seconds instead of the sandbox's configured one. */
  ttlOverrideSeconds: number | undefined;

  /** Adds a client or replaces its secret (a rotation: the old secret stops minting tokens at once). */
  set(clientId: string, secret: string): void {
    this.secrets.set(clientId, secret);
  }

  has(clientId: string): boolean {
    return this.secrets.has(clientId);
  }

  /** True when `secret` is the client's current secret (constant-time compare). */
  verify(clientId: string | undefined, secret: string | undefined): boolean {
    const expected = clientId === undefined ? undefined : this.secrets.get(clientId);
    if (expected === undefined) return false;
    const a = Buffer.from(secret ?? '');
    const b = Buffer.from(expected);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  /** The current secret (the Simulacra module reveals it through a one-time credential claim). */
  secretOf(clientId: string): string | undefined {
    return this.secrets.get(clientId);
  }

  ids(): string[] {
    return [...this.secrets.keys()];
  }
}

const registries = new WeakMap<VirtualClock, SimulacraClients>();

/** The registry of the sandbox that owns `clock` (created on first use). */
export function simulacraClientsFor(clock: VirtualClock): SimulacraClients {
  let clients = registries.get(clock);
  if (!clients) {
    clients = new SimulacraClients();
    registries.set(clock, clients);
  }
  return clients;
}
