// zip: Sim Cloud's archive stage (select + zip, bench/children/zipWorkspace.ts) against Info-ZIP on the generated
// ≈ 1 GiB mixed workspace: `zip -r -1` (deflates everything) and `zip -r -1 -n <our stored suffixes>` (stores what
// Sim Cloud stores). All three run as child processes under GNU time, taking turns, after one untimed warm-up each
// so every subject reads the tree from the page cache. Then Sim Cloud zips a tree twice the size, for memory growth.
import { mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_STORED_EXTENSIONS } from '../../src/core/archive/archiveDefaults';
import { dropSharedWorkspace, keepArchive, sharedWorkspace } from '../generate/sharedInputs';
import { runZipChild, type ZipChildResult } from '../generate/zipChild';
import { measureChild, type ChildRun } from '../measureChild';
import { alternate, formatBytes, formatMs, formatRate, formatSpread, summarize } from '../stats';
import type { BenchCase, Check } from '../types';

type Subject = 'simcloud' | 'zip' | 'zipStored';
interface Sample {
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly archiveBytes: number;
  readonly md5Base64?: string;
  readonly entries?: number;
}

export const ZIP_STORED_SUFFIXES = DEFAULT_STORED_EXTENSIONS.map((ext) => `.${ext}`).join(':');
const LABELS: Record<Subject, string> = { simcloud: 'Sim Cloud', zip: '`zip -r -1`', zipStored: '`zip -r -1 -n <stored>`' };
const MB = 1_000_000;
const formatMB = (bytes: number) => `${(bytes / MB).toFixed(0)} MB`;
const ratio = (value: number) => `${value.toFixed(2)}×`;

