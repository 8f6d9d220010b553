// Polling: 500 active Simulacrum jobs watched for 10 virtual minutes by the real poller, as src/ui builds it
// (SimulacrumSession: SimulacrumJobSource.poll, then SimulacrumBilling.refresh, in a Poller at the default
// `simcloud.jobs.pollIntervalSeconds`), against the sandbox on a paused virtual clock that the poller's waits advance.
// Requests are counted from the sandbox's request log, per virtual minute.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startSandbox } from '../../sandbox/index';
import { Poller } from '../../src/core/jobs/Poller';
import { JobStore } from '../../src/core/jobs/JobStore';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { HttpClient } from '../../src/core/http/HttpClient';
import { Redactor } from '../../src/core/log/Redactor';
import type { Clock } from '../../src/core/util/clock';
import { apiKeyCredential } from '../../src/providers/apiKeyCredential';
import { SimulacrumApi } from '../../src/providers/simulacrum/SimulacrumApi';
import { SimulacrumBilling } from '../../src/providers/simulacrum/SimulacrumBilling';
import { SimulacrumJobSource } from '../../src/providers/simulacrum/SimulacrumJobSource';
import { SimulacrumSweepRecords } from '../../src/providers/simulacrum/SimulacrumSweepRecords';
import type { BenchCase } from '../types';

const JOBS = 500;
const MINUTES = 10;
/** "API requests: 60 requests per minute per API key" (shared/api/simulacrum-labs.md, Rate Limits). */
const PER_KEY_LIMIT = 60;
/** Sweeps of at most 64 variants (the sandbox's limit): 7 × 64 + 52 = 500 training jobs, each running 10 minutes. */
const SWEEPS = [64, 64, 64, 64, 64, 64, 64, 52];

