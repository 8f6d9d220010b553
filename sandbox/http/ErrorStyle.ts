// Each provider reports errors its own documented way, and the client must cope with every one of them, so the
// sandbox renders every error (its own and injected faults alike) in the style of the service that "sent" it.
import { STATUS_CODES } from 'node:http';

export interface ErrorDetails {
  status: number;
  /** Stable machine code; defaults from the status (e.g. 429 → rate_limited). */
  code?: string;
  /** Human text; defaults to the status reason phrase. */
  message?: string;
  /** Problem `title`; defaults to the status reason phrase. */
  title?: string;
}

export interface RenderedError {
  contentType: string;
  body: string;
  headers?: Record<string, string>;
}

export interface ErrorStyle {
  /** Response header that carries the request id on every response of this service (none for storage fronts, whose
   *  upstreams set their own). */
  readonly requestIdHeader?: string;
  render(error: ErrorDetails, requestId: string): RenderedError;
}

const DEFAULT_CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  402: 'payment_required',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable_entity',
  429: 'rate_limited',
  500: 'internal_error',
  501: 'not_implemented',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

export function defaultCode(status: number): string {
  return DEFAULT_CODES[status] ?? (status >= 500 ? 'server_error' : 'client_error');
}

export function reason(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

const json = (value: unknown): string => JSON.stringify(value);

/** Simulacrum Labs documents bare status codes; we add a small `{error}` body like its examples. */
export const simulacrumStyle: ErrorStyle = {
  requestIdHeader: 'X-Request-Id',
  render: (e) => ({ contentType: 'application/json', body: json({ error: e.message ?? SIMULACRUM_MESSAGES[e.status] ?? reason(e.status) }) }),
};

// Wording from the "Error Codes" table of the Simulacrum Labs reference.
const SIMULACRUM_MESSAGES: Record<number, string> = {
  401: 'Missing or invalid API key / session',
  402: 'Insufficient credits',
  403: 'Account not approved or suspended',
  404: 'Job or project not found',
  429: 'Rate limited — too many requests',
  500: 'Server error — contact support',
};

/** RFC 9457 problem details with a stable `code` and the `request_id` (Simulacra documents exactly these fields;
 *  Cybernetic Physics gets the same shape). `type` points at the error page on the service's own origin. */
export function problemStyle(baseUrl: string, codePrefix = ''): ErrorStyle {
  return {
    requestIdHeader: 'X-Request-Id',
    render: (e, requestId) => {
      const code = e.code ?? `${codePrefix}${defaultCode(e.status)}`;
      const body = { type: `${baseUrl}/errors/${code}`, title: e.title ?? reason(e.status), status: e.status, detail: e.message ?? reason(e.status), code, request_id: requestId };
      return { contentType: 'application/problem+json', body: json(body) };
    },
  };
}

/** Simulix wraps everything in `{data, error, meta}` with the request id as `meta.correlation_id`. */
export const simulixStyle: ErrorStyle = {
  requestIdHeader: 'X-Request-Id',
  render: (e, requestId) => ({
    contentType: 'application/json',
    body: json({ data: null, error: { code: e.code ?? defaultCode(e.status), message: e.message ?? reason(e.status) }, meta: { correlation_id: requestId } }),
  }),
};

/** Auth0's OAuth2 error body: `{error, error_description}`. */
export const auth0Style: ErrorStyle = {
  requestIdHeader: 'X-Request-Id',
  render: (e) => ({
    contentType: 'application/json',
    body: json({ error: e.code ?? auth0Code(e.status), error_description: e.message ?? reason(e.status) }),
  }),
};

function auth0Code(status: number): string {
  if (status === 429) return 'too_many_requests';
  if (status >= 500) return 'server_error';
  if (status === 401 || status === 403) return 'access_denied';
  return 'invalid_request';
}

/** Azure Storage: XML `<Error>` plus x-ms-request-id / x-ms-error-code headers. */
export const azureStyle: ErrorStyle = {
  render: (e, requestId) => {
    const code = e.code ?? AZURE_CODES[e.status] ?? defaultCode(e.status);
    const message = `${e.message ?? reason(e.status)}\nRequestId:${requestId}\nTime:${new Date().toISOString()}`;
    return {
      contentType: 'application/xml',
      body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error>`,
      headers: { 'x-ms-request-id': requestId, 'x-ms-error-code': code },
    };
  },
};

const AZURE_CODES: Record<number, string> = { 403: 'AuthenticationFailed', 429: 'ServerBusy', 500: 'InternalError', 503: 'ServerBusy', 504: 'OperationTimedOut' };

/** Amazon S3: XML `<Error>` with the request id inside and in x-amz-request-id. */
export const s3Style: ErrorStyle = {
  render: (e, requestId) => {
    const code = e.code ?? S3_CODES[e.status] ?? defaultCode(e.status);
    return {
      contentType: 'application/xml',
      body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xml(code)}</Code><Message>${xml(e.message ?? reason(e.status))}</Message><RequestId>${xml(requestId)}</RequestId></Error>`,
      headers: { 'x-amz-request-id': requestId },
    };
  },
};

const S3_CODES: Record<number, string> = { 403: 'AccessDenied', 404: 'NoSuchKey', 429: 'SlowDown', 500: 'InternalError', 503: 'SlowDown' };

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
