import type { Readable } from 'node:stream';
import type { HttpClient } from '../../../core/http/HttpClient';
import { BodyTooLargeError, readAll } from '../../../core/http/responseBody';
import type { CyberneticEurekaArtifacts } from '../../../providers/cybernetic/CyberneticApi';

/** A reward function bigger than this is not a reward function: refuse rather than fill an editor with it. */
export const MAX_REWARD_SOURCE_BYTES = 2 * 1024 * 1024;

/** The reward file is over the limit; the host words it for the user (this module stays free of `vscode`). */
export class RewardSourceTooLargeError extends Error {
  override readonly name = 'RewardSourceTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`reward function over ${maxBytes} bytes`);
  }
}

export interface RewardFunctionSource {
  readonly filename: string;
  readonly source: string;
}

/**
 * The discovered reward function's Python source from the run's artifacts: inline (`rewardFunction` as text or
 * `{source}`), else fetched from its presigned URL without our credential. Free of `vscode`.
 */
export async function rewardFunctionSource(artifacts: CyberneticEurekaArtifacts, storage: HttpClient, signal: AbortSignal): Promise<RewardFunctionSource | undefined> {
  const reward = artifacts.rewardFunction;
  const filename = safeFilename(typeof reward === 'object' && reward ? reward.filename : undefined);
  if (typeof reward === 'string') return { filename, source: reward };
  if (reward?.source) return { filename, source: reward.source };
  const url = (typeof reward === 'object' && reward?.url) || artifacts.rewardFunctionUrl;
  if (!url) return undefined;
  const response = await storage.request({ url, response: 'stream', authenticate: false, signal });
  return { filename, source: await readText(response.body, MAX_REWARD_SOURCE_BYTES) };
}

/** The file name for the editor tab: the server's base name when it is a plain `.py` name, else `reward.py`. */
export function safeFilename(name: string | null | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  return /^[A-Za-z0-9_.-]{1,100}\.py$/.test(base) && !base.startsWith('.') ? base : 'reward.py';
}

async function readText(body: Readable, maxBytes: number): Promise<string> {
  try {
    return (await readAll(body, maxBytes)).toString('utf8');
  } catch (error) {
    throw error instanceof BodyTooLargeError ? new RewardSourceTooLargeError(maxBytes) : error;
  }
}
