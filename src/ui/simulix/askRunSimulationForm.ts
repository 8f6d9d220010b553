import * as vscode from 'vscode';
import { parseAgentCount, parseScenarioContext, validateAgentCount, validateCallbackUrl, validateWorkflowId } from './simulixRunInput';

export interface RunSimulationForm {
  readonly workflowId: string;
  readonly agentCount: number;
  readonly scenarioContext: Record<string, unknown>;
  readonly callbackUrl?: string;
}

export interface RunSimulationFormDeps {
  readonly recentWorkflows: readonly string[];
  readonly webhooks: { readonly url: string | undefined; start(): Promise<string> };
}

/** The only id the reference names; offered when nothing was used yet. */
const EXAMPLE_WORKFLOW = 'cdc_nhis_smoking';
const TITLE = 'Run Simulix Simulation';

/**
 * Four questions: workflow id (recent ones or free text), agent count (1–10,000), scenario context (none, a one-line
 * JSON object, or a JSON editor for longer ones) and the callback URL (none, the local listener, or a tunnel's URL).
 * Undefined when the user cancels any step.
 */
export async function askRunSimulationForm(deps: RunSimulationFormDeps): Promise<RunSimulationForm | undefined> {
  const workflowId = await askWorkflowId(deps.recentWorkflows);
  if (!workflowId) return undefined;
  const count = await vscode.window.showInputBox({
    title: `${TITLE} (2/4)`,
    prompt: vscode.l10n.t('How many synthetic agents? 1 to 10,000 (the Simulix v1 plan ceiling).'),
    value: '200',
    ignoreFocusOut: true,
    validateInput: validateAgentCount,
  });
  if (count === undefined) return undefined;
  const scenarioContext = await askScenarioContext();
  if (!scenarioContext) return undefined;
  const callback = await askCallbackUrl(deps.webhooks);
  if (!callback) return undefined;
  return { workflowId, agentCount: parseAgentCount(count), scenarioContext, callbackUrl: callback.url };
}

