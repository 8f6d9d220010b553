// Thrown by route handlers to answer with an error in the service's own style (see ErrorStyle), so handlers read as
// "validate, then answer" without threading the response through every check.
import type { ErrorDetails } from './ErrorStyle';

export class HttpError extends Error {
  readonly details: ErrorDetails;
  readonly headers: Record<string, string>;

  constructor(status: number, details: Omit<ErrorDetails, 'status'> = {}, headers: Record<string, string> = {}) {
    super(details.message ?? `HTTP ${status}`);
    this.name = 'HttpError';
    this.details = { status, ...details };
    this.headers = headers;
  }

  static is(value: unknown): value is HttpError {
    return value instanceof HttpError;
  }
}
