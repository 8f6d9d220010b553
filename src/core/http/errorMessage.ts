import type { ApiErrorKind } from './ApiError';

export interface FailureFacts {
  readonly kind: ApiErrorKind;
  readonly method: string;
  /** Already redacted. */
  readonly url: string;
  readonly serviceName: string;
  readonly status?: number;
  readonly code: string;
  readonly requestId?: string;
  readonly retryAfterMs?: number;
  readonly retryAt?: number;
  /** Already redacted. */
  readonly serverMessage?: string;
  /** Already redacted. */
  readonly detail?: string;
  readonly attempts?: number;
  /** A provider's own wording of what to do (its error table names a dashboard, a support address); replaces the generic one. */
  readonly nextStep?: string;
}

/**
 * The user-facing sentence for a failure: what happened, the server's words, the request id, what to do next. The
 * wording of each next step comes from the providers' error tables (401 = key invalid, 402 = out of credits, 403 =
 * account not approved or key missing a scope).
 */
export function describeFailure(facts: FailureFacts): string {
  const parts = [whatHappened(facts)];
  if (facts.serverMessage) parts.push(`The server said: "${facts.serverMessage}".`);
  if (facts.detail) parts.push(ensureStop(facts.detail));
  if (facts.requestId) parts.push(`Request id: ${facts.requestId}.`);
  parts.push(facts.nextStep ? ensureStop(facts.nextStep.trim()) : nextStep(facts));
  return parts.join(' ');
}

function whatHappened(f: FailureFacts): string {
  const service = f.serviceName;
  switch (f.kind) {
    case 'http':
      return `${service} answered ${f.method} ${pathOf(f.url)} with HTTP ${f.status ?? '?'} (${f.code}).`;
    case 'network':
      return `Could not reach ${service} (${f.code}).`;
    case 'timeout':
      return `${service} did not answer in time (${f.code}).`;
    case 'aborted':
      return `The request to ${service} was cancelled.`;
    case 'invalid-response':
      return `${service} sent a response Sim Cloud could not read (${f.code}).`;
    case 'deadline':
      return `Gave up on ${f.method} ${pathOf(f.url)} at ${service} after ${f.attempts ?? 1} attempt${f.attempts === 1 ? '' : 's'}${f.status ? ` (last answer HTTP ${f.status})` : ''}.`;
  }
}

function nextStep(f: FailureFacts): string {
  switch (f.kind) {
    case 'network':
      return 'Check your network connection and the base URL setting, then try again.';
    case 'timeout':
      return 'Check your network connection and the base URL setting; if the service is just slow, try again later.';
    case 'aborted':
      return 'No action is needed.';
    case 'invalid-response':
      return `Please report this${f.requestId ? ' with the request id' : ''}; trying again later may help.`;
    case 'deadline':
      return `Try again ${whenToRetry(f)}.`;
    case 'http':
      return httpNextStep(f);
  }
}

function httpNextStep(f: FailureFacts): string {
  const status = f.status ?? 0;
  switch (status) {
    case 400:
      return 'Check the values you entered; if they look right, report this with the request id.';
    case 401:
      return 'Your credentials were not accepted: sign in again.';
    case 402:
      return 'Your account is out of credits: add credits, then try again.';
    case 403:
      return 'Your account may not be approved yet, or the key is missing the scope this needs: check your account or use a key with access.';
    case 404:
      return 'It may have been deleted, or the base URL setting points at the wrong service: refresh, and check the setting.';
    case 409:
      return 'It conflicts with the current state (maybe an earlier request is still running): refresh and try again in a moment.';
    case 422:
      return 'The server could not process the values sent: check them and try again.';
    case 429:
      return `Too many requests: wait ${f.retryAfterMs !== undefined ? formatDuration(f.retryAfterMs) : 'a minute'} and try again.`;
  }
  if (status >= 300 && status < 400) return 'Sim Cloud does not follow redirects: check the base URL setting.';
  if (status >= 500) return `The service has a problem: try again later${f.retryAfterMs !== undefined ? ` (in ${formatDuration(f.retryAfterMs)})` : ''}.`;
  return 'Try again; if it keeps happening, report it with the request id.';
}

function whenToRetry(f: FailureFacts): string {
  if (f.retryAt !== undefined) {
    const wait = f.retryAfterMs !== undefined ? ` (in ${formatDuration(f.retryAfterMs)})` : '';
    return `after ${new Date(f.retryAt).toISOString()}${wait}`;
  }
  if (f.retryAfterMs !== undefined) return `in ${formatDuration(f.retryAfterMs)}`;
  return 'later';
}

export function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.ceil(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.ceil(hours / 24)} days`;
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function ensureStop(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
