// The bench's mixed workspace (issue 7): about 1 GiB of what a simulation project holds. Source and text files of
// 2–20 KB in nested folders (code-like lines, so deflate gets the 3–5× it gets on real source), large incompressible
// assets with the suffixes Sim Cloud stores (.uasset, .png, .mp4), and a few large compressible data files (.obj, .csv)
// that are deflated. Everything comes from a seeded PRNG: one seed, one tree, byte for byte.
import { closeSync, mkdirSync, openSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { ByteStream, intBetween, mulberry32 } from './prng';

export const DEFAULT_SEED = 0x51c10d;
const MiB = 1024 * 1024;

export interface WorkspaceOptions {
  readonly seed?: number;
  /** 1 ≈ 1 GiB. 2 = twice the source files and twice each large file's size (the zip case's memory-growth check). */
  readonly scale?: number;
  /** About 1/16 of the size, for trying the bench itself. */
  readonly quick?: boolean;
  /** How many source/text files (default 20,000 × scale, or 1,250 when quick); the unchanged case asks for 50,000. */
  readonly textFiles?: number;
  /** The large binaries and compressible data files (default true). */
  readonly largeFiles?: boolean;
  /** Every file's mtime (default 2026-01-01T00:00:00Z), so archives are reproducible to the byte. */
  readonly mtime?: Date;
}

export interface GeneratedFile {
  readonly relPath: string;
  readonly size: number;
  readonly kind: 'text' | 'asset' | 'data';
}

export interface GeneratedWorkspace {
  readonly root: string;
  readonly files: readonly GeneratedFile[];
  readonly totalBytes: number;
  readonly textFiles: number;
  readonly textBytes: number;
  /** Incompressible assets (stored by Sim Cloud and by `zip -n`). */
  readonly assetBytes: number;
  /** Large compressible data files (.obj, .csv). */
  readonly dataBytes: number;
  readonly generationMs: number;
}

/** Writes the workspace into `root` (created; must not hold anything else) and describes what it wrote. */
export function generateWorkspace(root: string, options: WorkspaceOptions = {}): GeneratedWorkspace {
  const started = performance.now();
  const seed = options.seed ?? DEFAULT_SEED;
  const scale = options.scale ?? 1;
  const shrink = options.quick ? 16 : 1;
  const textCount = options.textFiles ?? Math.round((20_000 * scale) / shrink);
  const mtime = options.mtime ?? new Date('2026-01-01T00:00:00Z');
  mkdirSync(root, { recursive: true });
  const files: GeneratedFile[] = [];
  const write = (relPath: string, kind: GeneratedFile['kind'], writer: (absPath: string) => number) => {
    const absPath = path.join(root, ...relPath.split('/'));
    mkdirSync(path.dirname(absPath), { recursive: true });
    const size = writer(absPath);
    utimesSync(absPath, mtime, mtime);
    files.push({ relPath, size, kind });
  };

  const random = mulberry32(seed);
  const folders = nestedFolders(random, Math.max(1, Math.ceil(textCount / 40)));
  const text = new CodeText(mulberry32(seed ^ 0x7e47));
  for (let i = 0; i < textCount; i += 1) {
    const folder = folders[intBetween(random, 0, folders.length - 1)];
    const ext = TEXT_EXTENSIONS[intBetween(random, 0, TEXT_EXTENSIONS.length - 1)];
    const relPath = `${folder}/${WORDS[intBetween(random, 0, WORDS.length - 1)]}_${i}.${ext}`;
    const size = intBetween(random, 2 * 1024, 20 * 1024);
    write(relPath, 'text', (absPath) => {
      const data = text.file(size);
      writeFileSync(absPath, data);
      return data.length;
    });
  }

  if (options.largeFiles ?? true) {
    // 12 assets totalling ≈ 650 MiB (× scale), sizes spread unevenly as in a real project.
    const assetNames = ['Content/Maps/Warehouse.uasset', 'Content/Maps/Warehouse_BuiltData.uasset', 'Content/Meshes/Forklift.uasset', 'Content/Meshes/Shelving.uasset', 'Content/Materials/Concrete.uasset', 'Content/Characters/Operator.uasset', 'Content/Textures/floor_albedo.png', 'Content/Textures/floor_normal.png', 'Content/Textures/hdri_sky.png', 'Content/Movies/intro.mp4', 'Content/Movies/calibration_run.mp4', 'Content/Movies/robot_pov.mp4'];
    const assetWeights = assetNames.map(() => 0.3 + random());
    const weightSum = assetWeights.reduce((a, b) => a + b, 0);
    assetNames.forEach((relPath, i) => {
      const size = roundTo4K(((650 * MiB * scale) / shrink) * (assetWeights[i] / weightSum));
      write(relPath, 'asset', (absPath) => writeRandomBytes(absPath, size, seed + 1000 + i));
    });
    // ≈ 150 MiB (× scale) of compressible data: meshes as .obj text, sensor logs as .csv.
    const data: [string, number, () => (r: () => number) => string][] = [
      ['Content/Meshes/source/warehouse_scan.obj', 55, () => objLine],
      ['Content/Meshes/source/forklift_highpoly.obj', 35, () => objLine],
      ['data/sensors/lidar_run_01.csv', 35, csvLines],
      ['data/sensors/imu_run_01.csv', 25, csvLines],
    ];
    data.forEach(([relPath, mib, lines], i) => {
      write(relPath, 'data', (absPath) => writeLines(absPath, Math.round((mib * MiB * scale) / shrink), mulberry32(seed + 2000 + i), lines()));
    });
  }

  const sum = (kind: GeneratedFile['kind']) => files.filter((f) => f.kind === kind).reduce((total, f) => total + f.size, 0);
  const textBytes = sum('text');
  const assetBytes = sum('asset');
  const dataBytes = sum('data');
  return { root, files, totalBytes: textBytes + assetBytes + dataBytes, textFiles: textCount, textBytes, assetBytes, dataBytes, generationMs: performance.now() - started };
}

const TEXT_EXTENSIONS = ['py', 'py', 'py', 'ts', 'cpp', 'h', 'json', 'md', 'yaml', 'txt', 'cfg', 'usda'];
const TOP_FOLDERS = ['src', 'src', 'lib', 'tests', 'tools', 'docs', 'Config', 'Scripts', 'Source/Runtime'];

// Identifiers and keywords the generated lines are made of: a small vocabulary repeated, as in real code.
const WORDS = (
  'actor agent angle apply array asset batch bound buffer cache camera cell chunk clamp collide config count cursor ' +
  'delta depth dirty drive edge emit entity event factor field filter frame friction gain grid handle hash index ' +
  'input joint kernel label layer length level light limit load local mass matrix mesh model motor node normal ' +
  'offset orient output parse path pixel plane point policy pose queue radius range rate ratio reader record ' +
  'reward robot rotate sample scale scene score sensor shape sigma solver source speed state step stream target ' +
  'tensor texture thread torque trace track transform value vector velocity vertex weight width world writer'
).split(' ');
const KEYWORDS = ['def', 'return', 'if', 'for', 'while', 'import', 'from', 'class', 'self', 'None', 'True', 'False', 'const', 'let', 'float', 'int', 'void', 'struct'];

/** Folder paths nested 1–5 deep: each new folder goes under a random earlier one (or a top folder). */
function nestedFolders(random: () => number, count: number): string[] {
  const folders: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const underExisting = folders.length > 0 && random() < 0.7;
    const parent = underExisting ? folders[intBetween(random, 0, folders.length - 1)] : TOP_FOLDERS[intBetween(random, 0, TOP_FOLDERS.length - 1)];
    const candidate = `${parent}/${WORDS[intBetween(random, 0, WORDS.length - 1)]}${i}`;
    folders.push(candidate.split('/').length > 6 ? `${TOP_FOLDERS[0]}/${WORDS[i % WORDS.length]}${i}` : candidate);
  }
  return folders;
}

