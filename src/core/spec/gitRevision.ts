import { execFile } from 'node:child_process';
import * as path from 'node:path';

/** The commit a spec file was submitted at, and whether the file differed from it. */
export interface GitRevision {
  /** 40 hex digits. */
  readonly commit: string;
  /** The spec file has uncommitted changes (or is not committed at all). */
  readonly dirty: boolean;
}

/**
 * `git rev-parse HEAD` and `git status` of the spec file's repository. Undefined when git is missing, the file is not
 * in a repository, or git does not answer in time: recording where a job came from must never stop a submission.
 */
export async function gitRevision(file: string, timeoutMs = 5_000): Promise<GitRevision | undefined> {
  const cwd = path.dirname(file);
  const head = await git(['rev-parse', '--verify', 'HEAD'], cwd, timeoutMs);
  const commit = head?.trim();
  if (!commit || !/^[0-9a-f]{40}$/.test(commit)) return undefined;
  // Untracked or modified shows a line; a clean committed file shows none. `--` keeps a file name from being an option.
  const status = await git(['status', '--porcelain', '--untracked-files=all', '--', path.basename(file)], cwd, timeoutMs);
  return { commit, dirty: status === undefined || status.trim() !== '' };
}

function git(args: readonly string[], cwd: string, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    // GIT_OPTIONAL_LOCKS=0: reading status must not take the index lock a user's own git command may need meanwhile.
    execFile('git', [...args], { cwd, timeout: timeoutMs, windowsHide: true, env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' } }, (error, stdout) =>
      resolve(error ? undefined : stdout),
    );
  });
}
