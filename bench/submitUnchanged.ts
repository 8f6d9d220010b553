// Submit Workspace Job against the sandbox and Azurite: a first submission, an unchanged one (nothing zipped or sent),
// one after touching a file, and unchanged again. Run: node --import tsx bench/submitUnchanged.ts
// The workspace (5,000 small .py files + 4 × 50 MiB of .uasset) is generated in a temp folder and removed afterwards.
import { mkdir, mkdtemp, rm, writeFile, appendFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSandbox } from '../sandbox/index';
import { HttpClient } from '../src/core/http/HttpClient';
import { InMemoryKeyValueStore } from '../src/core/jobs/KeyValueStore';
import { Redactor } from '../src/core/log/Redactor';
import { createWorkspacePackager } from '../src/core/submit/createWorkspacePackager';
import { UploadRecords } from '../src/core/submit/UploadRecords';
import { BlockBlobUploader } from '../src/core/transfer/BlockBlobUploader';
import { apiKeyCredential } from '../src/providers/apiKeyCredential';
import { SimulacrumApi } from '../src/providers/simulacrum/SimulacrumApi';
import { WorkspaceJobSubmitter } from '../src/providers/simulacrum/WorkspaceJobSubmitter';
import { zipWorkerScript } from '../test/unit/archive/zipWorkerBundle';
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, redact: (t: string) => t };
(async () => {
  const sb = await startSandbox({ ports: 'ephemeral', storage: true, speed: 0 });
  const redactor = new Redactor();
  const origin = new URL(sb.urls.simulacrum).origin;
  const http = new HttpClient({ baseUrl: sb.urls.simulacrum, credential: apiKeyCredential('simulacrum', origin, 'sim_live_sandbox_dev_key', redactor), redactor });
  const api = new SimulacrumApi(http);
  const ws = await mkdtemp(path.join(tmpdir(), 'meas-'));
  for (let d = 0; d < 50; d++) {
    await mkdir(path.join(ws, `src/m${d}`), { recursive: true });
    for (let f = 0; f < 100; f++) await writeFile(path.join(ws, `src/m${d}/f${f}.py`), `# file ${d}/${f}\n` + 'x = 1\n'.repeat(500));
  }
  await mkdir(path.join(ws, 'Content'), { recursive: true });
  for (let i = 0; i < 4; i++) await writeFile(path.join(ws, `Content/asset${i}.uasset`), randomBytes(50 * 1024 * 1024));
  const sub = new WorkspaceJobSubmitter(api, createWorkspacePackager({ workerPath: await zipWorkerScript(), settings: () => ({}) }), new BlockBlobUploader({ http: new HttpClient({}) }), new UploadRecords(new InMemoryKeyValueStore()), silent);
  const target = { root: ws, projectName: 'M', accountId: 'a', reuseUnchanged: true };
  const run = async (label: string) => {
    const t = performance.now();
    const r = await sub.submit(target, new AbortController().signal, () => {}, (p) => api.submitRender({ project_id: p, render_mode: 'annotations', num_frames: 1 }, new AbortController().signal));
    console.log(`${label}: ${(performance.now() - t).toFixed(0)} ms, reused=${r.upload.reused}, zip=${r.upload.zipBytes ?? 0} bytes, files=${r.upload.fileCount}`);
  };
  await run('first submission');
  await run('unchanged re-submission');
  await appendFile(path.join(ws, 'src/m3/f7.py'), '# touched\n');
  await run('after touching one file');
  await run('unchanged again');
  await http.close();
  await sb.close();
  await rm(ws, { recursive: true, force: true });
  process.exit(0);
})();
