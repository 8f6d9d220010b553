import * as vscode from 'vscode';
import { ApiError } from '../../core/http/ApiError';
import { PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import { NotSignedInError } from '../errors/showOperationError';

/** One text part: what the model reads. Compact JSON for data, a sentence for refusals and errors. */
export function textResult(text: string): vscode.LanguageModelToolResult {
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
}

export function jsonResult(value: unknown): vscode.LanguageModelToolResult {
  return textResult(JSON.stringify(value));
}

export function signInHint(provider: ProviderId): string {
  return vscode.l10n.t('Not signed in to {0}. Ask the user to run "Sim Cloud: Sign In to {0}" (command simcloud.{1}.signIn), then try again.', PROVIDERS[provider].displayName, provider);
}

/**
 * A failure the user or the model can act on becomes a result, not a throw: what happened, the request id and code
 * when the provider gave them, and what to do next. Messages are already redacted by the HTTP core.
 */
export function errorResult(error: unknown, what: string, redact: (text: string) => string): vscode.LanguageModelToolResult {
  if (error instanceof NotSignedInError) return textResult(signInHint(error.provider));
  if (ApiError.is(error)) {
    const parts = [`${what}: ${error.message}`];
    if (error.requestId && !error.message.includes(error.requestId)) parts.push(vscode.l10n.t('Request id: {0}.', error.requestId));
    if (error.code) parts.push(vscode.l10n.t('Error code: {0}.', error.code));
    if (error.status === 401) parts.push(vscode.l10n.t('The credential was rejected: the user should sign in again.'));
    else if (error.retryable) parts.push(vscode.l10n.t('This may be temporary: try again in a moment.'));
    return textResult(redact(parts.join(' ')));
  }
  return textResult(redact(`${what}: ${error instanceof Error ? error.message : String(error)}`));
}
