import { randomBytes } from 'node:crypto';
import { lstatSync, promises as fs } from 'node:fs';
import net from 'node:net';
import { Emitter, type Disposable, type Event } from '../events/Emitter';
import type { Logger } from '../log/Logger';
import { encodePeerMessage, LineSplitter, parsePeerMessage, type PeerMessage } from './peerMessages';

export type PeerRole = 'leader' | 'follower';

/** One follower as the leader sees it. */
export interface PeerLink {
  send(message: PeerMessage): void;
}

export interface PeerReceived {
  readonly message: PeerMessage;
  /** The follower it came from (leader side); undefined when it came from the leader. */
  readonly from?: PeerLink;
}

/** After this many rounds of "cannot lead, cannot follow" the window polls alone rather than loop. */
const MAX_ELECTION_ROUNDS = 20;

/**
 * Elects one leader among the processes that share `socketPath`, with no lock files and no timers:
 *
 * - To lead, a process listens on a socket of its own (a unique name) and hard-links it to `socketPath`. link() fails
 *   when the name exists, atomically, so exactly one process gets the name; the others connect to it and follow.
 * - When the leader exits, its followers' connections close and they elect again at once (no gap): one links, the
 *   others connect to it.
 * - A leader killed outright leaves its name behind: a connect is refused, so the name is removed (only if it is still
 *   the same file) and the round starts again.
 * - Two processes clearing the same stale name at once could leave one leading a name nobody reaches; a leader
 *   therefore checks that `socketPath` is still its own before each poll (stillLeading) and steps down otherwise.
 *
 * Listening on a private name matters: Node removes a Unix socket's path when its server closes, and a leader that
 * stepped down must never remove the name its successor holds.
 */
export class LeaderElection implements Disposable {
  private readonly roleEmitter = new Emitter<PeerRole>();
  private readonly receiveEmitter = new Emitter<PeerReceived>();
  private readonly joinEmitter = new Emitter<PeerLink>();
  private readonly leaveEmitter = new Emitter<PeerLink>();
  readonly onDidChangeRole: Event<PeerRole> = this.roleEmitter.event;
  readonly onDidReceive: Event<PeerReceived> = this.receiveEmitter.event;
  /** Leader side: a follower connected. */
  readonly onDidJoin: Event<PeerLink> = this.joinEmitter.event;
  /** Leader side: a follower went away. */
  readonly onDidLeave: Event<PeerLink> = this.leaveEmitter.event;

