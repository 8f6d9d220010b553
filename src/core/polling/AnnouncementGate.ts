import type { Disposable } from '../events/Emitter';

/** Asks the windows of one account which of them announces `key`; resolves true in exactly one. */
export type AnnouncementClaim = (key: string) => Promise<boolean>;

interface Held {
  readonly key: string;
  readonly claim: AnnouncementClaim;
  readonly resolve: (show: boolean) => void;
}

/**
 * Decides whether this window shows a job's terminal-state notification, so the user sees it once and never misses
 * it: a focused window claims the key at once and shows it when granted; an unfocused one holds it until it gains
 * focus, then claims. If another window announced it meanwhile, the held one is dropped. When no window is focused,
 * the notification waits for the first one that is: a toast in a window nobody looks at is the one users miss.
 */
export class AnnouncementGate implements Disposable {
  private focused: boolean;
  private readonly held = new Map<string, Held>();

  constructor(focused: boolean) {
    this.focused = focused;
  }

  /** Resolves true when this window should show it now; false when another window did (or will). */
  admit(key: string, claim: AnnouncementClaim): Promise<boolean> {
    if (this.focused) return claim(key);
    const earlier = this.held.get(key);
    if (earlier) return Promise.resolve(false);
    return new Promise((resolve) => this.held.set(key, { key, claim, resolve }));
  }

  setFocused(focused: boolean): void {
    this.focused = focused;
    if (!focused) return;
    const released = [...this.held.values()];
    this.held.clear();
    for (const entry of released) entry.claim(entry.key).then(entry.resolve, () => entry.resolve(false));
  }

  /** Another window announced `key`: a copy held here is dropped. */
  announcedElsewhere(key: string): void {
    const entry = this.held.get(key);
    if (!entry) return;
    this.held.delete(key);
    entry.resolve(false);
  }

  get heldCount(): number {
    return this.held.size;
  }

  dispose(): void {
    for (const entry of this.held.values()) entry.resolve(false);
    this.held.clear();
  }
}
