import * as vscode from 'vscode';
import { PROVIDER_IDS, PROVIDERS, type ProviderId } from '../../core/providers/providerCatalog';
import type { SimCloudToolContext, SpecSummary } from './SimCloudToolContext';
import { parseInput, SubmitSpecInput } from './toolInputs';
import { errorResult, jsonResult, signInHint, textResult } from './toolResult';

/**
 * `simcloud_submitSpec`: spends money, so the confirmation names the spec, its provider and kind and what is billed;
 * invoke runs `simcloud.spec.submit` with `confirmed: true` (this confirmation was the prompt).
 */
export class SubmitSpecTool implements vscode.LanguageModelTool<SubmitSpecInput> {
  /** Path → SHA-256 of the content the last confirmation showed: invoke submits only that content. */
  private readonly confirmedContent = new Map<string, string>();

  constructor(private readonly context: SimCloudToolContext) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<SubmitSpecInput>): Promise<vscode.PreparedToolInvocation> {
    const input = parseInput(SubmitSpecInput, options.input);
    const path = input.ok ? input.value.path : String((options.input as { path?: unknown } | undefined)?.path ?? '');
    let summary: SpecSummary | undefined;
    let problem: string | undefined;
    try {
      summary = await this.context.readSpec(path);
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    const sweep = input.ok && input.value.sweep === true;
    const provider = providerOf(summary?.provider);
    const lines = [
      vscode.l10n.t('Spec file: {0}', path),
      vscode.l10n.t('Provider: {0}', provider ? PROVIDERS[provider].displayName : (summary?.provider ?? vscode.l10n.t('not stated in the file'))),
      vscode.l10n.t('Kind: {0}{1}', summary?.kind ?? vscode.l10n.t('not stated'), sweep ? vscode.l10n.t(' (as a sweep: one job per grid point)') : ''),
      ...(summary?.costFacts ?? []),
      costHint(provider),
      ...(problem ? [vscode.l10n.t('Note: {0}', problem)] : []),
    ];
    if (summary?.sha256) this.confirmedContent.set(path, summary.sha256);
    return {
      invocationMessage: vscode.l10n.t('Submitting {0}', path),
      confirmationMessages: { title: sweep ? vscode.l10n.t('Submit the sweep in {0}?', path) : vscode.l10n.t('Submit {0}?', path), message: new vscode.MarkdownString(lines.map(escape).join('  \n')) },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<SubmitSpecInput>): Promise<vscode.LanguageModelToolResult> {
    const input = parseInput(SubmitSpecInput, options.input);
    if (!input.ok) return textResult(input.problem);
    try {
      const summary = await this.context.readSpec(input.value.path);
      const provider = providerOf(summary.provider);
      if (provider && !this.context.isSignedIn(provider)) return textResult(signInHint(provider));
      const confirmed = this.confirmedContent.get(input.value.path);
      this.confirmedContent.delete(input.value.path);
      const job = await this.context.submitSpec(summary.path, { sweep: input.value.sweep, ...(confirmed ? { sha256: confirmed } : {}) });
      if (!job) return textResult(vscode.l10n.t('Nothing was submitted: the submission was refused or cancelled in VS Code (see its notification).'));
      this.context.refresh(job.provider);
      return jsonResult({ submitted: true, provider: job.provider, id: job.id, specFile: job.specFile, ...(job.commit ? { commit: job.commit } : {}), next: 'Follow it with simcloud_getJob.' });
    } catch (error) {
      return errorResult(error, vscode.l10n.t('Submitting {0} failed', input.value.path), (text) => this.context.redact(text));
    }
  }
}

function providerOf(value: string | undefined): ProviderId | undefined {
  return PROVIDER_IDS.find((id) => id === value);
}

/** What running it costs, in the words of each provider's pricing. */
function costHint(provider: ProviderId | undefined): string {
  switch (provider) {
    case 'simulacrum':
      return vscode.l10n.t('Cost: GPU time is charged in credits to your Simulacrum Labs account while the job runs.');
    case 'simulacra':
      return vscode.l10n.t('Cost: generated rows count against your Simulacra row quota.');
    case 'cybernetic':
      return vscode.l10n.t('Cost: GPU time is billed to your Cybernetic Physics account until the job ends or is cancelled.');
    case 'simulix':
      return vscode.l10n.t('Cost: the simulation is billed to your Simulix account.');
    default:
      return vscode.l10n.t('Cost: the job is billed to the account of its provider.');
  }
}

/** Spec paths and fields are workspace data: shown as text in the confirmation, never as markdown. */
export function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
}
