import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes `files` (posix relPath → content) under `root`, creating folders. */
export async function writeTree(root: string, files: Record<string, string | Buffer>): Promise<void> {
  for (const [relPath, content] of Object.entries(files)) {
    const abs = path.join(root, ...relPath.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
}