export const run: BenchCase = async (ctx) => {
  const workspace = sharedWorkspace(ctx, 1);
  const outDir = path.join(ctx.workDir, 'zip-out');
  const outFile = (subject: Subject) => path.join(outDir, `${subject}.zip`);
  rmSync(outDir, { recursive: true, force: true });

  const infoZip = async (subject: Subject, args: string[]): Promise<Sample> => {
    const out = outFile(subject);
    rmSync(out, { force: true }); // zip would update an existing archive instead of writing a new one
    const run: ChildRun = await measureChild('zip', [...args, out, '.'], { cwd: workspace.root });
    const archiveBytes = statSync(out).size;
    rmSync(out, { force: true });
    return { ms: run.ms, peakRssBytes: run.peakRssBytes, archiveBytes };
  };
  let lastSimCloud: ZipChildResult | undefined;
  const simCloud = async (root: string): Promise<Sample> => {
    const out = outFile('simcloud');
    rmSync(out, { force: true });
    const run = await runZipChild(root, out);
    const archiveBytes = statSync(out).size;
    if (archiveBytes !== run.result.bytes) throw new Error(`Sim Cloud reported a ${run.result.bytes}-byte archive but wrote ${archiveBytes} bytes`);
    lastSimCloud = run.result;
    return { ms: run.ms, peakRssBytes: run.peakRssBytes, archiveBytes, md5Base64: run.result.md5Base64, entries: run.result.entries };
  };
  const subjects: Record<Subject, () => Promise<Sample>> = {
    simcloud: () => simCloud(workspace.root),
    zip: () => infoZip('zip', ['-r', '-1', '-q']),
    zipStored: () => infoZip('zipStored', ['-r', '-1', '-q', '-n', ZIP_STORED_SUFFIXES]),
  };
  mkdirSync(outDir, { recursive: true });

  ctx.log('zip: one untimed warm-up of each subject');
  for (const subject of Object.keys(subjects) as Subject[]) await subjects[subject]();
  ctx.log(`zip: ${ctx.repetitions} timed repetitions, alternating`);
  const samples = await alternate(ctx.repetitions, subjects);
  // The upload case sends the last archive Sim Cloud wrote of the 1× tree (each subject has its own output file).
  keepArchive(ctx, outFile('simcloud'), { bytes: lastSimCloud!.bytes, md5Base64: lastSimCloud!.md5Base64, input: workspace });

  const time = (subject: Subject) => summarize(samples[subject].map((s) => s.ms));
  const peak = (list: readonly Sample[]) => Math.max(...list.map((s) => s.peakRssBytes));
  const median = (subject: Subject) => time(subject).median;
  const vsZip = median('zip') / median('simcloud');
  const vsZipStored = median('zipStored') / median('simcloud');

  // Memory growth: Sim Cloud on a tree twice the size (twice the files, each large file twice as big).
  const double = sharedWorkspace(ctx, 2);
  ctx.log('zip: Sim Cloud on the 2× tree, twice');
  const doubleSamples = [await simCloud(double.root), await simCloud(double.root)];
  rmSync(outFile('simcloud'), { force: true });
  dropSharedWorkspace(double);

  const rssSingle = peak(samples.simcloud);
  const rssDouble = peak(doubleSamples);
  const doubleTime = summarize(doubleSamples.map((s) => s.ms));

  const row = (subject: Subject): string[] => {
    const t = time(subject);
    const list = samples[subject];
    return [
      LABELS[subject],
      formatMs(t.median),
      formatSpread(t),
      formatRate(workspace.totalBytes, t.median),
      subject === 'zip' ? '1.00×' : ratio(median('zip') / t.median),
      subject === 'zipStored' ? '1.00×' : ratio(median('zipStored') / t.median),
      formatBytes(list[list.length - 1].archiveBytes),
      formatMB(peak(list)),
    ];
  };
  const checks: Check[] = [
    { name: 'zip: throughput ≥ 3× `zip -r -1`', measured: ratio(vsZip), target: '≥ 3.00×', pass: vsZip >= 3 },
    { name: 'zip: throughput ≥ 1.0× `zip -r -1 -n <stored suffixes>`', measured: ratio(vsZipStored), target: '≥ 1.00×', pass: vsZipStored >= 1 },
    { name: 'zip: peak RSS ≤ 200 MB', measured: formatMB(rssSingle), target: '≤ 200 MB', pass: rssSingle <= 200 * MB },
    { name: 'zip: peak RSS on a 2× tree ≤ 1.10 × the 1× tree', measured: `${formatMB(rssDouble)} vs ${formatMB(rssSingle)} (${ratio(rssDouble / rssSingle)})`, target: '≤ 1.10×', pass: rssDouble <= 1.1 * rssSingle },
  ];
  const entries = samples.simcloud[0]?.entries;
  return {
    title: `Zip (${formatBytes(workspace.totalBytes)}, ${workspace.files.length.toLocaleString('en-US')} files)`,
    description:
      `The generated mixed workspace: ${workspace.textFiles.toLocaleString('en-US')} source/text files of 2–20 KB in nested folders (${formatBytes(workspace.textBytes)}), ` +
      `12 incompressible assets (.uasset/.png/.mp4, ${formatBytes(workspace.assetBytes)}), 4 compressible .obj/.csv files (${formatBytes(workspace.dataBytes)}). ` +
      `Sim Cloud (select + zip, \`bench/children/zipWorkspace.ts\`, ${entries ?? '?'} entries) vs Info-ZIP \`zip -r -1 -q\` and \`zip -r -1 -q -n <Sim Cloud's ${DEFAULT_STORED_EXTENSIONS.length} stored suffixes>\`, ` +
      `each a child process under GNU time (wall time including process start-up; peak RSS). One untimed warm-up of each subject first, so all read the tree from the page cache; ` +
      `then ${ctx.repetitions} repetitions taking turns; median and spread (± half the range over the median). Throughput = input bytes / median time.`,
    columns: ['subject', 'median time', 'spread', 'throughput', 'vs `zip -r -1`', 'vs `zip -n`', 'archive', 'peak RSS'],
    rows: [
      row('simcloud'),
      row('zip'),
      row('zipStored'),
      ['Sim Cloud, 2× tree', formatMs(doubleTime.median), formatSpread(doubleTime), formatRate(double.totalBytes, doubleTime.median), '', '', formatBytes(doubleSamples[1].archiveBytes), formatMB(rssDouble)],
    ],
    checks,
    notes: [`2× tree: ${double.files.length.toLocaleString('en-US')} files, ${formatBytes(double.totalBytes)}; two Sim Cloud runs, the larger peak RSS compared with the larger of the 1× runs.`],
  };
};
