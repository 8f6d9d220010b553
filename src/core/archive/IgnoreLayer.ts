import ignore from 'ignore';

/** Where an exclusion came from: one of the ignore files, the upload-excludes setting, or the stage's own rules. */
export type IgnoreSource = '.gitignore' | '.simcloudignore' | 'setting';

export interface IgnoreMatch {
  readonly source: IgnoreSource;
  /** Workspace-relative posix path of the ignore file (absent for the setting). */
  readonly file?: string;
  /** 1-based line in the ignore file, or 1-based position in the setting's array. */
  readonly line?: number;
  readonly pattern: string;
}

/**
 * The patterns of one ignore file (or of the setting), scoped to the folder it sits in, with gitignore semantics from
 * the `ignore` package. Each pattern carries its line number as the package's `mark`, so an exclusion can say which
 * line of which file caused it (what `git check-ignore -v` says).
 */
export class IgnoreLayer {
  private matcher: ignore.Ignore;

  private constructor(
    readonly source: IgnoreSource,
    /** Posix path of the folder the patterns are relative to; '' for the root. */
    readonly base: string,
    readonly file: string | undefined,
    private readonly patterns: readonly { pattern: string; line: number }[],
    private readonly ignoreCase: boolean,
  ) {
    this.matcher = this.newMatcher();
  }

  /**
   * Drops what the matcher remembers of every path it was asked about (the `ignore` package caches each result, and a
   * layer kept in the listing cache would otherwise hold one entry per path of the workspace below it: ~20 MB on
   * 50,000 files). The walk calls it when it is done; answers do not change, only the memory goes.
   */
  forgetPaths(): void {
    this.matcher = this.newMatcher();
  }

  private newMatcher(): ignore.Ignore {
    return ignore({ ignorecase: this.ignoreCase }).add(this.patterns.map(({ pattern, line }) => ({ pattern, mark: String(line) })));
  }

  /** A `.gitignore`/`.simcloudignore` file's text; CRLF and a leading BOM are tolerated. */
  static fromFile(source: '.gitignore' | '.simcloudignore', file: string, text: string, ignoreCase: boolean): IgnoreLayer {
    const lines = text.replace(/^\uFEFF/, '').split('\n');
    const patterns = lines.map((raw, index) => ({ pattern: raw.endsWith('\r') ? raw.slice(0, -1) : raw, line: index + 1 })).filter(({ pattern }) => isPattern(pattern));
    const base = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    return new IgnoreLayer(source, base, file, patterns, ignoreCase);
  }

  /** The setting's patterns, relative to the root; `line` is the pattern's 1-based position in the array. */
  static fromSetting(patterns: readonly string[], ignoreCase: boolean): IgnoreLayer {
    return new IgnoreLayer('setting', '', undefined, patterns.map((pattern, index) => ({ pattern, line: index + 1 })).filter(({ pattern }) => isPattern(pattern)), ignoreCase);
  }

  /**
   * 'ignored' with the deciding rule when a pattern of this layer excludes `relPath`, 'unignored' when a `!` pattern of
   * this layer re-includes it, undefined when no pattern of this layer speaks about it (the next, less specific layer
   * decides). `relPath` is workspace-relative and inside `base`.
   */
  test(relPath: string, isDirectory: boolean): { verdict: 'ignored'; match: IgnoreMatch } | { verdict: 'unignored' } | undefined {
    const local = this.base === '' ? relPath : relPath.slice(this.base.length + 1);
    let result: ignore.TestResult;
    try {
      result = this.matcher.test(isDirectory ? `${local}/` : local);
    } catch {
      return undefined; // a name the package refuses as a path (it cannot match any pattern either)
    }
    if (result.ignored && result.rule) {
      const line = Number(result.rule.mark);
      return { verdict: 'ignored', match: { source: this.source, file: this.file, line: Number.isFinite(line) ? line : undefined, pattern: result.rule.pattern } };
    }
    return result.unignored ? { verdict: 'unignored' } : undefined;
  }
}

function isPattern(line: string): boolean {
  return line.trim() !== '' && !line.startsWith('#');
}
