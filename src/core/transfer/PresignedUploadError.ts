import { ApiError } from '../http/ApiError';
import type { Redactor } from '../log/Redactor';
import { TransferError } from './TransferError';

/**
 * Why a presigned upload failed, for callers that decide what to offer next: `expired` and `refused` links need a new
 * link (start over), `rejected` means the storage service did not accept this file (size, type, form), `stalled` and
 * `failed` are worth trying again with the same link, `file` is about the local file.
 */
export type PresignedUploadFailure = 'expired' | 'refused' | 'rejected' | 'stalled' | 'failed' | 'file';

/** A TransferError that also says which kind of failure it was. */
export class PresignedUploadError extends TransferError {
  readonly reason: PresignedUploadFailure;

  constructor(reason: PresignedUploadFailure, init: ConstructorParameters<typeof TransferError>[0], redactor?: Redactor) {
    super(init, redactor);
    this.reason = reason;
  }

  static isPresignedUploadError(error: unknown, reason?: PresignedUploadFailure): error is PresignedUploadError {
    return error instanceof PresignedUploadError && (reason === undefined || error.reason === reason);
  }

  static from(reason: PresignedUploadFailure, cause: ApiError, whatHappened: string, nextStep: string, redactor?: Redactor): PresignedUploadError {
    return new PresignedUploadError(
      reason,
      {
        kind: cause.kind,
        method: cause.method,
        url: cause.url,
        status: cause.status,
        code: cause.code,
        requestId: cause.requestId,
        retryable: reason === 'stalled' || reason === 'failed',
        retryAfterMs: cause.retryAfterMs,
        provider: cause.provider,
        serverMessage: cause.serverMessage,
        attempts: cause.attempts,
        cause,
        whatHappened,
        nextStep,
      },
      redactor,
    );
  }
}

export interface LinkFacts {
  /** The file's name as the user knows it. */
  readonly file: string;
  /** When the link stops working (epoch ms), if known. */
  readonly expiresAt?: number;
  /** Now, on the clock the link's expiry is measured on. */
  readonly now: number;
}

/**
 * Re-words an HTTP-core failure of a presigned PUT or POST. S3 answers an expired and a tampered link alike (403, an
 * XML body the core does not read), so "expired" is decided by the link's own expiry time, and every other 403 is a
 * refused link (altered, made for another key or size, or without write permission).
 */
export function explainPresignedFailure(error: unknown, facts: LinkFacts, redactor?: Redactor): unknown {
  if (!ApiError.is(error) || error.kind === 'aborted' || error instanceof PresignedUploadError) return error;
  const { file } = facts;
  const status = error.status;
  if (status === 403 || status === 401) {
    if (facts.expiresAt !== undefined && facts.now >= facts.expiresAt) {
      return PresignedUploadError.from('expired', error, `The upload link for ${file} expired at ${new Date(facts.expiresAt).toISOString()}`, 'Start the upload again to get a new link.', redactor);
    }
    return PresignedUploadError.from(
      'refused',
      error,
      `The storage service refused the upload link for ${file}: the link was altered, was made for another file or size, or does not allow this upload`,
      'Start the upload again to get a new link; if it keeps happening, report it with the request id.',
      redactor,
    );
  }
  if (status === 404) return PresignedUploadError.from('refused', error, `The upload destination for ${file} does not exist`, 'Start the upload again to get a new link; if it keeps happening, report it with the request id.', redactor);
  if (status === 400 || status === 411 || status === 413) {
    return PresignedUploadError.from('rejected', error, `The storage service did not accept ${file} (its size, type or form does not match the upload link)`, 'Check that the file did not change since the upload started, then start again.', redactor);
  }
  if (error.retryable || error.kind === 'network' || error.kind === 'timeout' || error.kind === 'deadline') {
    const attempts = error.attempts && error.attempts > 1 ? ` after ${error.attempts} attempts` : '';
    return PresignedUploadError.from('failed', error, `The upload of ${file} failed${attempts}`, 'Check your network connection and try again.', redactor);
  }
  return error;
}
