import { ApiError } from '../../core/http/ApiError';
import { ErrorCode, type PanelError } from '../../shared/simulacraPanelProtocol';

/**
 * An error as a page shows it: the (already redacted, then redacted again) message, the problem code when it is one
 * the docs link can be built from, and the provider's request id for support. Never the cause or the URL.
 */
export function toPanelError(error: unknown, redact: (text: string) => string, requestId?: string): PanelError {
  const message = redact(error instanceof Error ? error.message : String(error)).slice(0, 10_000);
  const panelError: PanelError = { message, ...(requestId ? { requestId } : {}) };
  if (ApiError.is(error)) {
    if (ErrorCode.safeParse(error.code).success) panelError.code = error.code;
    if (error.requestId) panelError.providerRequestId = redact(error.requestId).slice(0, 1000);
  }
  return panelError;
}
