import { ApiError } from '../http/ApiError';
import { Emitter, type Disposable, type Event } from '../events/Emitter';
import { Poller, type PollOutcome } from '../jobs/Poller';
import type { Logger } from '../log/Logger';
import type { Clock } from '../util/clock';
import { LeaderElection, type PeerLink, type PeerReceived, type PeerRole } from './LeaderElection';
import type { PeerProblem } from './peerMessages';

/** `simcloud.jobs.backgroundPollIntervalSeconds`' default: the pace while nobody looks at any window of the account. */
export const DEFAULT_BACKGROUND_POLL_INTERVAL_MS = 120_000;

/** What the leading window hands the others after each poll, and how they draw it. */
export interface PollSharing {
  /** The provider's listing as this window last polled it (JSON-safe; never a credential). */
  snapshot(): unknown;
  /** Another window's snapshot: checked (throws when malformed) and shown as if this window had polled it. */
  adopt(data: unknown): PollOutcome;
}

export interface SharedPollerOptions {
  /** For logs: "Simulacrum Labs jobs". */
  name: string;
  clock: Clock;
  poll(signal: AbortSignal): Promise<PollOutcome>;
  minIntervalMs?: number;
  maxIntervalMs?: number;
  /** The slowest pace, used while no window of the account is focused or shows the data. */
  backgroundIntervalMs?: number;
  /** The socket the windows of this account meet on; undefined: this window polls and announces on its own. */
  socketPath?: string;
  /**
   * How followers draw the leader's polls. Without it every window still polls (its own records drive what it asks
   * about) and the socket only keeps announcements to one window.
   */
  sharing?: PollSharing;
  logger?: Logger;
}

/** A poll failure another window saw, as its followers report it. */
export class PeerPollError extends Error {
  constructor(readonly problem: PeerProblem) {
    super(problem.message);
    this.name = 'PeerPollError';
  }

  get status(): number | undefined {
    return this.problem.status;
  }
}

/**
 * One provider account's polling for this window, shared with every other window of the same account:
 *
 * - With `sharing`, one window leads (LeaderElection) and polls; after each poll it sends its snapshot to the others,
 *   which adopt it and fire onDidPoll as if they had polled. A follower's kick() asks the leader to poll now. When the
 *   leader goes, another window leads and polls at once.
 * - Pace: the normal Poller pace while any window of the account is attended (focused, or showing the data), the
 *   background interval otherwise. Followers tell the leader when their attention changes.
 * - Announcements: claim(key) is granted to exactly one window per key (the leader decides and tells the others with
 *   `announced`), so a job's terminal state is announced once however many windows saw it.
 */
export class SharedPoller implements Disposable {
  private readonly pollEmitter = new Emitter<PollOutcome>();
  private readonly failEmitter = new Emitter<unknown>();
  private readonly announcedEmitter = new Emitter<string>();
  private readonly roleEmitter = new Emitter<PeerRole>();
  /** This window began leading or following (after a start, or when the leading window went away). */
  readonly onDidChangeRole: Event<PeerRole> = this.roleEmitter.event;
  readonly onDidPoll: Event<PollOutcome> = this.pollEmitter.event;
  readonly onDidFail: Event<unknown> = this.failEmitter.event;
  /** Another window announced this key: drop it if it is held here. */
  readonly onDidAnnounceElsewhere: Event<string> = this.announcedEmitter.event;

  private readonly poller: Poller;
  private readonly election: LeaderElection | undefined;
  private readonly subscriptions: Disposable[] = [];
  private attended = true;
  private readonly followerAttention = new Map<PeerLink, boolean>();
  /** Keys this window knows were announced (by any window); a window that becomes leader grants from it. */
  private readonly announced = new Set<string>();
  /** Leader side: the keys granted so far (by this window, or known from before it led). */
  private readonly grantedKeys = new Set<string>();
  private readonly pendingClaims = new Map<number, { key: string; resolve: (granted: boolean) => void }>();
  private nextClaimId = 0;
  private seq = 0;
  private lastSnapshot: { seq: number; data: unknown } | undefined;
  private kickWanted = false;
  private disposed = false;

