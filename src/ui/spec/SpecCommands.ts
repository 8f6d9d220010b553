import * as vscode from 'vscode';
import { uriExists } from '../files/uriExists';
import type { JobOrigin } from '../../core/jobs/JobOrigins';
import type { Logger } from '../../core/log/Logger';
import { hasSweep, SPEC_KIND_IDS, type JobSpec, type SpecKind } from '../../core/spec/JobSpec';
import { SPEC_TEMPLATES } from '../../core/spec/specTemplates';
import { gitRevision } from '../../core/spec/gitRevision';
import { formatProblems, parseSpec, SpecProblemsError, type SpecProblem } from '../../core/spec/parseSpec';
import type { SpecSubmitOptions, SubmittedJob } from '../../core/spec/SubmittedJob';
import { notificationText } from '../../core/util/notificationText';
import { isSpecFile, SPEC_FILE_GLOB, SPEC_FILE_SUFFIX, specUriFrom, workspaceRelativePath } from './specFileUri';
import type { SpecSubmitters } from './SpecSubmitters';

/** Submit Spec File (CodeLens, Explorer, palette, tasks and tools) and Save as Spec File. */
export class SpecCommands {
  constructor(
    private readonly submitters: SpecSubmitters,
    private readonly log: Logger,
  ) {}

  /**
   * Checks the spec, then submits it through its provider's own submit path, recording the spec file (and its git
   * commit) as the job's origin. Undefined when the user cancelled or the spec has problems (they are shown).
   */
  async submit(arg?: unknown, options: SpecSubmitOptions = {}): Promise<SubmittedJob | undefined> {
    const uri = specUriFrom(arg) ?? (await this.activeOrPickedSpec());
    if (!uri) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) throw new Error(vscode.l10n.t('{0} is outside the open workspace folders. Move it into the folder of your project: a spec submits the workspace folder it is in.', uri.fsPath));
    const specFile = workspaceRelativePath(folder, uri);
    // Only spec files: a task or tool naming another file (`.env`) would otherwise echo its first bytes in a JSON error.
    if (!uri.path.toLowerCase().endsWith('.simjob.json')) throw new Error(vscode.l10n.t('{0} is not a spec file: only *.simjob.json files are submitted.', specFile));
    const document = await vscode.workspace.openTextDocument(uri);
    // What is submitted is what the commit and a reviewer can see: the file on disk, not an unsaved buffer.
    if (document.isDirty) await document.save();
    const parsed = parseSpec(document.getText());
    if ('problems' in parsed) return this.showProblems(uri, specFile, parsed.problems);
    const spec = parsed.spec;
    const sweep = options.sweep ?? false;
    if (sweep && !hasSweep(spec)) return this.showProblems(uri, specFile, [{ field: 'parameter_grid', message: vscode.l10n.t('Add a grid (parameter → list of values) to submit a sweep.') }]);
    const submitter = this.submitters.get(spec.kind);
    if (!submitter) throw new Error(vscode.l10n.t('{0} specs cannot be submitted by this version of Sim Cloud.', spec.kind));
    const revision = uri.scheme === 'file' ? await gitRevision(uri.fsPath) : undefined;
    const origin: JobOrigin = { via: options.via ?? 'spec', specFile, commit: revision?.commit, dirty: revision?.dirty, submittedAt: new Date().toISOString() };
    this.log.info(`Submitting ${specFile} (${spec.kind}${sweep ? ', sweep' : ''}${revision ? ` at ${revision.commit.slice(0, 7)}${revision.dirty ? ', uncommitted changes' : ''}` : ''}).`);
    try {
      const job = await submitter({ spec, specUri: uri, folder, sweep, confirmed: options.confirmed ?? false, origin });
      return job && { provider: job.provider, id: job.id, specFile, commit: revision?.commit };
    } catch (error) {
      if (error instanceof SpecProblemsError) return this.showProblems(uri, specFile, error.problems);
      throw error;
    }
  }

  /** Writes `<name>.simjob.json` at the workspace folder's root (never over an existing file) and opens it. */
  async saveSpec(spec: JobSpec, folder: vscode.WorkspaceFolder, name = defaultName(spec)): Promise<vscode.Uri> {
    let uri = vscode.Uri.joinPath(folder.uri, `${name}${SPEC_FILE_SUFFIX}`);
    for (let n = 2; await uriExists(uri); n += 1) uri = vscode.Uri.joinPath(folder.uri, `${name}-${n}${SPEC_FILE_SUFFIX}`);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`${JSON.stringify(spec, null, 2)}\n`));
    await vscode.window.showTextDocument(uri, { preview: false });
    this.log.info(`Saved a ${spec.kind} spec as ${workspaceRelativePath(folder, uri)}.`);
    return uri;
  }

  /** New Spec File: a template of the chosen kind, saved at the workspace folder's root and opened. */
  async newSpec(): Promise<vscode.Uri | undefined> {
    const folder = await specFolder();
    if (!folder) return undefined;
    const picked = await vscode.window.showQuickPick(
      SPEC_KIND_IDS.map((specKind) => ({ ...kindLabels()[specKind], description: specKind, specKind })),
      { placeHolder: vscode.l10n.t('What should the spec submit?') },
    );
    return picked && this.saveSpec(SPEC_TEMPLATES[picked.specKind], folder, picked.specKind.replace('.', '-'));
  }

  /** Save as Spec File for a request made without a workspace folder of its own (a session, a run). */
  async saveSpecInWorkspace(spec: JobSpec): Promise<vscode.Uri | undefined> {
    const folder = await specFolder();
    return folder && this.saveSpec(spec, folder);
  }

  private async activeOrPickedSpec(): Promise<vscode.Uri | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && isSpecFile(active)) return active;
    const files = await vscode.workspace.findFiles(SPEC_FILE_GLOB, '**/node_modules/**', 500);
    if (files.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No *.simjob.json spec file in the workspace. Submit a job from a form and choose "Save as Spec File" to make one.'));
      return undefined;
    }
    const items = files
      .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri }))
      .sort((a, b) => a.label.localeCompare(b.label));
    const picked = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Submit which spec file?') });
    return picked?.uri;
  }

  private async showProblems(uri: vscode.Uri, specFile: string, problems: readonly SpecProblem[]): Promise<undefined> {
    this.log.warn(`${specFile} was not submitted: ${formatProblems(problems)}`);
    const open = vscode.l10n.t('Open Spec');
    const choice = await vscode.window.showErrorMessage(notificationText(vscode.l10n.t('{0} was not submitted: {1}', specFile, formatProblems(problems))), open);
    if (choice === open) await vscode.window.showTextDocument(uri);
    return undefined;
  }
}

