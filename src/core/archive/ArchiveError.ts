/** Stable codes, so callers can decide (retry, offer "Open Preview Upload", stay silent on a cancel). */
export type ArchiveErrorCode =
  /** The caller's signal aborted the selection or the zip. */
  | 'aborted'
  /** A file's size differed from what the selection saw (it changed while zipping). */
  | 'file-changed'
  /** A file or folder could not be read (permissions, vanished). */
  | 'read-failed'
  /** The archive could not be written (disk full, folder gone). */
  | 'write-failed'
  /** The zip worker could not start, crashed, or sent something unexpected. */
  | 'worker-failed';

export interface ArchiveErrorInit {
  readonly code: ArchiveErrorCode;
  /** First sentence: what happened, naming the file when there is one. */
  readonly whatHappened: string;
  /** Last sentence: what the user should do now. */
  readonly nextStep: string;
  /** The workspace-relative path (posix) of the file involved, when one is. */
  readonly relPath?: string;
  /** The errno code underneath (`ENOSPC`, `EACCES`), when there is one. */
  readonly errno?: string;
  readonly cause?: unknown;
}

/**
 * A failure of the archive stage, worded like `TransferError`: what happened (which file), then what to do next. Its
 * text names workspace paths only, never secrets, so it needs no redactor.
 */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
  readonly code: ArchiveErrorCode;
  readonly relPath?: string;
  readonly errno?: string;

  constructor(init: ArchiveErrorInit) {
    // "Could not read models/a.bin (EACCES). Check its permissions, then try again."
    const what = init.whatHappened.trim().replace(/[.!?]$/, '');
    const errno = init.errno ? ` (${init.errno})` : '';
    super(`${what}${errno}. ${stop(init.nextStep)}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.relPath = init.relPath;
    this.errno = init.errno;
  }

  /** True for any ArchiveError, or only for one with `code`; works across bundle copies (the worker has its own). */
  static is(error: unknown, code?: ArchiveErrorCode): error is ArchiveError {
    const isArchiveError = error instanceof ArchiveError || (error instanceof Error && error.name === 'ArchiveError' && 'code' in error);
    return isArchiveError && (code === undefined || (error as ArchiveError).code === code);
  }

  static aborted(whatWasRunning: string): ArchiveError {
    return new ArchiveError({ code: 'aborted', whatHappened: `${whatWasRunning} was cancelled`, nextStep: 'Nothing was uploaded; run the command again when you are ready' });
  }
}

function stop(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