  constructor(private readonly options: SharedPollerOptions) {
    this.poller = new Poller({
      name: options.name,
      clock: options.clock,
      minIntervalMs: options.minIntervalMs,
      maxIntervalMs: options.maxIntervalMs,
      paceFloorMs: () => (this.anyAttended() ? 0 : (options.backgroundIntervalMs ?? DEFAULT_BACKGROUND_POLL_INTERVAL_MS)),
      logger: options.logger,
      poll: (signal) => this.pollAsLeader(signal),
    });
    this.subscriptions.push(
      this.poller.onDidPoll((outcome) => this.afterOwnPoll(outcome)),
      this.poller.onDidFail((error) => this.afterOwnFailure(error)),
    );
    if (options.socketPath) {
      const election = new LeaderElection(options.socketPath, options.logger);
      this.election = election;
      this.subscriptions.push(
        election.onDidChangeRole((role) => this.onRole(role)),
        election.onDidReceive((received) => this.onMessage(received)),
        election.onDidJoin((link) => this.onJoin(link)),
        election.onDidLeave((link) => {
          this.followerAttention.delete(link);
          this.poller.repace();
        }),
      );
    }
  }

  /** undefined while electing; 'leader' also when polling alone. */
  get role(): PeerRole | undefined {
    return this.election ? this.election.role : 'leader';
  }

  /**
   * The number of the last snapshot this window published or adopted; it carries over when a follower takes the lead,
   * so "has this window seen the latest poll" can be asked across a change of leader.
   */
  get snapshotSeq(): number {
    return this.seq;
  }

  /** Whether this window's poller is the one polling (so its requests reach the server). */
  get polling(): boolean {
    return this.poller.running;
  }

  /** Begins: elect (or poll at once when alone). Resolves once this window has a role. */
  async start(): Promise<void> {
    if (!this.election) return this.poller.kick();
    await this.election.start();
  }

  /** Poll soon: after a submission, a cancel, or Refresh. In a follower, the leader polls. */
  kick(): void {
    if (this.disposed) return;
    if (!this.options.sharing || this.role === 'leader') return this.poller.kick();
    if (!this.election?.sendToLeader({ type: 'kick' })) this.kickWanted = true;
  }

  /** Whether a user looks at this window (focused, or its view of the data visible). */
  setAttended(attended: boolean): void {
    if (this.attended === attended) return;
    this.attended = attended;
    if (this.role === 'follower') this.election?.sendToLeader({ type: 'attention', attended });
    this.poller.repace();
  }

