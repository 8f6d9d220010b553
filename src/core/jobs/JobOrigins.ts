import { Emitter, type Event } from '../events/Emitter';
import type { ProviderId } from '../providers/providerCatalog';
import type { KeyValueStore } from './KeyValueStore';

/** How a job reached the provider from this VS Code: a form, a spec file (CodeLens or command), a task, or a tool. */
export type SubmissionVia = 'form' | 'spec' | 'task' | 'tool';

/** Where a job came from, as recorded when this client submitted it (the providers do not keep it). */
export interface JobOrigin {
  readonly via: SubmissionVia;
  /** Workspace-relative path of the `*.simjob.json` it was submitted from, with `/` separators. */
  readonly specFile?: string;
  /** The git commit checked out in the spec file's repository at submission (40 hex digits), when it is a git repo. */
  readonly commit?: string;
  /** True when the spec file differed from that commit (uncommitted changes): the commit alone does not reproduce it. */
  readonly dirty?: boolean;
  /** ISO-8601. */
  readonly submittedAt: string;
}

const KEY = 'simcloud.jobOrigins';
/** Oldest forgotten first past this: a record per submission for years of daily use stays small. */
const LIMIT = 5_000;

type Stored = Record<string, JobOrigin>;

/**
 * The jobs submitted from this VS Code (every window shares the global store), with their spec file and commit. The
 * Jobs view's "mine" filter and the tooltip's "Spec file" line read it; every submit path writes it.
 */
export class JobOrigins {
  private readonly changeEmitter = new Emitter<{ readonly provider: ProviderId; readonly id: string }>();
  readonly onDidChange: Event<{ readonly provider: ProviderId; readonly id: string }> = this.changeEmitter.event;

  constructor(private readonly store: KeyValueStore) {}

  async record(provider: ProviderId, id: string, origin: JobOrigin): Promise<void> {
    const all = { ...this.all() };
    delete all[key(provider, id)];
    all[key(provider, id)] = origin;
    const keys = Object.keys(all);
    for (const old of keys.slice(0, Math.max(0, keys.length - LIMIT))) delete all[old];
    await this.store.update(KEY, all);
    this.changeEmitter.fire({ provider, id });
  }

  get(provider: ProviderId, id: string): JobOrigin | undefined {
    return this.all()[key(provider, id)];
  }

  /** Submitted from this VS Code (by this user), whichever way. */
  isMine(provider: ProviderId, id: string): boolean {
    return this.get(provider, id) !== undefined;
  }

  private all(): Stored {
    return this.store.get<Stored>(KEY) ?? {};
  }
}

function key(provider: ProviderId, id: string): string {
  return `${provider}:${id}`;
}
