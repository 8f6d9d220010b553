import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseSpec } from '../../core/spec/parseSpec';
import { gridVariants } from '../../core/spec/simulacrumJobSpec';
import type { JobSpec } from '../../core/spec/JobSpec';
import type { SpecSubmitOptions, SubmittedJob } from '../../core/spec/SubmittedJob';
import type { SpecSummary } from './SimCloudToolContext';

/** Larger than any real spec; a bigger file is not read into a confirmation. */
const MAX_SPEC_BYTES = 1024 * 1024;

/**
 * Spec files named by a language model: only `*.simjob.json` inside the workspace folder, read as JSON for the
 * confirmation's summary, and submitted through `simcloud.spec.submit` (the spec engineer's code parses and checks).
 */
export class WorkspaceSpecs {
  constructor(
    private readonly folder: () => string | undefined,
    private readonly submitFile: (fsPath: string, options: SpecSubmitOptions) => Promise<SubmittedJob | undefined>,
  ) {}

  async read(relativePath: string): Promise<SpecSummary & { readonly fsPath: string }> {
    const folder = this.folder();
    if (!folder) throw new Error(vscode.l10n.t('No folder is open: open the workspace that holds the spec file.'));
    const fsPath = path.resolve(folder, relativePath);
    const relative = path.relative(folder, fsPath);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(vscode.l10n.t('{0} is outside the workspace folder; give a workspace-relative path.', relativePath));
    if (!fsPath.endsWith('.simjob.json')) throw new Error(vscode.l10n.t('{0} is not a spec file (*.simjob.json).', relativePath));
    const size = await stat(fsPath).then((s) => (s.isFile() ? s.size : -1), () => -1);
    if (size < 0) throw new Error(vscode.l10n.t('{0} does not exist in the workspace.', relativePath));
    if (size > MAX_SPEC_BYTES) throw new Error(vscode.l10n.t('{0} is too large to be a spec file.', relativePath));
    const bytes = await readFile(fsPath);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new Error(vscode.l10n.t('{0} is not valid JSON.', relativePath));
    }
    const parsed = parseSpec(bytes.toString('utf8'));
    const fields = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    const kind = typeof fields.kind === 'string' ? fields.kind.slice(0, 100) : undefined;
    // A spec's `kind` is `<provider>.<job kind>` ("simulacrum.job"): the provider is its first part.
    const provider = kind?.includes('.') ? kind.slice(0, kind.indexOf('.')) : undefined;
    const costFacts = 'spec' in parsed ? costDrivers(parsed.spec) : undefined;
    return { fsPath, path: relative.split(path.sep).join('/'), sha256, ...(provider ? { provider } : {}), ...(kind ? { kind } : {}), ...(costFacts?.length ? { costFacts } : {}) };
  }

  /** The tool's confirmation was the user's consent: `confirmed: true`, recorded as submitted by a tool. */
  async submit(relativePath: string, options: { sweep?: boolean; sha256?: string }): Promise<SubmittedJob | undefined> {
    const { fsPath, sha256 } = await this.read(relativePath);
    // The consent was for the bytes shown in the confirmation: an edit since then (or unsaved changes in an editor,
    // which the submit command would save and send) is not what the user agreed to.
    const open = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'file' && document.uri.fsPath === fsPath);
    if (open?.isDirty) throw new Error(vscode.l10n.t('{0} has unsaved changes in an editor: save or revert them, then ask again.', relativePath));
    if (options.sha256 !== undefined && options.sha256 !== sha256) throw new Error(vscode.l10n.t('{0} changed after you confirmed the submission; nothing was submitted. Ask again to confirm the new content.', relativePath));
    return this.submitFile(fsPath, { confirmed: true, via: 'tool', ...(options.sweep ? { sweep: true } : {}) });
  }
}

/** The fields that decide what a spec costs, in words for the confirmation. */
function costDrivers(spec: JobSpec): string[] {
  switch (spec.kind) {
    case 'simulacrum.job':
      return spec.parameter_grid
        ? [vscode.l10n.t('As a sweep: {0} variants, each on its own GPU and billed separately.', gridVariants(spec.parameter_grid)), vscode.l10n.t('As one job: mode {0}.', spec.render_mode)]
        : [vscode.l10n.t('One job, mode {0}.', spec.render_mode)];
    case 'cybernetic.session':
      return [vscode.l10n.t('GPU {0} for up to {1} minutes.', spec.gpuSpec, spec.maxRuntimeMinutes)];
    case 'cybernetic.eureka':
      return [vscode.l10n.t('{0} iterations × {1} parallel training runs, plus LLM tokens.', spec.maxTrainingIterations, spec.numParallelRuns)];
    case 'simulix.simulation':
      return [vscode.l10n.t('{0} agents.', spec.agent_count)];
    case 'simulacra.generation':
      return [vscode.l10n.t('{0} rows from dataset {1}, counted against your row quota.', spec.rowCount, spec.datasetId)];
    case 'cybernetic.reconstruction':
      return [vscode.l10n.t('At most {0} minutes at up to ${1} an hour.', spec.costGuardrails.maxRuntimeMinutes, spec.costGuardrails.maxHourlyPrice)];
    default:
      return [];
  }
}