/**
 * Code-like text: indented statements, calls, comments and literals. Each file draws on its own dozen identifiers and
 * a few numbers, and now and then repeats an earlier line, as real source does; that local repetition is what gives
 * deflate -1 its usual 3–5× on source (a fresh random word per token would give barely 2×).
 */
class CodeText {
  private idents: string[] = [];
  private numbers: string[] = [];

  constructor(private readonly random: () => number) {}

  file(size: number): Buffer {
    this.idents = Array.from({ length: 8 + Math.floor(this.random() * 10) }, () => this.freshIdent());
    this.numbers = Array.from({ length: 6 }, () => (this.random() < 0.7 ? String(Math.floor(this.random() * 64)) : (this.random() * 10).toFixed(2)));
    const lines: string[] = [];
    let length = 0;
    while (length < size) {
      const line = lines.length > 8 && this.random() < 0.15 ? lines[lines.length - 1 - Math.floor(this.random() * 8)] : this.line();
      lines.push(line);
      length += line.length + 1;
    }
    return Buffer.from(lines.join('\n') + '\n', 'latin1').subarray(0, size);
  }

  private word(): string {
    return WORDS[Math.floor(this.random() * WORDS.length)];
  }

  private freshIdent(): string {
    const r = this.random();
    return r < 0.4 ? this.word() : r < 0.75 ? `${this.word()}_${this.word()}` : `${this.word()}${capitalize(this.word())}`;
  }

