import { ApiError, type ApiErrorInit } from '../http/ApiError';
import { Redactor } from '../log/Redactor';

const patternRedactor = new Redactor();

export interface TransferErrorInit extends ApiErrorInit {
  /** First sentence, about the file and the transfer ("The upload link was refused"). */
  readonly whatHappened: string;
  /** Last sentence: what the user should do now. */
  readonly nextStep: string;
}

/**
 * An ApiError whose sentence speaks about the transfer ("the upload link expired: submit again") instead of the HTTP
 * core's generic wording, which is written for provider APIs (a 403 there means a key without a scope). It keeps
 * every ApiError field, so retry code and `ApiError.is` work unchanged, and its text is redacted like any other.
 */
export class TransferError extends ApiError {
  constructor(init: TransferErrorInit, redactor: Redactor = patternRedactor) {
    super(init, redactor);
    const code = init.status !== undefined ? `HTTP ${init.status}, ${init.code}` : init.code;
    const detail = init.detail ? ` ${ensureStop(init.detail)}` : '';
    const requestId = init.requestId ? ` Request id: ${init.requestId}.` : '';
    this.message = redactor.redact(`${init.whatHappened.trim()} (${code}).${detail}${requestId} ${init.nextStep.trim()}`);
  }

  /** Re-words an HTTP-core error for the transfer, keeping its status, code, request id and retryability. */
  static wrap(cause: ApiError, whatHappened: string, nextStep: string, redactor: Redactor = patternRedactor): TransferError {
    return new TransferError(
      {
        kind: cause.kind,
        method: cause.method,
        url: cause.url,
        status: cause.status,
        code: cause.code,
        requestId: cause.requestId,
        retryable: cause.retryable,
        retryAfterMs: cause.retryAfterMs,
        provider: cause.provider,
        serverMessage: cause.serverMessage,
        attempts: cause.attempts,
        retryAt: cause.retryAt,
        cause,
        whatHappened,
        nextStep,
      },
      redactor,
    );
  }
}

function ensureStop(text: string): string {
  const trimmed = text.trim();
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
