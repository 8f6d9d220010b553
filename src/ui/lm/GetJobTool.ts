import * as vscode from 'vscode';
import { PROVIDERS } from '../../core/providers/providerCatalog';
import type { ReadLogPage } from '../tasks/SimJobTaskTerminal';
import type { SimCloudToolContext } from './SimCloudToolContext';
import { GetJobInput, parseInput } from './toolInputs';
import { errorResult, jsonResult, signInHint, textResult } from './toolResult';

/** Pages read to reach the end of a long log; the result keeps only the last lines anyway. */
/** Pages read per call: a long log is caught up over several calls rather than spending the key's requests at once. */
const MAX_LOG_PAGES = 10;
/** Lines kept per job between calls (the input's ceiling). */
const KEPT_LINES = 200;

/** `simcloud_getJob`: a job's status, facts and details from the JobStore, plus its last log lines; read-only. */
export class GetJobTool implements vscode.LanguageModelTool<GetJobInput> {
  /** Per job, where the last call stopped reading its log and its last lines. */
  private readonly tails = new Map<string, LogTailState>();

  constructor(private readonly context: SimCloudToolContext) {}

  prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<GetJobInput>): vscode.PreparedToolInvocation {
    return { invocationMessage: vscode.l10n.t('Reading Sim Cloud job {0}', String(options.input?.id ?? '')) };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<GetJobInput>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const input = parseInput(GetJobInput, options.input);
    if (!input.ok) return textResult(input.problem);
    const { provider, id, logLines = 20 } = input.value;
    if (!this.context.isSignedIn(provider)) return textResult(signInHint(provider));
    const resource = this.context.store.get(provider, id);
    if (!resource) return textResult(vscode.l10n.t('{0} lists no job {1}. Call simcloud_listJobs to see the job ids.', PROVIDERS[provider].displayName, id));
    const redact = (text: string) => this.context.redact(text);
    const result: Record<string, unknown> = {
      provider,
      id,
      kind: resource.kind,
      name: redact(resource.displayName),
      status: resource.status,
      rawStatus: resource.rawStatus,
      ...(resource.progress ? { progress: resource.progress } : {}),
      facts: resource.facts.map(redact),
      details: Object.fromEntries(resource.details.map(([label, value]) => [label, redact(value)])),
    };
    const reader = logLines > 0 ? this.context.logReader(resource) : undefined;
    if (reader) {
      try {
        const key = `${provider}:${id}`;
        // Each call goes on from where the last one stopped: an agent asking again and again reads only new pages.
        const tail = await readOn(reader, this.tails.get(key) ?? { offset: 0, lines: [] }, abortOn(token));
        this.tails.set(key, tail);
        result.log = tail.lines.slice(-logLines).map(redact);
        if (!tail.caughtUp) result.logNote = vscode.l10n.t('The log is longer than one call reads: these are not yet its last lines. Call again to read on.');
      } catch (error) {
        return errorResult(error, vscode.l10n.t('Reading the log of {0} failed', id), redact);
      }
    } else if (logLines > 0) {
      result.log = [];
      result.logNote = vscode.l10n.t('{0} has no log endpoint for this kind of job: the status and details above are all there is.', PROVIDERS[provider].displayName);
    }
    return jsonResult(result);
  }
}

interface LogTailState {
  readonly offset: number;
  readonly lines: readonly string[];
  readonly caughtUp?: boolean;
}

async function readOn(read: ReadLogPage, from: LogTailState, signal: AbortSignal): Promise<LogTailState> {
  const kept = [...from.lines];
  let offset = from.offset;
  for (let page = 0; page < MAX_LOG_PAGES; page += 1) {
    const answer = await read(offset, signal);
    if (!answer) return { offset, lines: kept, caughtUp: true };
    kept.push(...answer.lines.slice(Math.max(0, answer.lines.length - (answer.nextOffset - offset))));
    if (kept.length > KEPT_LINES) kept.splice(0, kept.length - KEPT_LINES);
    if (answer.done || answer.nextOffset <= offset) return { offset: Math.max(offset, answer.nextOffset), lines: kept, caughtUp: true };
    offset = answer.nextOffset;
  }
  return { offset, lines: kept, caughtUp: false };
}

export function abortOn(token: vscode.CancellationToken | undefined): AbortSignal {
  const controller = new AbortController();
  if (token?.isCancellationRequested) controller.abort(new Error('Cancelled'));
  token?.onCancellationRequested(() => controller.abort(new Error('Cancelled')));
  return controller.signal;
}

