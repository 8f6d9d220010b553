import type { HttpClient } from '../../../core/http/HttpClient';
import type { DownloadFile } from '../../../core/transfer/downloadFiles';
import { probeDownloadSize } from '../../../core/transfer/probeDownloadSize';
import { urlFileName } from '../../../core/transfer/urlFileName';
import type { CyberneticEurekaArtifacts } from '../../../providers/cybernetic/CyberneticApi';
import { safeFilename } from './rewardFunctionSource';

/**
 * What Download Results fetches for a Eureka run: every policy checkpoint under `checkpoints/` and the reward
 * function's file, all by their presigned URLs (sizes are unknown up front). Names come from the URL's last path
 * segment or the iteration; `downloadFiles` still sanitises them. Free of `vscode`.
 */
export function eurekaResultFiles(artifacts: CyberneticEurekaArtifacts): DownloadFile[] {
  const files: DownloadFile[] = [];
  const used = new Set<string>();
  const add = (name: string, url: string) => {
    let unique = name;
    for (let n = 2; used.has(unique); n += 1) unique = name.replace(/(\.[^./]+)?$/, (ext) => `-${n}${ext}`);
    used.add(unique);
    files.push({ name: unique, sizeBytes: -1, url });
  };
  for (const [index, checkpoint] of (artifacts.checkpoints ?? []).entries()) {
    const url = typeof checkpoint === 'string' ? checkpoint : checkpoint.url;
    if (!url) continue;
    const fromObject = typeof checkpoint === 'object' ? (checkpoint.name ?? (typeof checkpoint.iteration === 'number' ? `iter_${checkpoint.iteration}.pth` : undefined)) : undefined;
    add(`checkpoints/${baseName(fromObject ?? urlFileName(url) ?? `checkpoint_${index + 1}.pth`)}`, url);
  }
  const reward = artifacts.rewardFunction;
  const rewardUrl = (typeof reward === 'object' && reward?.url) || artifacts.rewardFunctionUrl;
  if (rewardUrl) add(safeFilename(typeof reward === 'object' && reward ? reward.filename : urlFileName(rewardUrl)), rewardUrl);
  return files;
}

function baseName(name: string): string {
  return name.split(/[\\/]/).pop() || 'checkpoint';
}

/**
 * The artifacts give no sizes and `downloadFiles` needs them (to check each body and resume a cut-off one), so each
 * file's size is asked first with a one-byte ranged GET (a presigned GET URL does not allow HEAD: the method is
 * signed). The total comes from Content-Range, or Content-Length when the server ignores the range. A file whose size
 * stays unknown keeps -1 and `downloadFiles` reports it as refused rather than guessing.
 */
export async function withSizes(files: readonly DownloadFile[], http: HttpClient, signal: AbortSignal): Promise<DownloadFile[]> {
  const sized: DownloadFile[] = [];
  for (const file of files) sized.push({ ...file, sizeBytes: (await probeDownloadSize(http, file.url, signal)) ?? -1 });
  return sized;
}
