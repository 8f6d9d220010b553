import * as path from 'node:path';
import * as vscode from 'vscode';
import { SUBMIT_SPEC_COMMAND, type SpecSubmitOptions, type SubmittedJob } from '../../core/spec/SubmittedJob';
import { SimJobTaskTerminal, type SimJobTaskDeps } from './SimJobTaskTerminal';

export const TASK_TYPE = 'simcloud';

/** `contributes.taskDefinitions` of type `simcloud`: keep in step with package.json. */
export interface SimJobTaskDefinition extends vscode.TaskDefinition {
  readonly type: typeof TASK_TYPE;
  /** The `*.simjob.json` file, relative to the task's workspace folder. */
  readonly spec: string;
  /** Submit the spec's parameter grid as a sweep. */
  readonly sweep?: boolean;
}

/** Spec files offered in Run Task: enough for any real workspace, and the search stays cheap in a huge one. */
const MAX_SPEC_FILES = 200;

/**
 * The `simcloud` task type: one task per spec file in the workspace (Run Task), and the `simcloud` entries of
 * tasks.json (resolveTask), each run in a pseudoterminal that submits the spec and follows the job to its end.
 */
export class SimJobTaskProvider implements vscode.TaskProvider {
  constructor(private readonly deps: Omit<SimJobTaskDeps, 'submit'>) {}

  async provideTasks(token: vscode.CancellationToken): Promise<vscode.Task[]> {
    const files = await vscode.workspace.findFiles('**/*.simjob.json', '**/{node_modules,.git,sim-results}/**', MAX_SPEC_FILES, token);
    const tasks: vscode.Task[] = [];
    for (const uri of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      if (!folder) continue;
      const spec = path.relative(folder.uri.fsPath, uri.fsPath).split(path.sep).join('/');
      tasks.push(this.task({ type: TASK_TYPE, spec }, folder));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const definition = task.definition;
    if (definition.type !== TASK_TYPE || typeof definition.spec !== 'string' || definition.spec.trim() === '') return undefined;
    const folder = typeof task.scope === 'object' ? task.scope : vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    // The definition object must be the one from tasks.json, or VS Code treats the resolved task as another task.
    return this.task(definition as SimJobTaskDefinition, folder, task.name);
  }

  private task(definition: SimJobTaskDefinition, folder: vscode.WorkspaceFolder, name?: string): vscode.Task {
    const label = name ?? (definition.sweep ? vscode.l10n.t('Submit sweep {0}', definition.spec) : vscode.l10n.t('Submit {0}', definition.spec));
    const execution = new vscode.CustomExecution(async (resolved) => {
      const spec = String((resolved as Partial<SimJobTaskDefinition>).spec ?? definition.spec);
      const sweep = (resolved as Partial<SimJobTaskDefinition>).sweep ?? definition.sweep;
      return new SimJobTaskTerminal(spec, { ...this.deps, submit: () => submitSpec(folder, spec, sweep) });
    });
    const task = new vscode.Task(definition, folder, label, 'Sim Cloud', execution, []);
    task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true };
    return task;
  }
}

/** Through the spec command only: the spec engineer's code parses, checks trust and cost, and records the origin. */
async function submitSpec(folder: vscode.WorkspaceFolder, spec: string, sweep: boolean | undefined): Promise<SubmittedJob | undefined> {
  const file = path.resolve(folder.uri.fsPath, spec);
  const relative = path.relative(folder.uri.fsPath, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(vscode.l10n.t('The spec {0} is outside the workspace folder {1}; give a path inside it.', spec, folder.name));
  }
  // Running the task is the consent for one job; a sweep (any number of GPUs, and a tasks.json entry may run on
  // folder open, when nobody pressed anything) keeps its "Submit N variants?" prompt.
  const options: SpecSubmitOptions = sweep ? { via: 'task', sweep: true } : { via: 'task', confirmed: true };
  return vscode.commands.executeCommand<SubmittedJob | undefined>(SUBMIT_SPEC_COMMAND, vscode.Uri.file(file), options);
}
