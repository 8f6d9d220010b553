// One "window" of the shared-polling test (sharedPolling.test.ts), as its own process: the core SharedPoller with the
// real HTTP client, Simulacrum API, job source and store, on a manual clock the parent moves in lockstep with the
// sandbox's virtual clock. The parent talks to it over the fork IPC channel; it answers each command once done.
import { HttpClient } from '../../src/core/http/HttpClient';
import { RateLimiter } from '../../src/core/http/RateLimiter';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { JobStore } from '../../src/core/jobs/JobStore';
import type { PollOutcome } from '../../src/core/jobs/Poller';
import { isActiveStatus, TERMINAL_STATUSES, type ResourceStatus } from '../../src/core/jobs/Resource';
import { SharedPoller } from '../../src/core/polling/SharedPoller';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumBilling } from '../../src/providers/simulacrum/SimulacrumBilling';
import { SimulacrumJobSource } from '../../src/providers/simulacrum/SimulacrumJobSource';
import { simulacrumPollSharing } from '../../src/providers/simulacrum/simulacrumPollSharing';
import { SimulacrumSweepRecords } from '../../src/providers/simulacrum/SimulacrumSweepRecords';
import { FakeClock, flush } from '../support/FakeClock';

export interface ChildConfig {
  readonly baseUrl: string;
  readonly key: string;
  /** Undefined: polls alone (the one-poller reference). */
  readonly socketPath?: string;
  readonly startAt: number;
}

export type ChildCommand = { readonly cmd: 'start' } | { readonly cmd: 'advance'; readonly ms: number } | { readonly cmd: 'roleChanges'; readonly atLeast: number } | { readonly cmd: 'report'; readonly seq: number } | { readonly cmd: 'kick' };

export interface ChildReport {
  readonly role: string | undefined;
  readonly roleChanges: number;
  readonly polls: number;
  /** The last snapshot published (leader) or adopted (follower). */
  readonly seq: number;
  /** Job id → the terminal status this process saw it move into from an active one (each once). */
  readonly transitions: Record<string, ResourceStatus>;
  /** Jobs seen moving into a terminal state more than once (a follower adopting a stale snapshot would). */
  readonly duplicates: readonly string[];
}

const config = JSON.parse(process.argv[2] ?? '{}') as ChildConfig;
const clock = new FakeClock(config.startAt);
const http = new HttpClient({
  baseUrl: config.baseUrl,
  credential: { id: `simulacrum:${config.key}`, origin: config.baseUrl, authorization: async () => `Bearer ${config.key}` },
  rateLimiter: new RateLimiter(clock, { ratePerMinute: 60 }),
  clock,
  random: () => 0,
  provider: 'simulacrum',
});
const store = new JobStore();
const api = new SimulacrumApi(http);
const source = new SimulacrumJobSource({ api, store, sweeps: new SimulacrumSweepRecords(new InMemoryKeyValueStore()), clock });
const billing = new SimulacrumBilling({ api, clock });

let inFlight = 0;
let polls = 0;
const settled: (() => void)[] = [];
const poller = new SharedPoller({
  name: 'child',
  clock,
  poll: async (signal): Promise<PollOutcome> => {
    inFlight += 1;
    polls += 1;
    try {
      return await source.poll(signal);
    } finally {
      inFlight -= 1;
      if (inFlight === 0) for (const resolve of settled.splice(0)) resolve();
    }
  },
  socketPath: config.socketPath,
  sharing: simulacrumPollSharing(source, billing),
});

let roleChanges = 0;
const roleWaiters: (() => void)[] = [];
const seen = new Map<string, ResourceStatus>();
const transitions: Record<string, ResourceStatus> = {};
const duplicates: string[] = [];
const snapshotWaiters: (() => void)[] = [];
poller.onDidPoll(() => {
  for (const resolve of snapshotWaiters.splice(0)) resolve();
});
store.onDidChangeResources((change) => {
  for (const resource of change.changed) {
    const before = seen.get(resource.id);
    seen.set(resource.id, resource.status);
    if (resource.kind === 'job' && before !== undefined && isActiveStatus(before) && TERMINAL_STATUSES.has(resource.status)) {
      if (transitions[resource.id]) duplicates.push(resource.id);
      transitions[resource.id] = resource.status;
    }
  }
});

/** Until no poll of this process is in flight and its follow-ups (the next sleep, a broadcast) have run. */
async function settle(): Promise<void> {
  await flush();
  while (inFlight > 0) {
    await new Promise<void>((resolve) => settled.push(resolve));
    await flush();
  }
}

function report(): ChildReport {
  return { role: poller.role, roleChanges, polls, seq: poller.snapshotSeq, transitions, duplicates };
}

function onRole(): void {
  roleChanges += 1;
  for (const resolve of roleWaiters.splice(0)) resolve();
}

async function handle(command: ChildCommand): Promise<ChildReport> {
  switch (command.cmd) {
    case 'start': {
      poller.onDidChangeRole(onRole);
      await poller.start();
      await settle();
      return report();
    }
    case 'advance':
      await clock.advance(command.ms);
      await settle();
      return report();
    case 'kick':
      poller.kick();
      await settle();
      return report();
    case 'roleChanges':
      while (roleChanges < command.atLeast) await new Promise<void>((resolve) => roleWaiters.push(resolve));
      await settle();
      return report();
    case 'report':
      // A follower's last snapshot may still be on the socket: wait until it adopted the leader's last one.
      while (poller.snapshotSeq < command.seq) await new Promise<void>((resolve) => snapshotWaiters.push(resolve));
      return report();
  }
}

process.on('message', (command: ChildCommand) => {
  handle(command).then(
    (result) => process.send?.({ ok: true, result }),
    (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.stack : String(error) }),
  );
});
process.on('disconnect', () => {
  poller.dispose();
  void http.close().finally(() => process.exit(0));
});
