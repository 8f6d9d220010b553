import * as vscode from 'vscode';
import { PROVIDERS } from '../../core/providers/providerCatalog';
import { statusWord } from '../tree/resourceTreeItem';
import type { SimCloudToolContext } from './SimCloudToolContext';
import { escape } from './SubmitSpecTool';
import { CancelJobInput, parseInput } from './toolInputs';
import { errorResult, jsonResult, signInHint, textResult } from './toolResult';

/** `simcloud_cancelJob`: changes state, so the confirmation names the job; invoke cancels without a second modal. */
export class CancelJobTool implements vscode.LanguageModelTool<CancelJobInput> {
  constructor(private readonly context: SimCloudToolContext) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<CancelJobInput>): vscode.PreparedToolInvocation {
    const input = parseInput(CancelJobInput, options.input);
    const id = input.ok ? input.value.id : String((options.input as { id?: unknown } | undefined)?.id ?? '');
    const resource = input.ok ? this.context.store.get(input.value.provider, input.value.id) : undefined;
    const provider = input.ok ? PROVIDERS[input.value.provider].displayName : '';
    const unfinishedVariants = resource?.kind === 'sweep' && input.ok ? this.context.store.children(input.value.provider, resource.id).filter((variant) => variant.actions.includes('cancel')).length : 0;
    const lines = resource
      ? [
          vscode.l10n.t('{0} on {1}', this.context.redact(resource.displayName), provider),
          vscode.l10n.t('Job id: {0}; now {1}.', resource.id, statusWord(resource)),
          resource.kind === 'sweep'
            ? vscode.l10n.t('Its {0} unfinished variants stop now; their work in progress is lost. Compute used so far stays billed.', unfinishedVariants)
            : vscode.l10n.t('The job stops now; work in progress is lost. Compute used so far stays billed.'),
        ]
      : [vscode.l10n.t('Job {0} on {1} (not in the Sim Cloud view right now: nothing will be cancelled).', id, provider)];
    return {
      invocationMessage: vscode.l10n.t('Cancelling {0}', id),
      confirmationMessages: { title: vscode.l10n.t('Cancel job {0}?', id), message: new vscode.MarkdownString(lines.map(escape).join('  \n')) },
    };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<CancelJobInput>): Promise<vscode.LanguageModelToolResult> {
    const input = parseInput(CancelJobInput, options.input);
    if (!input.ok) return textResult(input.problem);
    const { provider, id } = input.value;
    if (!this.context.isSignedIn(provider)) return textResult(signInHint(provider));
    const resource = this.context.store.get(provider, id);
    if (!resource) return textResult(vscode.l10n.t('{0} lists no job {1}. Call simcloud_listJobs to see the job ids.', PROVIDERS[provider].displayName, id));
    if (!resource.actions.includes('cancel')) return textResult(vscode.l10n.t('{0} cannot be cancelled: it is {1}.', id, statusWord(resource)));
    try {
      if (!(await this.context.cancel(resource))) return textResult(vscode.l10n.t('{0} does not offer cancelling this kind of job.', PROVIDERS[provider].displayName));
    } catch (error) {
      return errorResult(error, vscode.l10n.t('Cancelling {0} failed', id), (text) => this.context.redact(text));
    }
    const after = this.context.store.get(provider, id) ?? resource;
    return jsonResult({ cancelRequested: true, provider, id, status: after.status, rawStatus: after.rawStatus });
  }
}
