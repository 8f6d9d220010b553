import * as vscode from 'vscode';
import { isActiveStatus, type Resource } from '../../core/jobs/Resource';
import { PROVIDER_IDS, PROVIDERS } from '../../core/providers/providerCatalog';
import type { SimCloudToolContext } from './SimCloudToolContext';
import { ListJobsInput, parseInput } from './toolInputs';
import { jsonResult, signInHint, textResult } from './toolResult';

/** `simcloud_listJobs`: what the Jobs view shows, from the JobStore (no network call); read-only, no confirmation. */
export class ListJobsTool implements vscode.LanguageModelTool<ListJobsInput> {
  constructor(private readonly context: SimCloudToolContext) {}

  prepareInvocation(): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Listing Sim Cloud jobs') };
  }

  invoke(options: vscode.LanguageModelToolInvocationOptions<ListJobsInput>): vscode.LanguageModelToolResult {
    const input = parseInput(ListJobsInput, options.input);
    if (!input.ok) return textResult(input.problem);
    const { provider, status, limit = 20 } = input.value;
    const providers = provider ? [provider] : PROVIDER_IDS.filter((id) => this.context.isSignedIn(id));
    if (providers.length === 0) return textResult(vscode.l10n.t('No Sim Cloud account is signed in. Ask the user to sign in from the Sim Cloud view (or "Sim Cloud: Sign In to …" in the Command Palette).'));
    if (provider && !this.context.isSignedIn(provider)) return textResult(signInHint(provider));
    const matching = providers.flatMap((id) => this.context.store.list(id)).filter((resource) => matches(resource, status));
    matching.sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    return jsonResult({
      total: matching.length,
      providers: providers.map((id) => PROVIDERS[id].displayName),
      jobs: matching.slice(0, limit).map((resource) => this.summary(resource)),
    });
  }

  private summary(resource: Resource): Record<string, unknown> {
    return {
      provider: resource.provider,
      id: resource.id,
      kind: resource.kind,
      name: this.context.redact(resource.displayName),
      status: resource.status,
      rawStatus: resource.rawStatus,
      ...(resource.progress?.text ? { progress: resource.progress.text } : {}),
      ...(resource.createdAt ? { createdAt: resource.createdAt } : {}),
      ...(resource.parentId ? { parentId: resource.parentId } : {}),
      ...(resource.facts.length ? { facts: resource.facts.map((fact) => this.context.redact(fact)) } : {}),
    };
  }
}

function matches(resource: Resource, status: ListJobsInput['status']): boolean {
  if (!status) return true;
  if (status === 'active') return isActiveStatus(resource.status);
  return resource.status === status;
}
