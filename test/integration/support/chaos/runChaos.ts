// One chaos run for one seed: a sandbox with storage on a paused clock, the fault mix of issue 8 on every API and on
// both storage fronts, the fixed script through the real client classes, then everything the test asserts gathered
// into one report (what the sandbox created, byte checks, rate-limit findings, counts to print).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../../../sandbox/index';
import type { FaultConfig } from '../../../../sandbox/faults/FaultStep';
import type { TrafficTally } from '../../../../sandbox/http/RequestLog';
import { ClockDriver } from './ClockDriver';
import { ChaosWorld, control, describe, type ByteCheck } from './ChaosWorld';
import { runCybernetic } from './cyberneticScript';
import { checkRateLimits, type RateLimitFinding } from './rateLimits';
import { runSimulacra } from './simulacraScript';
import { runSimulacrum } from './simulacrumScript';
import { checkSimulixResults, runSimulix } from './simulixScript';

/** Issue 8's mix: 10 % 5xx, 5 % resets, bursts of 429 with Retry-After, 2-second latency spikes. */
export function chaosFaults(seed: number): FaultConfig {
  return {
    seed,
    error5xx: 0.1,
    reset: 0.05,
    rateLimitBurst: 0.01,
    rateLimitBurstSeconds: 3,
    latencySpike: 0.03,
    latencySpikeMs: 2_000,
    providers: ['simulacrum', 'simulacra', 'simulacraAuth', 'cybernetic', 'simulix', 'azurite', 's3'],
  };
}

export interface ChaosReport {
  readonly seed: number;
  /** Resources per kind: what the script meant to create and what the sandbox holds. */
  readonly created: { kind: string; intended: number; actual: number }[];
  readonly byteChecks: ByteCheck[];
  readonly rateLimits: RateLimitFinding[];
  readonly traffic: Partial<Record<string, TrafficTally>>;
  readonly faults: Record<string, number>;
  readonly retries: { http: number; user: number };
  readonly failuresSeen: Record<string, number>;
  readonly bytes: { up: number; down: number };
  readonly virtualMinutes: number;
  readonly wallSeconds: number;
  /** Requests in the sandbox's bounded log vs. requests counted: equal unless the log overflowed. */
  readonly logComplete: boolean;
  /** Extra facts printed, not asserted (projects created per upload slot requested, for one). */
  readonly notes: string[];
}

export async function runChaos(seed: number, log: (line: string) => void): Promise<ChaosReport> {
  const startedWall = performance.now();
  const workDir = await mkdtemp(path.join(tmpdir(), `simcloud-chaos-${seed}-`));
  const sandbox = await startSandbox({ ports: 'ephemeral', storage: true, speed: 0, seed });
  const driver = new ClockDriver(sandbox);
  const world = new ChaosWorld(sandbox, driver, seed, workDir);
  const startedVirtual = sandbox.clock.now();
  try {
    sandbox.faults.configure(chaosFaults(seed));
    sandbox.faults.resetCounts();
    driver.start();
    const phase = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const at = performance.now();
      try {
        const result = await run();
        log(`seed ${seed}: ${name} done in ${((performance.now() - at) / 1000).toFixed(1)} s wall, virtual +${((sandbox.clock.now() - startedVirtual) / 60_000).toFixed(1)} min so far`);
        return result;
      } catch (error) {
        log(`seed ${seed}: ${name} failed: ${describe(error)}\n  driver: ${driver.describe()}\n  last client log lines:\n    ${world.recentLog.slice(-25).join('\n    ')}`);
        throw error;
      }
    };
    await phase('Simulacrum (20 submissions, 5 sweeps, downloads)', () => runSimulacrum(world));
    await phase('Simulacra (10 datasets, 10 generations, artifacts)', () => runSimulacra(world));
    await phase('Cybernetic Physics (5 sessions, 5 reconstructions, downloads)', () => runCybernetic(world));
    const saved = await phase('Simulix (10 simulations, results)', () => runSimulix(world));
    const virtualMinutes = (sandbox.clock.now() - startedVirtual) / 60_000;
    const faults = sandbox.faults.counts();
    sandbox.faults.clear();
    await driver.stop();
    await checkSimulixResults(world, saved);
    const requests = sandbox.requests.all();
    const traffic = sandbox.requests.tally();
    const counted = Object.values(traffic).reduce((sum, t) => sum + (t?.requests ?? 0), 0);
    const { created, notes } = await createdResources(sandbox, world);
    return {
      seed,
      created,
      byteChecks: world.ledger.byteChecks,
      rateLimits: checkRateLimits(requests),
      traffic,
      faults,
      retries: { http: world.ledger.httpRetries, user: world.ledger.userRetries },
      failuresSeen: Object.fromEntries(world.ledger.failuresSeen),
      bytes: { up: world.ledger.bytesUp, down: world.ledger.bytesDown },
      virtualMinutes,
      wallSeconds: (performance.now() - startedWall) / 1000,
      logComplete: requests.length >= counted,
      notes,
    };
  } finally {
    await driver.stop();
    world.clients.dispose();
    await sandbox.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function createdResources(sandbox: Sandbox, world: ChaosWorld): Promise<{ created: ChaosReport['created']; notes: string[] }> {
  const simulacrum = await control<{ projects_created: number; blobs_uploaded: number; jobs_created: number; sweeps_created: number }>(sandbox, 'GET', '/_sandbox/simulacrum/stats');
  const simulacra = await control<{ datasets_created: number; generations_created: number; idempotent_replays: number; responses_lost: number }>(sandbox, 'GET', '/_sandbox/simulacra/stats');
  const cybernetic = await control<{ sessions: unknown[]; reconstructions: unknown[]; uploads: unknown[] }>(sandbox, 'GET', '/_sandbox/cybernetic/state');
  const simulix = await control<{ simulations: unknown[] }>(sandbox, 'GET', '/_sandbox/simulix/state');
  const actual: Record<string, number> = {
    'simulacrum.blobs': simulacrum.blobs_uploaded,
    'simulacrum.jobs': simulacrum.jobs_created,
    'simulacrum.sweeps': simulacrum.sweeps_created,
    'simulacra.datasets': simulacra.datasets_created,
    'simulacra.generations': simulacra.generations_created,
    'cybernetic.sessions': cybernetic.sessions.length,
    'cybernetic.reconstructions': cybernetic.reconstructions.length,
    'simulix.simulations': simulix.simulations.length,
  };
  const created = Object.entries(actual).map(([kind, count]) => ({ kind, intended: world.ledger.intended.get(kind) ?? 0, actual: count }));
  const notes = [
    `Simulacrum upload slots (projects) requested: ${simulacrum.projects_created} for ${actual['simulacrum.blobs']} archives`,
    `Simulacra answers lost after the work was done: ${simulacra.responses_lost}, replayed by Idempotency-Key: ${simulacra.idempotent_replays}`,
    `Cybernetic upload slots requested: ${cybernetic.uploads.length} for ${actual['cybernetic.reconstructions']} reconstructions`,
  ];
  return { created, notes };
}