  private currentRole: PeerRole | undefined;
  private server: net.Server | undefined;
  /** The inode `socketPath` had when this process linked it: proof the name is still ours. */
  private ownIno: number | undefined;
  private readonly followers = new Map<net.Socket, PeerLink>();
  private leader: net.Socket | undefined;
  private electing: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly socketPath: string,
    private readonly logger?: Logger,
  ) {}

  get role(): PeerRole | undefined {
    return this.currentRole;
  }

  /** How many followers are connected (leader side). */
  get followerCount(): number {
    return this.followers.size;
  }

  /** Elects (or joins) a leader; resolves once this process has a role. */
  start(): Promise<void> {
    this.electing ??= this.elect().finally(() => (this.electing = undefined));
    return this.electing;
  }

  /** Follower side; false when there is no leader to send to right now (an election is running). */
  sendToLeader(message: PeerMessage): boolean {
    if (this.currentRole !== 'follower' || !this.leader || this.leader.destroyed) return false;
    this.leader.write(encodePeerMessage(message));
    return true;
  }

  /** Leader side: to every follower. */
  broadcast(message: PeerMessage): void {
    const line = encodePeerMessage(message);
    for (const socket of this.followers.keys()) if (!socket.destroyed) socket.write(line);
  }

  /**
   * Leader side, before each poll: whether `socketPath` is still this process's. If another process took the name, this
   * one steps down and follows it, and the caller must not poll.
   */
  stillLeading(): boolean {
    if (this.currentRole !== 'leader') return false;
    if (!this.server) return true; // leading alone: nobody could be reached
    // Synchronous on purpose: one lstat, and the poll that follows starts in the same turn.
    if (inodeOfSync(this.socketPath) === this.ownIno) return true;
    this.logger?.warn('Shared polling: another window took over the poll socket; this one follows it now');
    void this.stepDown().then(() => this.start());
    return false;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.leader?.destroy();
    this.leader = undefined;
    await this.stepDown();
    this.roleEmitter.dispose();
    this.receiveEmitter.dispose();
    this.joinEmitter.dispose();
    this.leaveEmitter.dispose();
  }

  private async elect(): Promise<void> {
    for (let round = 0; round < MAX_ELECTION_ROUNDS && !this.disposed; round += 1) {
      let led: boolean;
      try {
        led = await this.tryLead();
      } catch (error) {
        this.logger?.warn('Shared polling: could not open the poll socket; this window polls on its own', error);
        break;
      }
      if (led) return this.setRole('leader');
      if (this.disposed) return;
      const staleIno = await inodeOf(this.socketPath);
      if (await this.tryFollow()) return this.setRole('follower');
      // Refused: whoever linked the name is gone. Remove it only if it is still that same file.
      if (staleIno !== undefined && (await inodeOf(this.socketPath)) === staleIno) await fs.unlink(this.socketPath).catch(() => undefined);
    }
    if (this.disposed) return;
    this.logger?.warn('Shared polling: no leader could be elected; this window polls on its own for now');
    this.setRole('leader');
  }

  private setRole(role: PeerRole): void {
    if (this.disposed) return;
    this.currentRole = role;
    this.roleEmitter.fire(role);
  }

  private async tryLead(): Promise<boolean> {
    const privatePath = `${this.socketPath}.${process.pid.toString(36)}${randomBytes(4).toString('hex')}`;
    const server = net.createServer((socket) => this.accept(socket));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(privatePath, () => {
          server.off('error', reject);
          resolve();
        });
      });
      // The folder is 0700 already; the socket's own mode says the same to anyone who checks.
      await fs.chmod(privatePath, 0o600);
      await fs.link(privatePath, this.socketPath);
    } catch (error) {
      await closeServer(server);
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
    if (this.disposed) {
      await fs.unlink(this.socketPath).catch(() => undefined);
      await closeServer(server);
      return false;
    }
    this.server = server;
    this.ownIno = await inodeOf(this.socketPath);
    server.on('error', (error) => this.logger?.warn('Shared polling: the poll socket failed', error));
    return true;
  }

  private tryFollow(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.createConnection(this.socketPath);
      const onError = () => {
        socket.destroy();
        resolve(false);
      };
      socket.once('error', onError);
      socket.once('connect', () => {
        socket.off('error', onError);
        if (this.disposed) {
          socket.destroy();
          return resolve(false);
        }
        this.leader = socket;
        this.read(socket, undefined);
        socket.on('error', (error) => this.logger?.debug('Shared polling: connection to the leading window failed', error));
        socket.on('close', () => {
          if (this.leader !== socket) return;
          this.leader = undefined;
          this.currentRole = undefined;
          // The leading window closed (or crashed): elect again now, so polling goes on without a gap.
          if (!this.disposed) void this.start();
        });
        resolve(true);
      });
    });
  }

  private accept(socket: net.Socket): void {
    const link: PeerLink = { send: (message) => void (!socket.destroyed && socket.write(encodePeerMessage(message))) };
    this.followers.set(socket, link);
    this.read(socket, link);
    socket.on('error', (error) => this.logger?.debug('Shared polling: a following window disconnected', error));
    socket.on('close', () => {
      if (this.followers.delete(socket)) this.leaveEmitter.fire(link);
    });
    this.joinEmitter.fire(link);
  }

  private read(socket: net.Socket, from: PeerLink | undefined): void {
    socket.setEncoding('utf8');
    const splitter = new LineSplitter((line) => {
      const message = parsePeerMessage(line);
      if (!message) return this.logger?.warn('Shared polling: ignored a malformed message from another window');
      this.receiveEmitter.fire({ message, from });
    });
    socket.on('data', (chunk: string) => {
      if (!splitter.push(chunk)) {
        this.logger?.warn('Shared polling: a message from another window was too long; the connection is closed');
        socket.destroy();
      }
    });
  }

  private async stepDown(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.currentRole = undefined;
    // Remove the shared name only while it is still ours, and before closing: while we listen nobody else removes it.
    if (this.ownIno !== undefined && (await inodeOf(this.socketPath)) === this.ownIno) await fs.unlink(this.socketPath).catch(() => undefined);
    this.ownIno = undefined;
    for (const socket of this.followers.keys()) socket.destroy();
    this.followers.clear();
    await closeServer(server);
  }
}

async function inodeOf(file: string): Promise<number | undefined> {
  try {
    return (await fs.lstat(file)).ino;
  } catch {
    return undefined;
  }
}

function inodeOfSync(file: string): number | undefined {
  try {
    return lstatSync(file).ino;
  } catch {
    return undefined;
  }
}

function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}
