import * as vscode from 'vscode';
import type { ResourceChange } from '../../../core/jobs/JobStore';
import type { ResourceKind, ResourceStatus } from '../../../core/jobs/Resource';
import type { CyberneticBudget } from '../../../providers/cybernetic/CyberneticApi';
import type { BudgetFigures } from '../../../shared/cyberneticBudgetProtocol';
import type { CyberneticConnection } from '../CyberneticSession';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';

/** After a poll the budget is read again only when the last read is older than this: the spend moves slowly. */
export const BUDGET_REFRESH_INTERVAL_MS = 60_000;

/** The kinds whose start or end changes what is spent (and what the limits still allow). */
const SPENDING_KINDS: ReadonlySet<ResourceKind> = new Set(['session', 'reconstruction', 'eureka-run']);

export interface BudgetSnapshot {
  /** The last figures read (kept when a later read fails, so the status bar does not blink). */
  readonly figures?: BudgetFigures;
  readonly readAt?: Date;
  /** Why the last read failed, already redacted. */
  readonly error?: string;
}

/**
 * The Cybernetic Physics budget for this window, read frugally: once when the account connects, after a poll at most
 * once a minute, and at once when a session, reconstruction or Eureka run starts or ends (its cost lands then). The
 * status bar and the budget page draw from it.
 */
export class BudgetTracker implements vscode.Disposable {
  private current: BudgetSnapshot | undefined;
  private connection: CyberneticConnection | undefined;
  private connectionSubscriptions: vscode.Disposable[] = [];
  private inFlight: Promise<void> | undefined;
  private lastReadAt = 0;
  /** Statuses of the spending resources seen so far; a change in one means money started or stopped moving. */
  private readonly statuses = new Map<string, ResourceStatus>();
  /** Resources listed by the first poll of a connection are what already existed, not something that just started. */
  private primed = false;
  private generation = 0;
  private readonly changed = new vscode.EventEmitter<BudgetSnapshot | undefined>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly feature: CyberneticFeatureContext) {
    this.subscriptions = [
      this.changed,
      feature.accounts.onDidChangeAccounts((providers) => {
        if (providers.includes('cybernetic')) void this.connect();
      }),
      feature.store.onDidChangeResources((change) => this.onResources(change)),
    ];
    void feature.accounts.ready().then(() => this.connect());
  }

  get snapshot(): BudgetSnapshot | undefined {
    return this.current;
  }

  get signedIn(): boolean {
    return this.feature.accounts.status('cybernetic').state === 'signedIn';
  }

  /** Figures the caller just read (the answer to PUT /v1/budget): shown at once, and they count as a fresh read. */
  accept(budget: CyberneticBudget): void {
    this.lastReadAt = Date.now();
    this.publish({ figures: toFigures(budget), readAt: new Date() });
  }

  /** Reads the budget now (one read at a time: a caller during a read waits for that one). */
  refresh(): Promise<void> {
    this.inFlight ??= this.read().finally(() => (this.inFlight = undefined));
    return this.inFlight;
  }

  private async read(): Promise<void> {
    const connection = this.connection;
    if (!connection || connection.signal.aborted) return;
    this.lastReadAt = Date.now();
    try {
      const budget = await connection.api.getBudget(connection.signal);
      if (connection !== this.connection) return;
      this.publish({ figures: toFigures(budget), readAt: new Date() });
    } catch (error) {
      if (connection !== this.connection || connection.signal.aborted) return;
      this.feature.log.warn('Could not read the Cybernetic Physics budget', error);
      const message = this.feature.log.redact(error instanceof Error ? error.message : String(error));
      this.publish({ ...this.current, error: message });
    }
  }

  private async connect(): Promise<void> {
    const generation = ++this.generation;
    for (const subscription of this.connectionSubscriptions.splice(0)) subscription.dispose();
    this.connection = undefined;
    this.statuses.clear();
    this.primed = false;
    if (!this.signedIn) {
      this.publish(undefined);
      return;
    }
    let connection: CyberneticConnection;
    try {
      connection = await this.feature.session.connection();
    } catch {
      if (generation === this.generation) this.publish(undefined);
      return;
    }
    // Another connect() (a quick sign-out and in) may have run meanwhile: the latest one wins.
    if (generation !== this.generation) return;
    this.connection = connection;
    const onAbort = () => queueMicrotask(() => void this.connect());
    connection.signal.addEventListener('abort', onAbort, { once: true });
    this.connectionSubscriptions.push(
      { dispose: () => connection.signal.removeEventListener('abort', onAbort) },
      connection.poller.onDidPoll(() => {
        this.primed = true;
        if (Date.now() - this.lastReadAt >= BUDGET_REFRESH_INTERVAL_MS) void this.refresh();
      }),
    );
    if (connection.signal.aborted) {
      void this.connect();
      return;
    }
    void this.refresh();
  }

  private onResources(change: ResourceChange): void {
    if (change.provider !== 'cybernetic') return;
    let moved = false;
    for (const resource of change.changed) {
      if (!SPENDING_KINDS.has(resource.kind)) continue;
      const before = this.statuses.get(resource.id);
      this.statuses.set(resource.id, resource.status);
      if (this.primed && before !== resource.status) moved = true;
    }
    for (const id of change.removed) this.statuses.delete(id);
    if (moved) void this.refresh();
  }

  private publish(snapshot: BudgetSnapshot | undefined): void {
    this.current = snapshot;
    this.changed.fire(snapshot);
  }

  dispose(): void {
    for (const subscription of this.connectionSubscriptions.splice(0)) subscription.dispose();
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    this.connection = undefined;
  }
}

export function toFigures(budget: CyberneticBudget): BudgetFigures {
  const number = (value: number | null | undefined) => (typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined);
  return {
    monthlyBudgetUsd: number(budget.monthlyBudgetUsd),
    dailyLimitUsd: number(budget.dailyLimitUsd),
    alertThresholdPercent: number(budget.alertThresholdPercent),
    currentMonthSpend: number(budget.currentMonthSpend),
    currentDaySpend: number(budget.currentDaySpend),
  };
}