export const run: BenchCase = async (ctx) => {
  const intervalSeconds = defaultPollIntervalSeconds();
  const sandbox = await startSandbox({ ports: 'ephemeral', storage: true, speed: 0 });
  const redactor = new Redactor();
  const apiKey = sandbox.credentials.simulacrum.apiKey;
  const http = new HttpClient({ baseUrl: sandbox.urls.simulacrum, credential: apiKeyCredential('simulacrum', new URL(sandbox.urls.simulacrum).origin, apiKey, redactor), redactor, clock: sandbox.clock });
  const store = new JobStore();
  try {
    const control = async (method: string, route: string, body: unknown) => {
      const response = await fetch(`${sandbox.urls.control}/_sandbox/simulacrum${route}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (!response.ok) throw new Error(`sandbox control ${method} ${route}: HTTP ${response.status} ${await response.text()}`);
    };
    // Every job gets a GPU at once and the account can pay for 500 GPUs × 10 minutes.
    await control('PUT', '/gpus', { count: JOBS });
    await control('POST', '/accounts', { key: apiKey, credits: 10_000 });
    const api = new SimulacrumApi(http);
    const signal = new AbortController().signal;
    const upload = await api.requestUpload({ name: 'Bench', filename: 'project.zip', sizeBytes: 22 }, signal);
    const put = await fetch(upload.sas_url, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/zip' }, body: Buffer.from('PK\u0005\u0006'.padEnd(22, '\0')) });
    if (!put.ok) throw new Error(`project upload to Azurite: HTTP ${put.status}`);
    let submitted = 0;
    for (const variants of SWEEPS) {
      const grid = { lr: Array.from({ length: variants / 4 }, (_, i) => (i + 1) / 1000), batch_size: [8, 16, 32, 64] };
      submitted += (await api.submitSweep({ project_id: upload.project_id, parameter_grid: grid, python_script: 'train.py' }, signal)).variant_job_ids.length;
    }
    if (submitted !== JOBS) throw new Error(`polling: the sweeps created ${submitted} jobs, not ${JOBS}`);
    sandbox.clock.advance(6_000); // past the 5 s in 'queued': all 500 running
    sandbox.requests.clear();

    // The poller's waits move the sandbox's virtual clock; the run ends when 10 virtual minutes have passed.
    const startedAt = sandbox.clock.now();
    const endAt = startedAt + MINUTES * 60_000;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const clock: Clock = {
      now: () => sandbox.clock.now(),
      sleep: (ms, sleepSignal) =>
        new Promise<void>((resolve, reject) => {
          setImmediate(() => {
            const step = Math.min(ms, endAt - sandbox.clock.now());
            sandbox.clock.advance(Math.max(0, step));
            if (sandbox.clock.now() < endAt) return resolve();
            finished();
            sleepSignal?.addEventListener('abort', () => reject(sleepSignal.reason), { once: true });
          });
        }),
    };
    const source = new SimulacrumJobSource({ api, store, sweeps: new SimulacrumSweepRecords(new InMemoryKeyValueStore()), clock });
    const billing = new SimulacrumBilling({ api, clock });
    let cycles = 0;
    let failures = 0;
    let maxActive = 0;
    const poller = new Poller({
      name: 'bench',
      clock,
      minIntervalMs: intervalSeconds * 1000,
      poll: async (pollSignal) => {
        cycles += 1;
        const outcome = await source.poll(pollSignal);
        await billing.refresh(pollSignal);
        maxActive = Math.max(maxActive, outcome.active);
        return outcome;
      },
    });
    poller.onDidFail(() => (failures += 1));
    ctx.log(`polling: ${JOBS} running jobs, ${MINUTES} virtual minutes, poll interval ${intervalSeconds} s`);
    poller.start();
    await done;
    poller.stop();

    const requests = sandbox.requests.all().filter((r) => r.provider === 'simulacrum' && r.path.startsWith('/api/'));
    const perMinute = Array.from({ length: MINUTES }, (_, minute) => requests.filter((r) => Math.floor((r.receivedAt - startedAt) / 60_000) === minute));
    const isJobRequest = (r: { path: string }) => r.path.startsWith('/api/jobs');
    const jobRequests = requests.filter(isJobRequest).length;
    const busiest = Math.max(...perMinute.map((list) => list.length));
    const limited = requests.filter((r) => r.status === 429).length;
    return {
      title: `Polling (${JOBS} running Simulacrum jobs, ${MINUTES} virtual minutes)`,
      description: `The real Poller + SimulacrumJobSource + SimulacrumBilling (as SimulacrumSession builds them), poll interval ${intervalSeconds} s (the setting's default), against the sandbox on a virtual clock; requests counted in the sandbox's request log.`,
      columns: ['virtual minute', 'requests', 'job list (GET /api/jobs)', 'other (balance)'],
      rows: [
        ...perMinute.map((list, minute) => [String(minute + 1), String(list.length), String(list.filter(isJobRequest).length), String(list.filter((r) => !isJobRequest(r)).length)]),
        ['total', String(requests.length), String(jobRequests), String(requests.length - jobRequests)],
      ],
      checks: [
        {
          name: 'polling: ≤ 1 request per polling cycle for 500 jobs',
          measured: `${(jobRequests / cycles).toFixed(2)} job requests per cycle (${jobRequests} in ${cycles} cycles; ${maxActive} resources active: the jobs and their sweeps)`,
          target: '≤ 1',
          pass: jobRequests <= cycles && maxActive >= JOBS,
        },
        {
          name: 'polling: never above the configured per-key limit',
          measured: `busiest minute ${busiest} requests (all routes), ${limited} answered 429`,
          target: `≤ ${PER_KEY_LIMIT} / min`,
          pass: busiest <= PER_KEY_LIMIT && limited === 0,
        },
      ],
      notes: [
        `${cycles} poll cycles, ${failures} failed. Each cycle is one GET /api/jobs?full=1 whatever the number of jobs; the status bar's balance (GET /api/billing/balance) rides along at most once a minute, so all routes together average ${(requests.length / cycles).toFixed(2)} requests per cycle.`,
      ],
    };
  } finally {
    store.dispose();
    await http.close();
    await sandbox.close();
  }
};

/** The default of `simcloud.jobs.pollIntervalSeconds`, read from the manifest so the bench follows it. */
function defaultPollIntervalSeconds(): number {
  const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as { contributes: { configuration: unknown } };
  const sections = [manifest.contributes.configuration].flat() as { properties?: Record<string, { default?: unknown }> }[];
  for (const section of sections) {
    const value = section.properties?.['simcloud.jobs.pollIntervalSeconds']?.default;
    if (typeof value === 'number') return value;
  }
  throw new Error('package.json has no default for simcloud.jobs.pollIntervalSeconds');
}