async function specFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a workspace folder first: spec files are saved in it.'));
    return undefined;
  }
  return folders.length === 1 ? folders[0] : vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Save the spec file in which folder?') });
}

function kindLabels(): Record<SpecKind, { label: string; detail: string }> {
  return {
    'simulacrum.job': { label: vscode.l10n.t('Simulacrum Labs job'), detail: vscode.l10n.t('Annotations, training or Docker-only run of this workspace folder; add parameter_grid for a sweep.') },
    'simulix.simulation': { label: vscode.l10n.t('Simulix simulation'), detail: vscode.l10n.t('A synthetic-population simulation of a workflow.') },
    'cybernetic.session': { label: vscode.l10n.t('Cybernetic Physics Isaac Sim session'), detail: vscode.l10n.t('A GPU session, billed per second, with runtime and idle limits.') },
    'cybernetic.eureka': { label: vscode.l10n.t('Cybernetic Physics Eureka run'), detail: vscode.l10n.t('LLM-written reward functions trained on an IsaacLab task.') },
    'simulacra.generation': { label: vscode.l10n.t('Simulacra generation'), detail: vscode.l10n.t('Synthetic rows from a trained dataset, with scenario conditions checked against its schema.') },
    'cybernetic.reconstruction': { label: vscode.l10n.t('Cybernetic Physics 3D reconstruction'), detail: vscode.l10n.t('USDZ and a sparse point cloud from photos or a video in the workspace, within cost guardrails.') },
  };
}

function defaultName(spec: JobSpec): string {
  const [provider] = spec.kind.split('.');
  const fields = spec as { parameter_grid?: unknown; render_mode?: string };
  if (fields.parameter_grid) return `${provider}-sweep`;
  return fields.render_mode ? `${provider}-${fields.render_mode.replace(/_/g, '-')}` : spec.kind.replace('.', '-');
}
