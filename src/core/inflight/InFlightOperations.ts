import type { KeyValueStore } from '../jobs/KeyValueStore';
import type { InFlightOperation } from './InFlightOperation';

export const IN_FLIGHT_KEY = 'simcloud.inFlightOperations';

type Patch<T> = T extends unknown ? Partial<Omit<T, 'id' | 'kind'>> : never;

/**
 * The journal of operations in flight, in a key-value store every window of the profile shares (VS Code's global
 * state). Each entry is written before its operation's first request and removed when it ends, however it ends; what
 * is left when an extension host starts was interrupted, unless its owner process still runs (another window).
 * Writes are queued so concurrent operations of one host never lose each other's entries.
 */
export class InFlightOperations {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: KeyValueStore,
    /** This extension host's id, written into each entry it begins. */
    readonly ownerPid: number = process.pid,
    /** Whether an owner still runs; default: signal 0 to the pid. */
    private readonly isAlive: (pid: number) => boolean = processIsAlive,
  ) {}

  list(): readonly InFlightOperation[] {
    const entries = this.state.get<unknown>(IN_FLIGHT_KEY);
    return Array.isArray(entries) ? entries.filter(isOperation) : [];
  }

  /** Entries whose owner is gone: this host's own are running, another live window's are that window's business. */
  interrupted(): readonly InFlightOperation[] {
    return this.list().filter((entry) => entry.ownerPid !== this.ownerPid && !this.isAlive(entry.ownerPid));
  }

  begin<T extends InFlightOperation>(entry: T): Promise<T> {
    return this.write((entries) => [...entries.filter((e) => e.id !== entry.id), entry]).then(() => entry);
  }

  /** Records progress (a stage, a project id); an entry already finished stays finished. */
  update<T extends InFlightOperation>(id: string, patch: Patch<T>): Promise<void> {
    return this.write((entries) => entries.map((e) => (e.id === id ? ({ ...e, ...patch, id: e.id, kind: e.kind } as InFlightOperation) : e)));
  }

  /** Hands an interrupted entry to this host, so a second window starting now does not resume it too. */
  adopt(id: string): Promise<InFlightOperation | undefined> {
    let adopted: InFlightOperation | undefined;
    return this.write((entries) =>
      entries.map((e) => {
        if (e.id !== id || e.ownerPid === this.ownerPid || this.isAlive(e.ownerPid)) return e;
        adopted = { ...e, ownerPid: this.ownerPid };
        return adopted;
      }),
    ).then(() => adopted);
  }

  finish(id: string): Promise<void> {
    return this.write((entries) => entries.filter((e) => e.id !== id));
  }

  private write(change: (entries: readonly InFlightOperation[]) => readonly InFlightOperation[]): Promise<void> {
    const next = this.queue.then(() => this.state.update(IN_FLIGHT_KEY, change(this.list())));
    this.queue = next.catch(() => undefined);
    return next;
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else, so it is not ours to resume.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isOperation(value: unknown): value is InFlightOperation {
  const entry = value as Partial<InFlightOperation> | null;
  return typeof entry === 'object' && entry !== null && typeof entry.id === 'string' && typeof entry.kind === 'string' && typeof entry.ownerPid === 'number' && typeof entry.startedAt === 'string';
}
