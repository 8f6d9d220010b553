// Unchanged workspace: the decision "nothing changed since the last upload" on a 50,000-file tree, against the zip of
// the same tree. The decision is what Submit Workspace Job does before zipping: the packager's scan (walk, ignore
// rules, lstat, fingerprint — in the scan worker) compared with the upload record's fingerprint. It runs in-process, as in the extension
// host (a child process would add ~0.3 s of Node + tsx start-up to a sub-second figure); the zip runs as Sim Cloud's
// zip child (bench/children/zipWorkspace.ts), start-up included, as the zip case measures it.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { forgetListings } from '../../src/core/archive/scanListingCache';
import { InMemoryKeyValueStore } from '../../src/core/jobs/KeyValueStore';
import { createWorkspacePackager } from '../../src/core/submit/createWorkspacePackager';
import { UploadRecords } from '../../src/core/submit/UploadRecords';
import { childArgs } from '../childScript';
import { measureChild } from '../measureChild';
import { alternate, formatBytes, formatMs, formatSpread, summarize, type Summary } from '../stats';
import { generateScanTree } from '../support/scanTree';
import type { BenchCase, Check } from '../types';

const ACCOUNT = 'bench-account';

export const run: BenchCase = async (ctx) => {
  const shape = ctx.quick ? { textFiles: 5_000, assets: 2, assetBytes: 8 * 1024 ** 2 } : { textFiles: 50_000, assets: 4, assetBytes: 32 * 1024 ** 2 };
  const root = path.join(ctx.workDir, `unchanged-${shape.textFiles}`);
  const marker = path.join(ctx.workDir, `unchanged-${shape.textFiles}.done`);
  let tree = { filesWritten: 0, bytesWritten: 0 };
  if (!existsSync(marker)) {
    ctx.log(`unchanged: generating ${shape.textFiles.toLocaleString('en')} files in ${root}`);
    await rm(root, { recursive: true, force: true });
    tree = await generateScanTree(root, shape);
    await writeFile(marker, JSON.stringify(tree));
  } else {
    tree = JSON.parse(await readFile(marker, 'utf8')) as typeof tree;
  }
  const dist = path.join(__dirname, '../../dist');
  for (const bundle of ['zipWorker.js', 'scanWorker.js']) {
    if (!existsSync(path.join(dist, bundle))) throw new Error(`dist/${bundle} is missing: run \`node esbuild.js --production\` first (npm run bench does)`);
  }
  const zipDir = path.join(ctx.workDir, 'unchanged-zip');
  await mkdir(zipDir, { recursive: true });
  const zipFile = path.join(zipDir, 'workspace.zip');

  // The last upload: its fingerprint is what the decision compares with. The packager gets the extension's worker
  // bundles (as src/features.ts passes them), so the scan runs in dist/scanWorker.js, as it does in the extension.
  const newPackager = () => createWorkspacePackager({ workerPath: path.join(dist, 'zipWorker.js'), settings: () => ({}) });
  let packager = newPackager();
  const records = new UploadRecords(new InMemoryKeyValueStore());
  const signal = new AbortController().signal;
  const first = await packager.scan(root, signal);
  await records.set(ACCOUNT, root, { fingerprint: first.fingerprint, projectId: 'proj_bench', uploadedAt: new Date().toISOString(), bytes: first.totalBytes });

  /** One decision; also the longest the event loop went without a turn meanwhile (the extension host's freeze). */
  const decide = async (fresh: boolean): Promise<{ ms: number; gapMs: number }> => {
    if (fresh) {
      // After a start: no kept listings, and no scan worker yet (its start-up is part of the first decision).
      await packager.dispose();
      forgetListings();
      packager = newPackager();
    }
    let gapMs = 0;
    let lastTick = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      gapMs = Math.max(gapMs, now - lastTick);
      lastTick = now;
    }, 1);
    const started = performance.now();
    const scan = await packager.scan(root, signal);
    const unchanged = records.get(ACCOUNT, root)?.fingerprint === scan.fingerprint;
    const ms = performance.now() - started;
    clearInterval(ticker);
    gapMs = Math.max(gapMs, performance.now() - lastTick);
    if (!unchanged) throw new Error('unchanged: the scan of an untouched tree did not match the recorded fingerprint');
    return { ms, gapMs };
  };

  ctx.log(`unchanged: ${ctx.repetitions} rounds of zip / scan (same session) / scan (first after start)`);
  const results = await alternate(ctx.repetitions, {
    zip: async () => ({ ms: (await measureChild(process.execPath, [...(await childArgs('zipWorkspace')), root, zipFile], { cwd: path.join(__dirname, '../..') })).ms, gapMs: 0 }),
    warm: () => decide(false),
    cold: () => decide(true),
  });
  await rm(zipDir, { recursive: true, force: true });
  await packager.dispose();
  const zip = summarize(results.zip.map((r) => r.ms));
  const warm = summarize(results.warm.map((r) => r.ms));
  const cold = summarize(results.cold.map((r) => r.ms));
  const gap = (list: { gapMs: number }[]) => formatMs(Math.max(...list.map((r) => r.gapMs)));
  const share = (s: Summary) => `${((s.median / zip.median) * 100).toFixed(1)} %`;
  const row = (name: string, s: Summary, extra: string[]) => [name, formatMs(s.median), formatSpread(s), share(s), ...extra];
  const checks: Check[] = [
    {
      name: 'unchanged workspace (50,000 files): decided in ≤ 5 % of the time the zip of the same tree takes',
      measured: `${share(warm)} (${formatMs(warm.median)} vs ${formatMs(zip.median)})`,
      target: '≤ 5 %',
      pass: warm.median <= zip.median * 0.05,
    },
  ];
  return {
    title: `Unchanged workspace (${first.fileCount.toLocaleString('en')} files selected, ${formatBytes(first.totalBytes)})`,
    description: `Scan + compare with the upload record, in-process, vs the zip child on the same tree (${tree.filesWritten.toLocaleString('en')} files written, a few nested .gitignore/.simcloudignore); median of ${ctx.repetitions}, alternating.`,
    columns: ['subject', 'median', 'spread', 'share of zip', 'longest event-loop gap'],
    rows: [
      row('zip child (createZip, dist/zipWorker.js)', zip, ['—']),
      row('decision, same session (listings reused)', warm, [gap(results.warm)]),
      row('decision, first after start (every folder listed)', cold, [gap(results.cold)]),
    ],
    checks,
    notes: [
      'The scan runs in the scan worker (dist/scanWorker.js), as in the extension; the event-loop gap is the extension host thread\'s, which only receives the result.',
      'The check uses the same-session figure: Submit Workspace Job makes the decision again after an upload in the same window, whose walk left its folder listings in memory (reused only for folders whose stamps and ignore files are unchanged; every file is still lstat\'ed). After a restart the first decision lists every folder (third row).',
    ],
  };
};