async function askWorkflowId(recent: readonly string[]): Promise<string | undefined> {
  const known = recent.length > 0 ? recent : [EXAMPLE_WORKFLOW];
  const pick = vscode.window.createQuickPick<vscode.QuickPickItem>();
  pick.title = `${TITLE} (1/4)`;
  pick.placeholder = vscode.l10n.t('Workflow id: pick a recent one or type any published id (e.g. cdc_nhis_smoking)');
  pick.ignoreFocusOut = true;
  const recentItems = known.map((id) => ({ label: id, description: recent.includes(id) ? vscode.l10n.t('recently used') : vscode.l10n.t('example') }));
  pick.items = recentItems;
  const typedItem = (value: string): vscode.QuickPickItem => ({ label: value.trim(), description: vscode.l10n.t('use this workflow id'), alwaysShow: true });
  pick.onDidChangeValue((value) => {
    const typed = value.trim();
    const problem = typed === '' ? undefined : validateWorkflowId(typed);
    if (problem) pick.items = [{ label: `$(error) ${problem}`, alwaysShow: true }, ...recentItems];
    else pick.items = typed === '' || known.includes(typed) ? recentItems : [typedItem(typed), ...recentItems];
  });
  try {
    return await new Promise<string | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0]?.label ?? pick.value.trim();
        if (chosen.startsWith('$(error)') || validateWorkflowId(chosen)) return;
        resolve(chosen.trim());
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

interface ScenarioChoice extends vscode.QuickPickItem {
  readonly how: 'none' | 'inline' | 'editor';
}

async function askScenarioContext(): Promise<Record<string, unknown> | undefined> {
  const choices: ScenarioChoice[] = [
    { label: vscode.l10n.t('No scenario context'), description: '{}', how: 'none' },
    { label: vscode.l10n.t('Type a JSON object…'), description: vscode.l10n.t('one line, e.g. {"region": "South"}'), how: 'inline' },
    { label: vscode.l10n.t('Edit in a JSON editor…'), description: vscode.l10n.t('for longer contexts; confirm when done'), how: 'editor' },
  ];
  const choice = await vscode.window.showQuickPick(choices, { title: `${TITLE} (3/4)`, placeHolder: vscode.l10n.t('Scenario context: a JSON object passed to the workflow'), ignoreFocusOut: true });
  if (!choice) return undefined;
  if (choice.how === 'none') return {};
  if (choice.how === 'inline') {
    const text = await vscode.window.showInputBox({
      title: `${TITLE} (3/4)`,
      prompt: vscode.l10n.t('Scenario context as a JSON object. A key naming one of the workflow\u2019s demographics pins every agent to that level.'),
      value: '{}',
      ignoreFocusOut: true,
      validateInput: (value) => {
        const parsed = parseScenarioContext(value);
        return parsed.ok ? undefined : parsed.message;
      },
    });
    if (text === undefined) return undefined;
    const parsed = parseScenarioContext(text);
    return parsed.ok ? parsed.value : undefined;
  }
  return editScenarioContext();
}

/**
 * An untitled JSON document (VS Code's JSON editor: highlighting, bracket matching, errors as you type) and a
 * notification to confirm from; the text is checked on confirm and the document stays open until it is a JSON object.
 */
async function editScenarioContext(): Promise<Record<string, unknown> | undefined> {
  const document = await vscode.workspace.openTextDocument({ language: 'json', content: '{\n  "region": "US"\n}\n' });
  await vscode.window.showTextDocument(document, { preview: false });
  const use = vscode.l10n.t('Use This Scenario Context');
  const cancel = vscode.l10n.t('Cancel');
  let problem: string | undefined;
  for (;;) {
    const message = problem
      ? vscode.l10n.t('The scenario context is not usable yet: {0} Fix it in the editor, then confirm.', problem)
      : vscode.l10n.t('Edit the scenario context (a JSON object) in the editor, then confirm.');
    const choice = problem ? await vscode.window.showWarningMessage(message, use, cancel) : await vscode.window.showInformationMessage(message, use, cancel);
    if (choice !== use) return undefined;
    const parsed = parseScenarioContext(document.getText());
    if (parsed.ok) {
      await closeUntitled(document);
      return parsed.value;
    }
    problem = parsed.message;
  }
}

async function closeUntitled(document: vscode.TextDocument): Promise<void> {
  const editor = vscode.window.visibleTextEditors.find((e) => e.document === document);
  if (!editor) return;
  await vscode.window.showTextDocument(document, { preview: false, preserveFocus: false });
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

interface CallbackChoice extends vscode.QuickPickItem {
  readonly how: 'none' | 'listener' | 'start' | 'enter';
}

async function askCallbackUrl(webhooks: RunSimulationFormDeps['webhooks']): Promise<{ url?: string } | undefined> {
  const running = webhooks.url;
  const choices: CallbackChoice[] = [];
  if (running) choices.push({ label: vscode.l10n.t('Local webhook listener'), description: running, detail: vscode.l10n.t('Signed deliveries are verified by Sim Cloud; the tree updates the moment the simulation ends.'), how: 'listener' });
  choices.push({ label: vscode.l10n.t('No webhook'), description: vscode.l10n.t('Sim Cloud polls the status (politely, per Retry-After)'), how: 'none' });
  if (!running) choices.push({ label: vscode.l10n.t('Start the local webhook listener and use it'), description: '127.0.0.1', how: 'start' });
  choices.push({ label: vscode.l10n.t('Enter a callback URL…'), description: vscode.l10n.t('e.g. your tunnel\u2019s public https URL'), how: 'enter' });
  const choice = await vscode.window.showQuickPick(choices, { title: `${TITLE} (4/4)`, placeHolder: vscode.l10n.t('Callback URL for the simulation.completed / simulation.failed webhook'), ignoreFocusOut: true });
  if (!choice) return undefined;
  switch (choice.how) {
    case 'none':
      return {};
    case 'listener':
      return { url: running };
    case 'start':
      return { url: await webhooks.start() };
    case 'enter': {
      const url = await vscode.window.showInputBox({
        title: `${TITLE} (4/4)`,
        prompt: vscode.l10n.t('Callback URL: https://… (a tunnel to the local listener, or your own receiver), or http:// to a loopback host.'),
        placeHolder: 'https://example.trycloudflare.com/webhooks/simulix', // l10n-exempt: an example URL
        ignoreFocusOut: true,
        validateInput: validateCallbackUrl,
      });
      if (url === undefined) return undefined;
      return url.trim() === '' ? {} : { url: url.trim() };
    }
  }
}
