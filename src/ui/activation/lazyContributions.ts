import * as vscode from 'vscode';

// The task provider and the language-model tools, registered with VS Code by the composition root during activate()
// and filled in by src/features.ts once it has loaded. VS Code waits only for activate() when a `simcloud` task or a
// tool call activates the extension, then asks for the provider / the tool's implementation at once: registering
// them from the features (loaded after activate() returns) failed the first tool call of a cold window ("Tool … does
// not have an implementation registered"). Each proxy loads the features first, then passes the call on.

type Load = () => Promise<void>;

const tools = new Map<string, vscode.LanguageModelTool<unknown>>();
let taskProvider: vscode.TaskProvider | undefined;

/** Called by the features: the real implementations behind the proxies. */
export function fillLazyContributions(filled: { taskProvider: vscode.TaskProvider; tools: ReadonlyMap<string, vscode.LanguageModelTool<unknown>> }): vscode.Disposable {
  taskProvider = filled.taskProvider;
  for (const [name, tool] of filled.tools) tools.set(name, tool);
  return new vscode.Disposable(() => {
    taskProvider = undefined;
    tools.clear();
  });
}

/** Called by the composition root, before activate() returns. */
export function registerLazyContributions(taskType: string, toolNames: readonly string[], load: Load): vscode.Disposable[] {
  const tool = async (name: string) => {
    await load();
    const found = tools.get(name);
    if (!found) throw new Error(`Sim Cloud has no implementation of the tool ${name}; this is a bug in the extension.`);
    return found;
  };
  return [
    vscode.tasks.registerTaskProvider(taskType, {
      provideTasks: async (token) => {
        await load();
        return taskProvider?.provideTasks(token) ?? [];
      },
      resolveTask: async (task, token) => {
        await load();
        return taskProvider?.resolveTask(task, token) ?? undefined;
      },
    }),
    ...toolNames.map((name) =>
      vscode.lm.registerTool<unknown>(name, {
        prepareInvocation: async (options, token) => (await tool(name)).prepareInvocation?.(options, token),
        invoke: async (options, token) => (await tool(name)).invoke(options, token),
      }),
    ),
  ];
}
