/**
 * The page's end of a panel protocol: host messages are parsed with the panel's zod schema (anything else is
 * dropped), state goes through getState/setState (validated on the way back in), and `ready` is sent once the
 * page listens — the host queues until then.
 */
import type { z } from 'zod';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export class HostConnection<HostMessage, PageMessage extends { type: string }, State> {
  private readonly api = acquireVsCodeApi();

  constructor(
    private readonly hostMessages: z.ZodType<HostMessage>,
    private readonly stateSchema: z.ZodType<State>,
  ) {}

  /** Starts listening, then says `ready`. */
  start(onMessage: (message: HostMessage) => void): void {
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
      // VS Code delivers the host's messages from the page's own origin; anything else (a framed page, another
      // window) is not the host speaking, however well-formed.
      if (event.origin !== window.origin) return;
      const parsed = this.hostMessages.safeParse(event.data);
      if (!parsed.success) {
        console.warn('dropped an invalid host message', parsed.error.issues.map((issue) => issue.path.join('.')).join(', '));
        return;
      }
      onMessage(parsed.data);
    });
    this.api.postMessage({ type: 'ready' });
  }

  post(message: PageMessage): void {
    this.api.postMessage(message);
  }

  /** The saved state if it still parses (a newer or older page may have written it), else undefined. */
  getState(): State | undefined {
    const parsed = this.stateSchema.safeParse(this.api.getState());
    return parsed.success ? parsed.data : undefined;
  }

  setState(state: State): void {
    this.api.setState(state);
  }
}

let counter = 0;
export function newRequestId(): string {
  return `r${Date.now().toString(36)}-${++counter}`;
}
