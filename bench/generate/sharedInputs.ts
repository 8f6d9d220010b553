// Inputs that several cases of one run share, made once per run inside the runner's work folder: the generated
// workspaces (by size) and the archive Sim Cloud made of the 1× workspace (the zip case leaves it; the upload case
// uploads it, and makes it itself when run alone with --only upload).
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { BenchContext } from '../types';
import { generateWorkspace, type GeneratedWorkspace, type WorkspaceOptions } from './workspace';
import { runZipChild } from './zipChild';

const workspaces = new Map<string, GeneratedWorkspace>();

/** The mixed workspace at `scale` (1 ≈ 1 GiB, or ≈ 1/16 of it with --quick), generated on first use in this run. */
export function sharedWorkspace(ctx: BenchContext, scale = 1, extra: Omit<WorkspaceOptions, 'scale' | 'quick'> = {}): GeneratedWorkspace {
  const key = `workspace-x${scale}${ctx.quick ? '-quick' : ''}${extra.textFiles ? `-${extra.textFiles}files` : ''}${extra.largeFiles === false ? '-nolarge' : ''}`;
  let workspace = workspaces.get(key);
  if (!workspace) {
    const root = path.join(ctx.workDir, key);
    rmSync(root, { recursive: true, force: true });
    ctx.log(`generating ${key} …`);
    workspace = generateWorkspace(root, { ...extra, scale, quick: ctx.quick });
    ctx.log(`generated ${key}: ${workspace.files.length} files, ${(workspace.totalBytes / 1024 ** 2).toFixed(0)} MiB in ${(workspace.generationMs / 1000).toFixed(1)} s`);
    workspaces.set(key, workspace);
  }
  return workspace;
}

/** Deletes a shared workspace before the run ends (the 2× tree is 2 GiB of disk nobody needs afterwards). */
export function dropSharedWorkspace(workspace: GeneratedWorkspace): void {
  rmSync(workspace.root, { recursive: true, force: true });
  for (const [key, value] of workspaces) if (value === workspace) workspaces.delete(key);
}

export interface SharedArchive {
  readonly path: string;
  readonly bytes: number;
  /** Base64 MD5 of the archive when the zip stage computed it while writing (absent with archiver). */
  readonly md5Base64?: string;
  /** The workspace it was made from. */
  readonly input: GeneratedWorkspace;
}

let archive: SharedArchive | undefined;

/** The zip case hands over the last archive Sim Cloud wrote of the 1× workspace (moved, not copied). */
export function keepArchive(ctx: BenchContext, file: string, made: Omit<SharedArchive, 'path'>): void {
  const dir = path.join(ctx.workDir, 'archive');
  mkdirSync(dir, { recursive: true });
  const target = path.join(dir, 'workspace.zip');
  renameSync(file, target);
  archive = { ...made, path: target };
}

/** Sim Cloud's archive of the 1× workspace: the zip case's, or made now by the same child script. */
export async function sharedArchive(ctx: BenchContext): Promise<SharedArchive> {
  if (archive && existsSync(archive.path)) return archive;
  const input = sharedWorkspace(ctx);
  const out = path.join(ctx.workDir, 'archive-tmp.zip');
  ctx.log('zipping the workspace with Sim Cloud for the upload case …');
  const run = await runZipChild(input.root, out);
  keepArchive(ctx, out, { bytes: run.result.bytes, md5Base64: run.result.md5Base64, input });
  return archive!;
}
