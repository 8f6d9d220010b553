// Cybernetic's lazily derived state: session stops, per-second costs split by UTC day, Eureka iterations and logs,
// and the stored-zip writer behind USDZ and COLMAP artifacts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { VirtualClock } from '../../../sandbox/clock/VirtualClock';
import type { SandboxContext } from '../../../sandbox/providers/ProviderModule';
import { CyberneticWorld, type EurekaRun, type Session } from '../../../sandbox/providers/cybernetic/CyberneticWorld';
import { crc32, storedZip } from '../../../sandbox/providers/cybernetic/storedZip';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function world(startAt: number) {
  const clock = new VirtualClock({ speed: 0, startAt });
  return { clock, world: new CyberneticWorld({ clock, seed: 1 } as unknown as SandboxContext) };
}

function session(createdAt: number, fields: Partial<Session> = {}): Session {
  return { sessionId: 'sess_x', gpuSpec: 'RTX_4090', costPerHour: 1, maxRuntimeMinutes: 240, idleTimeoutMinutes: 30, envId: null, baseVersionId: null, fromSessionId: null, createdAt, viewerToken: 't', ...fields };
}

describe('CyberneticWorld', () => {
  it('stops a session at its idle or runtime limit, whichever comes first, and bills only running time', () => {
    const { world: w } = world(0);
    const s = session(0, { idleTimeoutMinutes: 30, maxRuntimeMinutes: 60 });
    w.sessions.push(s);
    const running = w.runningAt(s);
    assert.equal(running, 2 * MINUTE);
    assert.equal(w.sessionStatus(s, running - 1), 'starting');
    w.touchSession(s, running + 20 * MINUTE);
    assert.equal(w.sessionStatus(s, running + 49 * MINUTE), 'running');
    assert.equal(w.sessionStatus(s, running + 50 * MINUTE), 'stopped');
    assert.equal(s.stopReason, 'idle_timeout');
    assert.equal(w.sessionCost(s, running + 5 * HOUR), 50 / 60);
    const long = session(0, { idleTimeoutMinutes: 600, maxRuntimeMinutes: 60 });
    assert.equal(w.sessionStatus(long, 10 * HOUR), 'stopped');
    assert.equal(long.stopReason, 'max_runtime');
  });

  it('splits spend across UTC days', () => {
    const start = 10 * DAY - 2 * MINUTE - HOUR; // running from 23:00
    const { world: w } = world(start);
    w.sessions.push(session(start, { idleTimeoutMinutes: 600, maxRuntimeMinutes: 120 }));
    const at = 10 * DAY + 3 * HOUR;
    assert.equal(w.spendBetween(9 * DAY, 10 * DAY, at), 1);
    assert.equal(w.spendToday(at), 1);
    assert.equal(w.reserved(at), 0);
  });

  it('advances Eureka iterations with a rising best reward and prints log lines every 5 s', () => {
    const { world: w } = world(0);
    const r: EurekaRun = { jobId: 'eureka_x', taskId: 'Isaac-Cartpole-v0', rlLibrary: 'rl_games', maxTrainingIterations: 3, numParallelRuns: 2, seed: 1, envId: null, notes: null, createdAt: 0, logs: [], naturalLines: 0, finalLogged: false };
    w.runs.push(r);
    assert.equal(w.runStatus(r, 29_999), 'queued');
    assert.equal(w.currentIteration(r, 30_000), 1);
    const rewards = [1, 2, 3].map((k) => w.bestReward(r, k) ?? 0);
    assert.ok(rewards[0]! < rewards[1]! && rewards[1]! < rewards[2]!);
    w.fillLogs(r, 30_000 + MINUTE);
    assert.equal(r.logs.length, 13);
    w.fillLogs(r, HOUR);
    assert.equal(w.runStatus(r, HOUR), 'completed');
    assert.equal(r.logs.length, 6 * MINUTE / 5000 + 1 + 1);
    assert.match(r.logs.at(-1) ?? '', /run completed/);
  });
});

describe('storedZip', () => {
  it('computes the standard CRC-32 and writes entries a zip reader can find', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    const zip = storedZip([{ name: 'scene.usda', data: Buffer.from('#usda 1.0\n') }, { name: 'b.txt', data: Buffer.from('bee') }]);
    const end = zip.length - 22;
    assert.equal(zip.readUInt32LE(end), 0x06054b50);
    assert.equal(zip.readUInt16LE(end + 10), 2);
    let at = zip.readUInt32LE(end + 16);
    const names: string[] = [];
    for (let i = 0; i < 2; i++) {
      assert.equal(zip.readUInt32LE(at), 0x02014b50);
      const nameLength = zip.readUInt16LE(at + 28);
      const local = zip.readUInt32LE(at + 42);
      assert.equal(zip.readUInt32LE(local), 0x04034b50);
      const dataStart = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      assert.equal(dataStart % 64, 0, 'USDZ wants 64-byte aligned data');
      const size = zip.readUInt32LE(at + 24);
      assert.equal(crc32(zip.subarray(dataStart, dataStart + size)), zip.readUInt32LE(at + 16));
      names.push(zip.subarray(at + 46, at + 46 + nameLength).toString());
      at += 46 + nameLength;
    }
    assert.deepEqual(names, ['scene.usda', 'b.txt']);
  });
});
