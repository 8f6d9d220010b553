import * as vscode from 'vscode';
import { SPEC_KINDS } from '../../core/spec/JobSpec';
import { gridVariants } from '../../core/spec/simulacrumJobSpec';
import { SUBMIT_SPEC_COMMAND } from '../../core/spec/SubmittedJob';

/**
 * "Submit" (and "Submit Sweep" when the spec has a grid) above the first line of every `*.simjob.json`. None in
 * Restricted Mode: submitting uploads the workspace, which waits until its author is trusted.
 */
export class SpecCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly onTrust = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (!vscode.workspace.isTrusted) return [];
    const top = new vscode.Range(0, 0, 0, 0);
    const lenses = [new vscode.CodeLens(top, { title: vscode.l10n.t('$(cloud-upload) Submit'), tooltip: vscode.l10n.t('Submit this spec file as a job'), command: SUBMIT_SPEC_COMMAND, arguments: [document.uri] })];
    const variants = sweepVariants(document.getText());
    if (variants !== undefined) {
      lenses.push(
        new vscode.CodeLens(top, {
          title: vscode.l10n.t('$(layers) Submit Sweep ({0} variants)', variants),
          tooltip: vscode.l10n.t('Submit every combination of parameter_grid as its own job: {0} GPUs, each billed separately', variants),
          command: SUBMIT_SPEC_COMMAND,
          arguments: [document.uri, { sweep: true }],
        }),
      );
    }
    return lenses;
  }

  dispose(): void {
    this.onTrust.dispose();
    this.changed.dispose();
  }
}

/** The grid's variant count while the file is being edited (it may not be valid yet); undefined without a grid. */
function sweepVariants(text: string): number | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { kind, parameter_grid: grid } = value as { kind?: unknown; parameter_grid?: unknown };
  if (typeof kind !== 'string' || !(kind in SPEC_KINDS) || !SPEC_KINDS[kind as keyof typeof SPEC_KINDS].sweep) return undefined;
  if (typeof grid !== 'object' || grid === null || Array.isArray(grid)) return undefined;
  const lists = Object.values(grid);
  if (lists.length === 0 || !lists.every((list) => Array.isArray(list) && list.length > 0)) return undefined;
  return gridVariants(grid as Record<string, unknown[]>);
}
