import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { linesToTrim, resumeOffset } from './followWindow';

const META = 'meta.json';

interface Meta {
  readonly version: 1;
  /** Which `log-<generation>.txt` holds the lines: a trim writes the next generation, then switches the meta to it. */
  readonly generation: number;
  /** Offset of the first line in the file: lines before it were trimmed or never fetched. */
  readonly base: number;
  readonly complete: boolean;
}

/**
 * A followed log on disk: one text file of cleaned lines, one per provider line, and a small meta file. The file is the
 * truth for how far the log was read: the next offset is `base` plus the complete lines in it, so a crash between
 * writing lines and anything else can neither repeat nor lose a line (a torn last line is cut off when the file is
 * opened, and fetched again). `base` changes only when the oldest lines are trimmed, and a trim never edits the file it
 * reads: it writes the next generation's file whole, then renames a new meta over the old one, so the meta always
 * names a file that matches its base.
 */
export class LogFile {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly dir: string,
    private meta: Meta,
    private readonly kept: string[],
  ) {}

  /** The followed log in `dir`, or undefined when nothing was ever written there (or what is there is unreadable). */
  static async open(dir: string): Promise<LogFile | undefined> {
    let meta: Meta;
    try {
      meta = parseMeta(JSON.parse(await fs.readFile(path.join(dir, META), 'utf8')));
    } catch {
      return undefined;
    }
    const file = logPath(dir, meta.generation);
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    const end = text.lastIndexOf('\n') + 1;
    // A crash mid-append leaves a line without its newline: drop it, the follower fetches it again.
    if (end < text.length) await fs.truncate(file, Buffer.byteLength(text.slice(0, end)));
    const kept = end === 0 ? [] : text.slice(0, end - 1).split('\n');
    await removeOtherGenerations(dir, meta.generation);
    return new LogFile(dir, meta, kept);
  }

  /** Starts a followed log at `base` (its first line's offset), replacing whatever was in `dir`. */
  static async create(dir: string, base: number): Promise<LogFile> {
    await fs.mkdir(dir, { recursive: true });
    const current = await LogFile.open(dir);
    const generation = (current?.meta.generation ?? 0) + 1;
    await fs.writeFile(logPath(dir, generation), '');
    const file = new LogFile(dir, { version: 1, generation, base: Math.max(0, Math.floor(base)), complete: false }, []);
    await file.writeMeta();
    await removeOtherGenerations(dir, generation);
    return file;
  }

  static async remove(dir: string): Promise<void> {
    await fs.rm(dir, { recursive: true, force: true });
  }

  /** Offset of the first kept line: how many lines of the log come before what the file holds. */
  get base(): number {
    return this.meta.base;
  }

  /** The next offset to read. */
  get offset(): number {
    return resumeOffset(this.meta.base, this.kept.length);
  }

  get lines(): readonly string[] {
    return this.kept;
  }

  get complete(): boolean {
    return this.meta.complete;
  }

  /** Appends already-cleaned lines (one line each), then trims the oldest past `maxLines`. */
  append(lines: readonly string[], maxLines: number): Promise<void> {
    return this.serially(async () => {
      if (lines.length === 0) return;
      await fs.appendFile(logPath(this.dir, this.meta.generation), lines.map((line) => `${line}\n`).join(''));
      this.kept.push(...lines);
      const drop = linesToTrim(this.kept.length, maxLines);
      if (drop > 0) await this.trim(drop);
    });
  }

  markComplete(): Promise<void> {
    return this.serially(async () => {
      if (this.meta.complete) return;
      this.meta = { ...this.meta, complete: true };
      await this.writeMeta();
    });
  }

  private async trim(drop: number): Promise<void> {
    const kept = this.kept.slice(drop);
    const generation = this.meta.generation + 1;
    await fs.writeFile(logPath(this.dir, generation), kept.map((line) => `${line}\n`).join(''));
    const previous = this.meta.generation;
    this.meta = { ...this.meta, generation, base: this.meta.base + drop };
    await this.writeMeta();
    this.kept.splice(0, drop);
    await fs.rm(logPath(this.dir, previous), { force: true });
  }

  private async writeMeta(): Promise<void> {
    const target = path.join(this.dir, META);
    const temporary = `${target}.${process.pid}.tmp`;
    await fs.writeFile(temporary, JSON.stringify(this.meta));
    await fs.rename(temporary, target);
  }

  private serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function logPath(dir: string, generation: number): string {
  return path.join(dir, `log-${generation}.txt`);
}

function parseMeta(value: unknown): Meta {
  const meta = value as Partial<Meta> | null;
  if (!meta || meta.version !== 1 || !Number.isSafeInteger(meta.generation) || !Number.isSafeInteger(meta.base) || (meta.base ?? -1) < 0) {
    throw new TypeError('not a followed-log meta file');
  }
  return { version: 1, generation: meta.generation as number, base: meta.base as number, complete: meta.complete === true };
}

/** Files of a trim that crashed before its meta switched (or after, before the old file went). */
async function removeOtherGenerations(dir: string, generation: number): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  await Promise.all(names.filter((name) => /^log-\d+\.txt$/.test(name) && name !== `log-${generation}.txt`).map((name) => fs.rm(path.join(dir, name), { force: true })));
}
