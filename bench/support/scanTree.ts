// The unchanged-workspace case's input: a deterministic tree of small text files in nested folders, a few ignore
// files (nested, with a negation) and a few big incompressible assets. Same seed → same names, sizes and bytes.
// The text bytes are slices of one seeded buffer, so 50,000 files cost one PRNG pass, not 50,000.
import { mulberry32 } from '../generate/prng';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface ScanTreeShape {
  /** Source/text files of 2–20 KB (the ignored ones included). */
  readonly textFiles: number;
  /** Incompressible `.uasset`/`.png` files of `assetBytes` each. */
  readonly assets: number;
  readonly assetBytes: number;
}

export interface GeneratedTree {
  readonly root: string;
  /** Every file written, ignore files and ignored files included. */
  readonly filesWritten: number;
  readonly bytesWritten: number;
}

const FILES_PER_FOLDER = 40;
const TEXT_EXTENSIONS = ['py', 'ts', 'json', 'cfg', 'txt', 'md', 'cpp', 'h'];


export async function generateScanTree(root: string, shape: ScanTreeShape, seed = 7): Promise<GeneratedTree> {
  const random = mulberry32(seed);
  const words = ['def', 'return', 'self', 'value', 'import', 'for', 'in', 'range', 'if', 'else', 'class', 'config', 'frame', 'camera', 'scene', 'mesh'];
  const pool = Buffer.from(Array.from({ length: 64 * 1024 }, () => words[Math.floor(random() * words.length)]).join(' ') + '\n');
  let filesWritten = 0;
  let bytesWritten = 0;
  const write = async (relPath: string, content: Buffer | string) => {
    const abs = path.join(root, ...relPath.split('/'));
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
    filesWritten += 1;
    bytesWritten += Buffer.byteLength(content);
  };

  // Ignore files: the root's, one per top-level package, and a .simcloudignore that re-includes one git-ignored folder.
  await write('.gitignore', '# generated\n*.log\nbuild/\n/tmp/\n__pycache__/\n');
  await write('.simcloudignore', '!pkg3/build/\n');
  const folders: string[] = [];
  const folderCount = Math.ceil(shape.textFiles / FILES_PER_FOLDER);
  for (let i = 0; i < folderCount; i += 1) {
    // pkg<a>/mod<b>/part<c>: three levels, ~10 packages, folders of FILES_PER_FOLDER files.
    const a = i % 10;
    const b = Math.floor(i / 10) % 25;
    const c = Math.floor(i / 250);
    folders.push(`pkg${a}/mod${b}/part${c}`);
  }
  for (let a = 0; a < 10; a += 1) await write(`pkg${a}/.gitignore`, `*.tmp\n!keep.tmp\nmod${a}/part0/generated/\n`);

  for (let i = 0; i < shape.textFiles; i += 1) {
    const folder = folders[Math.floor(i / FILES_PER_FOLDER)];
    const n = i % FILES_PER_FOLDER;
    // About 5 % ignored: build output, logs, caches, temp files.
    const roll = random();
    const name =
      roll < 0.01 ? `build/out${n}.o` : roll < 0.02 ? `run${n}.log` : roll < 0.03 ? `__pycache__/m${n}.pyc` : roll < 0.04 ? `scratch${n}.tmp` : roll < 0.05 ? `generated/g${n}.py` : `file${n}.${TEXT_EXTENSIONS[n % TEXT_EXTENSIONS.length]}`;
    const size = 2048 + Math.floor(random() * 18 * 1024);
    const start = Math.floor(random() * (pool.length - size));
    await write(`${folder}/${name}`, pool.subarray(start, start + size));
  }
  for (let i = 0; i < shape.assets; i += 1) {
    const bytes = Buffer.allocUnsafe(shape.assetBytes);
    for (let offset = 0; offset + 4 <= bytes.length; offset += 4) bytes.writeUInt32LE((random() * 4294967296) >>> 0, offset);
    await write(`Content/asset${i}.${i % 2 ? 'png' : 'uasset'}`, bytes);
  }
  return { root, filesWritten, bytesWritten };
}