  /** Resolves true in exactly one window per key: the one that announces it. */
  claim(key: string): Promise<boolean> {
    if (this.disposed) return Promise.resolve(false);
    if (this.role === 'leader' || !this.election) return Promise.resolve(this.grant(key));
    const id = (this.nextClaimId += 1);
    return new Promise((resolve) => {
      this.pendingClaims.set(id, { key, resolve });
      this.election?.sendToLeader({ type: 'claim', id, key });
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const subscription of this.subscriptions) subscription.dispose();
    this.poller.dispose();
    void this.election?.dispose();
    for (const pending of this.pendingClaims.values()) pending.resolve(false);
    this.pendingClaims.clear();
    this.pollEmitter.dispose();
    this.failEmitter.dispose();
    this.announcedEmitter.dispose();
    this.roleEmitter.dispose();
  }

  private anyAttended(): boolean {
    if (this.attended) return true;
    // Without sharing each window polls for its own view: another window's attention is no reason to hurry.
    if (!this.options.sharing) return false;
    for (const attended of this.followerAttention.values()) if (attended) return true;
    return false;
  }

  private pollAsLeader(signal: AbortSignal): Promise<PollOutcome> {
    // A leader displaced by another window (see LeaderElection) must not poll as well: it follows now.
    if (this.election && this.options.sharing && !this.election.stillLeading()) return Promise.resolve({ changed: false, active: 0 });
    return this.options.poll(signal);
  }

  private afterOwnPoll(outcome: PollOutcome): void {
    if (this.options.sharing && this.role !== 'leader') return;
    this.pollEmitter.fire(outcome);
    if (!this.options.sharing || !this.election) return;
    this.lastSnapshot = { seq: (this.seq += 1), data: this.options.sharing.snapshot() };
    this.election.broadcast({ type: 'snapshot', ...this.lastSnapshot });
  }

  private afterOwnFailure(error: unknown): void {
    this.failEmitter.fire(error);
    if (!this.options.sharing || !this.election) return;
    const problem: PeerProblem = { status: ApiError.is(error) || error instanceof PeerPollError ? error.status : undefined, message: error instanceof Error ? error.message : String(error) };
    this.election.broadcast({ type: 'snapshot', seq: (this.seq += 1), data: undefined, problem });
  }

  private onRole(role: PeerRole): void {
    this.handleRole(role);
    this.roleEmitter.fire(role);
  }

  private handleRole(role: PeerRole): void {
    // Followers tell a new leader their attention when they connect; what an earlier term heard is stale (a step-down
    // drops its followers without a leave event), and would keep the pace fast with nobody looking.
    this.followerAttention.clear();
    if (role === 'leader') {
      for (const key of this.announced) this.grantedKeys.add(key);
      // Claims sent to a leader that went away: this window decides them now.
      for (const [id, pending] of this.pendingClaims) {
        this.pendingClaims.delete(id);
        pending.resolve(this.grant(pending.key));
      }
      this.kickWanted = false;
      // Poll at once: the previous leader's last poll may be a while ago, and nothing may be missed meanwhile.
      this.poller.kick();
      return;
    }
    if (this.options.sharing) this.poller.stop();
    this.election?.sendToLeader({ type: 'attention', attended: this.attended });
    for (const [id, pending] of this.pendingClaims) this.election?.sendToLeader({ type: 'claim', id, key: pending.key });
    if (this.kickWanted) {
      this.kickWanted = false;
      this.kick();
    }
    // Without sharing every window polls its own: a follower of announcements only.
    if (!this.options.sharing) this.poller.kick();
  }

  private grant(key: string): boolean {
    const granted = !this.grantedKeys.has(key);
    this.grantedKeys.add(key);
    if (granted) {
      this.announced.add(key);
      this.election?.broadcast({ type: 'announced', key });
    }
    return granted;
  }

  private onJoin(link: PeerLink): void {
    // A window opened after the last poll draws the account at once instead of waiting for the next one.
    if (this.lastSnapshot) link.send({ type: 'snapshot', ...this.lastSnapshot });
    for (const key of this.announced) link.send({ type: 'announced', key });
  }

  private onMessage({ message, from }: PeerReceived): void {
    if (from) {
      // Leader side: from a follower.
      if (message.type === 'kick') this.poller.kick();
      else if (message.type === 'attention') {
        this.followerAttention.set(from, message.attended);
        this.poller.repace();
      } else if (message.type === 'claim') {
        const granted = this.grant(message.key);
        from.send({ type: 'claimed', id: message.id, granted });
        if (granted) this.announcedEmitter.fire(message.key);
      }
      return;
    }
    // Follower side: from the leader.
    if (message.type === 'snapshot') {
      this.seq = Math.max(this.seq, message.seq);
      this.adopt(message.data, message.problem);
    }
    else if (message.type === 'claimed') {
      const pending = this.pendingClaims.get(message.id);
      if (!pending) return;
      this.pendingClaims.delete(message.id);
      pending.resolve(message.granted);
    } else if (message.type === 'announced') {
      this.announced.add(message.key);
      this.announcedEmitter.fire(message.key);
    }
  }

  private adopt(data: unknown, problem: PeerProblem | undefined): void {
    if (!this.options.sharing) return;
    if (problem) return this.failEmitter.fire(new PeerPollError(problem));
    let outcome: PollOutcome;
    try {
      outcome = this.options.sharing.adopt(data);
    } catch (error) {
      this.options.logger?.warn(`${this.options.name}: ignored another window's poll that could not be read`, error);
      return;
    }
    this.pollEmitter.fire(outcome);
  }
}
