import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { LogPage } from '../../core/logs/LogTail';
import { tailLog } from '../../core/logs/LogTail';
import { PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import type { SubmittedJob } from '../../core/spec/SubmittedJob';
import type { Clock } from '../../core/util/clock';
import { statusWord } from '../tree/resourceTreeItem';
import { terminalText } from './terminalText';

/** The task's exit code for each terminal status of its job; anything that stops the task before an end is 1. */
export const TASK_EXIT_CODES = { succeeded: 0, failed: 1, cancelled: 2 } as const;

export type ReadLogPage = (offset: number, signal: AbortSignal) => Promise<LogPage | undefined>;

export interface SimJobTaskDeps {
  readonly store: Pick<JobStore, 'get' | 'onDidChangeResources'>;
  /** Submits the spec (`simcloud.spec.submit` with `{ via: 'task', confirmed: true }`); undefined when nothing was submitted. */
  submit(): Promise<SubmittedJob | undefined>;
  /** Asks the provider's poller to poll soon, so the store follows the job while the task runs. */
  refresh(provider: ProviderId): void;
  /** The job's own log where the provider has a log endpoint (Eureka); undefined: the terminal shows status lines. */
  logReader(resource: Resource): ReadLogPage | undefined;
  /** Passes every line before it is written: the redactor (keys and SAS URLs never reach a terminal). */
  redact(text: string): string;
  readonly clock: Clock;
}

const RED = '\x1b[31m';
const GREEN = '\x1b[32m';
const YELLOW = '\x1b[33m';
const DIM = '\x1b[2m';
const RESET = '\x1b[0m';
/** Pages read after the job ended, to print the log's tail; a log that never says "done" cannot hold the task open. */
const MAX_DRAIN_PAGES = 50;

/**
 * The terminal of a `simcloud` task: submits the spec, prints the job id, then follows the job in the JobStore
 * (status transitions, and the job's own log where the provider has one) until it ends, and exits with 0 for
 * succeeded, 1 for failed, 2 for cancelled. Closing the terminal (Terminate Task) only stops following: the job keeps
 * running at the provider and stays in the Jobs view, where it can be cancelled.
 */
export class SimJobTaskTerminal implements vscode.Pseudoterminal {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite: vscode.Event<string> = this.writeEmitter.event;
  readonly onDidClose: vscode.Event<number> = this.closeEmitter.event;
  private readonly abort = new AbortController();
  private closed = false;

  constructor(
    private readonly specFile: string,
    private readonly deps: SimJobTaskDeps,
  ) {}

  open(): void {
    void this.run().then(
      (code) => this.exit(code),
      (error: unknown) => {
        if (this.abort.signal.aborted) return;
        this.line(vscode.l10n.t('The task stopped: {0}', error instanceof Error ? error.message : String(error)), RED);
        this.exit(1);
      },
    );
  }

  /** Terminate Task or the terminal closed: stop following; the provider is not asked to do anything. */
  close(): void {
    this.closed = true;
    this.abort.abort(new Error('The task terminal was closed'));
  }

  private async run(): Promise<number> {
    this.line(vscode.l10n.t('Sim Cloud: submitting {0}. Running this task is your consent to submit it: the job is billed to your account as if you had pressed Submit.', this.specFile));
    const job = await this.deps.submit();
    if (this.abort.signal.aborted) return 1;
    if (!job) {
      this.line(vscode.l10n.t('Nothing was submitted (the submission was refused or cancelled; see the notification).'), RED);
      return 1;
    }
    this.line(vscode.l10n.t('Submitted {0} job {1}.', PROVIDERS[job.provider].displayName, job.id));
    this.line(vscode.l10n.t('Closing this terminal stops following the job; it does not cancel it (use Cancel in the Sim Cloud view).'), DIM);
    const ended = await this.follow(job);
    if (this.abort.signal.aborted) return 1;
    const code = TASK_EXIT_CODES[ended.status as keyof typeof TASK_EXIT_CODES] ?? 1;
    const colour = code === 0 ? GREEN : code === 2 ? YELLOW : RED;
    this.line(vscode.l10n.t('{0} {1}: the task exits with code {2}.', job.id, statusWord(ended), code), colour);
    return code;
  }

  /** Resolves with the job's record once it reached a terminal status. */
  private async follow(job: SubmittedJob): Promise<Resource> {
    let lastLine: string | undefined;
    let tail: Promise<number> | undefined;
    const tailAbort = new AbortController();
    const onAbort = () => tailAbort.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const ended = await new Promise<Resource>((resolve, reject) => {
        const check = () => {
          const resource = this.deps.store.get(job.provider, job.id);
          if (!resource) return;
          const status = describeStatus(resource);
          if (status !== lastLine) {
            lastLine = status;
            this.line(status, resource.status === 'failed' ? RED : undefined);
          }
          const reader = tail === undefined ? this.deps.logReader(resource) : undefined;
          if (reader) tail = this.tail(reader, tailAbort.signal);
          if (resource.status === 'succeeded' || resource.status === 'failed' || resource.status === 'cancelled') {
            subscription.dispose();
            resolve(resource);
          }
        };
        const subscription = this.deps.store.onDidChangeResources((change) => {
          if (change.provider !== job.provider) return;
          if (change.removed.includes(job.id)) {
            // Signed out (the store forgets the account's jobs) or no longer listed: nothing more will arrive.
            subscription.dispose();
            reject(new Error(vscode.l10n.t('{0} is no longer listed by {1} (signed out?); the job itself was not touched.', job.id, PROVIDERS[job.provider].displayName)));
          } else if (change.changed.some((r) => r.id === job.id)) check();
        });
        this.abort.signal.addEventListener('abort', () => {
          subscription.dispose();
          reject(this.abort.signal.reason);
        }, { once: true });
        check();
        this.deps.refresh(job.provider);
      });
      if (tail) {
        tailAbort.abort(new Error('The job ended'));
        const offset = await tail;
        await this.drain(this.deps.logReader(ended), offset);
      }
      return ended;
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort);
      tailAbort.abort(new Error('Following stopped'));
    }
  }

  /** Prints the job's log as it grows; resolves with the offset after the last line printed. */
  private async tail(read: ReadLogPage, signal: AbortSignal): Promise<number> {
    let offset = 0;
    try {
      const lines = tailLog({
        fetchPage: async (at, pageSignal) => (await read(at, pageSignal)) ?? { lines: [], nextOffset: at, done: true },
        clock: this.deps.clock,
        signal,
        minIntervalMs: 1_000,
        maxIntervalMs: 10_000,
      });
      for await (const text of lines) {
        offset += 1;
        this.line(text);
      }
    } catch (error) {
      if (!signal.aborted) this.line(vscode.l10n.t('The job log could not be read ({0}); status lines follow.', error instanceof Error ? error.message : String(error)), DIM);
    }
    return offset;
  }

  /** The log lines written between the last tail page and the job's end, read without waiting. */
  private async drain(read: ReadLogPage | undefined, offset: number): Promise<void> {
    if (!read) return;
    try {
      for (let page = 0; page < MAX_DRAIN_PAGES && !this.abort.signal.aborted; page += 1) {
        const answer = await read(offset, this.abort.signal);
        if (!answer) return;
        for (const text of answer.lines.slice(Math.max(0, answer.lines.length - (answer.nextOffset - offset)))) this.line(text);
        if (answer.done || answer.nextOffset <= offset) return;
        offset = answer.nextOffset;
      }
    } catch (error) {
      if (!this.abort.signal.aborted) this.line(vscode.l10n.t('The end of the job log could not be read ({0}).', error instanceof Error ? error.message : String(error)), DIM);
    }
  }

  private line(text: string, colour?: string): void {
    if (this.closed) return;
    const safe = terminalText(this.deps.redact(text));
    this.writeEmitter.fire(colour ? `${colour}${safe}${RESET}\r\n` : `${safe}\r\n`);
  }

  private exit(code: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeEmitter.fire(code);
  }
}

function describeStatus(resource: Resource): string {
  const word = statusWord(resource);
  const parts = [`${resource.id}: ${word}${resource.rawStatus && resource.rawStatus !== word ? ` (${resource.rawStatus})` : ''}`];
  if (resource.progress?.text) parts.push(resource.progress.text);
  parts.push(...resource.facts);
  const error = resource.details.find(([label]) => /error|reason/i.test(label));
  if (resource.status === 'failed' && error) parts.push(`${error[0]}: ${error[1]}`);
  return parts.join(' · ');
}