  private ident(): string {
    return this.idents[Math.floor(this.random() * this.idents.length)];
  }

  private number(): string {
    return this.numbers[Math.floor(this.random() * this.numbers.length)];
  }

  private line(): string {
    const indent = '    '.repeat(Math.floor(this.random() * 4));
    const r = this.random();
    if (r < 0.1) return '';
    if (r < 0.2) return `${indent}# ${this.word()} the ${this.ident()} of the ${this.word()} ${this.ident()}`;
    if (r < 0.28) return `${indent}def ${this.ident()}(self, ${this.ident()}, ${this.ident()}=${this.number()}):`;
    if (r < 0.38) return `${indent}return self.${this.ident()}.${this.ident()}(${this.ident()})`;
    if (r < 0.48) return `${indent}if ${this.ident()} > ${this.number()} and not self.${this.ident()}:`;
    if (r < 0.56) return `${indent}for ${this.ident()} in range(${this.number()}):`;
    if (r < 0.62) return `${indent}${KEYWORDS[Math.floor(this.random() * KEYWORDS.length)]} ${this.ident()}`;
    if (r < 0.8) return `${indent}self.${this.ident()} = ${this.ident()}(${this.ident()}, ${this.number()})`;
    return `${indent}${this.ident()} = self.${this.ident()}[${this.number()}] * ${this.ident()} + ${this.number()}`;
  }
}

const capitalize = (word: string) => word[0].toUpperCase() + word.slice(1);
const roundTo4K = (bytes: number) => Math.max(4096, Math.round(bytes / 4096) * 4096);

/** Streams `size` PRNG bytes to a file through one reused 4 MiB buffer. */
function writeRandomBytes(absPath: string, size: number, seed: number): number {
  const stream = new ByteStream(seed);
  const buffer = Buffer.alloc(4 * MiB);
  const fd = openSync(absPath, 'w');
  try {
    for (let written = 0; written < size; ) {
      const n = Math.min(buffer.length, size - written);
      stream.fill(buffer);
      writeSync(fd, buffer, 0, n);
      written += n;
    }
  } finally {
    closeSync(fd);
  }
  return size;
}

/** Streams generated lines to a file in ≈ 1 MiB pieces until it holds `size` bytes (the last line is cut). */
function writeLines(absPath: string, size: number, random: () => number, line: (random: () => number) => string): number {
  const fd = openSync(absPath, 'w');
  try {
    let written = 0;
    while (written < size) {
      const lines: string[] = [];
      let length = 0;
      while (length < MiB) {
        const next = line(random);
        lines.push(next);
        length += next.length + 1;
      }
      const chunk = Buffer.from(lines.join('\n') + '\n', 'latin1');
      const n = Math.min(chunk.length, size - written);
      writeSync(fd, chunk, 0, n);
      written += n;
    }
    return written;
  } finally {
    closeSync(fd);
  }
}

const coordinate = (random: () => number) => ((random() - 0.5) * 20).toFixed(6);
const objLine = (random: () => number) => (random() < 0.75 ? `v ${coordinate(random)} ${coordinate(random)} ${coordinate(random)}` : `f ${intBetween(random, 1, 99999)} ${intBetween(random, 1, 99999)} ${intBetween(random, 1, 99999)}`);
/** A sensor log: a row counter (per file) and readings. */
const csvLines = () => {
  let row = 0;
  return (random: () => number) => `${(row += 1)},${(random() * 100).toFixed(3)},${(random() * 2 - 1).toFixed(5)},${(random() * 2 - 1).toFixed(5)},${intBetween(random, 0, 255)}`;
};
