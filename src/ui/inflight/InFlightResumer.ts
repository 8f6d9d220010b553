import { existsSync } from 'node:fs';
import type { InFlightKind, InFlightOperation } from '../../core/inflight/InFlightOperation';
import type { InFlightOperations } from '../../core/inflight/InFlightOperations';
import { decideResume, type ResumeDecision } from '../../core/inflight/resumeDecision';
import type { Logger } from '../../core/log/Logger';
import { isCancellation } from '../commands/registerCommand';
import { showOperationError } from '../errors/showOperationError';

/** Resumes or reports one kind of interrupted operation; the journal entry is removed once it returns or throws. */
export type ResumeHandler<T extends InFlightOperation = InFlightOperation> = (entry: T, decision: ResumeDecision) => Promise<void>;

/**
 * After a window reload (or a crash) the journal still holds what the last extension host had in flight. Once the
 * features are registered, each such entry is adopted (so a second window starting at the same moment leaves it
 * alone), decided on (core/inflight/resumeDecision) and handed to its provider's handler, which resumes it with the
 * same Idempotency-Key or tells the user how it ended. Entries stay in the journal while they are resumed: another
 * reload in the middle of a resume resumes again.
 */
export class InFlightResumer {
  private readonly handlers = new Map<InFlightKind, ResumeHandler>();
  private readonly accountIds = new Map<string, () => Promise<string | undefined>>();

  constructor(
    readonly journal: InFlightOperations,
    private readonly log: Logger,
  ) {}

  handle<K extends InFlightKind>(kind: K, handler: ResumeHandler<Extract<InFlightOperation, { kind: K }>>): void {
    this.handlers.set(kind, handler as ResumeHandler);
  }

  /** The signed-in account of a provider, once its credential is loaded (undefined when signed out). */
  account(provider: string, accountId: () => Promise<string | undefined>): void {
    this.accountIds.set(provider, accountId);
  }

  async resumeInterrupted(): Promise<void> {
    const interrupted = this.journal.interrupted();
    if (interrupted.length === 0) return;
    const accounts = new Map<string, string | undefined>();
    for (const [provider, read] of this.accountIds) accounts.set(provider, await read().catch(() => undefined));
    await Promise.all(interrupted.map((entry) => this.resumeOne(entry.id, accounts)));
  }

  private async resumeOne(id: string, accounts: ReadonlyMap<string, string | undefined>): Promise<void> {
    const entry = await this.journal.adopt(id);
    if (!entry) return;
    const decision = decideResume(entry, { now: Date.now(), accountId: (provider) => accounts.get(provider), fileExists: existsSync });
    this.log.info(`In-flight ${entry.kind} "${entry.label}" (started ${entry.startedAt}) was interrupted by a window reload or crash: ${decision.action === 'report' ? `reporting (${decision.outcome})` : decision.action}.`);
    const handler = this.handlers.get(entry.kind);
    try {
      if (handler) await handler(entry, decision);
      else this.log.warn(`No handler for interrupted ${entry.kind} "${entry.label}"; dropped from the journal.`);
    } catch (error) {
      if (!isCancellation(error)) showOperationError(error, this.log, `Resuming ${entry.kind} "${entry.label}" after a window reload failed`);
    } finally {
      await this.journal.finish(entry.id);
    }
  }
}
