// A sandbox for tests that drive jobs through the real provider clients (tasks, language-model tools): paused
// clock, storage fronts on, a tiny project zip, HTTP clients closed at the end, and the control API.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox, type Sandbox } from '../../../sandbox/index';
import { HttpClient } from '../../../src/core/http/HttpClient';
import type { ProviderId } from '../../../src/core/providers/providerCatalog';
import { BlockBlobUploader } from '../../../src/core/transfer/BlockBlobUploader';
import type { SimulacrumApi } from '../../../src/providers/simulacrum/SimulacrumApi';
import type { SimulacrumJobSource } from '../../../src/providers/simulacrum/SimulacrumJobSource';

export interface JobSandbox {
  readonly sb: Sandbox;
  /** A workspace-like temp folder of the test's own. */
  readonly dir: string;
  /** An API client of one provider with one key, on the sandbox clock. */
  http(baseUrl: string, provider: ProviderId, key: string): HttpClient;
  /** `/_sandbox<route>`: GET without a body, POST (or `method`) with one; fails the test on a non-2xx answer. */
  control(route: string, body?: unknown, method?: string): Promise<Record<string, unknown>>;
  /** Uploads the tiny project and submits an annotations job of `frames` frames, as a spec submission would. */
  submitAnnotationJob(api: SimulacrumApi, source: SimulacrumJobSource, frames: number): Promise<string>;
  close(): Promise<void>;
}

export async function startJobSandbox(seed: number, tempPrefix: string): Promise<JobSandbox> {
  const sb = await startSandbox({ ports: 'ephemeral', speed: 0, seed, storage: true });
  const dir = await mkdtemp(path.join(tmpdir(), tempPrefix));
  const projectZip = path.join(dir, 'project.zip');
  await writeFile(projectZip, Buffer.from('PK\u0005\u0006'.padEnd(22, '\0'), 'latin1'));
  const clients: HttpClient[] = [];
  const signal = () => new AbortController().signal;
  return {
    sb,
    dir,
    http(baseUrl, provider, key) {
      const client = new HttpClient({ baseUrl, credential: { id: `${provider}:${key}`, origin: baseUrl, authorization: async () => `Bearer ${key}` }, clock: sb.clock, random: () => 0, provider });
      clients.push(client);
      return client;
    },
    async control(route, body, method = body === undefined ? 'GET' : 'POST') {
      const res = await fetch(`${sb.urls.control}/_sandbox${route}`, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      const json = (await res.json()) as Record<string, unknown>;
      assert.ok(res.ok, `control ${route}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    },
    async submitAnnotationJob(api, source, frames) {
      const upload = await api.requestUpload({ name: 'Spec', filename: 'project.zip', sizeBytes: 22 }, signal());
      const storage = new HttpClient({ retry: { baseDelayMs: 20, maxDelayMs: 200 } });
      clients.push(storage);
      await new BlockBlobUploader({ http: storage }).upload({ filePath: projectZip, sasUrl: upload.sas_url, contentType: 'application/zip', signal: signal() });
      const request = { project_id: upload.project_id, render_mode: 'annotations', num_frames: frames, resolution: '1920x1080', sim_mode: 'ComputerVision' } as const;
      const job = await api.submitRender(request, signal());
      source.afterSubmit(job, request);
      return job.job_id;
    },
    async close() {
      await Promise.all(clients.map((client) => client.close()));
      await sb.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
