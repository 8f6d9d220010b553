/**
 * An AbortController that also aborts when any parent signal does, and lets go of its parents on dispose(). Node 20's
 * AbortSignal.any keeps composed signals reachable from a long-lived parent, which a client making thousands of
 * calls on one extension-lifetime signal cannot afford.
 */
export class LinkedAbortController {
  private readonly controller = new AbortController();
  private readonly unlink: (() => void)[] = [];

  constructor(parents: readonly (AbortSignal | undefined)[]) {
    for (const parent of parents) {
      if (!parent) continue;
      if (parent.aborted) {
        this.controller.abort(parent.reason);
        break;
      }
      const onAbort = () => this.controller.abort(parent.reason);
      parent.addEventListener('abort', onAbort, { once: true });
      this.unlink.push(() => parent.removeEventListener('abort', onAbort));
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  abort(reason?: unknown): void {
    this.controller.abort(reason);
  }

  dispose(): void {
    for (const unlink of this.unlink.splice(0)) unlink();
  }
}
