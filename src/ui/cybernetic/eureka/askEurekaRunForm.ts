import * as vscode from 'vscode';
import type { CyberneticEnvironment, EurekaRunRequest } from '../../../providers/cybernetic/CyberneticApi';
import { askInput } from '../../accounts/askInput';
import { pick } from '../../simulacrum/askRenderJobForm';
import { COMMON_EUREKA_TASKS, EUREKA_LIMITS, isTaskId, wholeNumberIn } from './eurekaTasks';

const LAST_FORM_KEY = 'simcloud.cybernetic.lastEurekaForm';
const TOTAL_STEPS = 7;

/** The environments for the environment step, or why they could not be listed (the run can go without one). */
export type EnvironmentChoices = { readonly environments: readonly CyberneticEnvironment[] } | { readonly failure: string };

/**
 * Start Eureka Run as a short sequence of quick picks and input boxes, prefilled with the last choices made in this
 * workspace: task (pick list or any typed id), RL library, iterations, parallel candidates, seed, environment, notes.
 * Resolves undefined when the user presses Escape at any step.
 */
export async function askEurekaRunForm(workspaceState: vscode.Memento, title: string, environments: () => Promise<EnvironmentChoices>): Promise<EurekaRunRequest | undefined> {
  const last = workspaceState.get<Partial<EurekaRunRequest>>(LAST_FORM_KEY) ?? {};
  const taskId = await askTask(title, last.taskId);
  if (!taskId) return undefined;

  const libraries = [
    { label: 'rl_games', value: 'rl_games' as const, detail: vscode.l10n.t('RL Games (PPO), the IsaacLabEureka default') },
    { label: 'rsl_rl', value: 'rsl_rl' as const, detail: vscode.l10n.t('RSL-RL (PPO), common for legged robots') },
  ];
  const library = await pick(libraries, { title: stepTitle(title, 2), placeHolder: vscode.l10n.t('RL library to train each reward candidate with'), active: libraries.find((l) => l.value === last.rlLibrary) });
  if (!library) return undefined;

  const { iterations: it, parallelRuns: pr } = EUREKA_LIMITS;
  const iterations = await askNumber(stepTitle(title, 3), vscode.l10n.t('Eureka iterations (each asks the LLM for new reward candidates and trains them), {0}–{1}', it.min, it.max), last.maxTrainingIterations ?? it.default, it.min, it.max);
  if (iterations === undefined) return undefined;
  const parallel = await askNumber(stepTitle(title, 4), vscode.l10n.t('Reward candidates trained in parallel per iteration, {0}–{1}', pr.min, pr.max), last.numParallelRuns ?? pr.default, pr.min, pr.max);
  if (parallel === undefined) return undefined;

  const seedText = await askInput({
    title: stepTitle(title, 5),
    prompt: vscode.l10n.t('Random seed (optional: leave empty for none)'),
    value: last.seed === undefined ? '' : String(last.seed),
    allowEmpty: true,
    validate: (value) => (value.trim() === '' || wholeNumberIn(value, 0, 2 ** 31 - 1) !== undefined ? undefined : vscode.l10n.t('Enter a whole number from 0 to 2147483647, or leave it empty.')),
  });
  if (seedText === undefined) return undefined;

  const envId = await askEnvironment(stepTitle(title, 6), environments, last.envId);
  if (envId === null) return undefined;

  const notes = await askInput({ title: stepTitle(title, 7), prompt: vscode.l10n.t('Notes for this run (optional)'), value: last.notes ?? '', allowEmpty: true, validate: (value) => (value.length > 2000 ? vscode.l10n.t('Keep notes under 2,000 characters.') : undefined) });
  if (notes === undefined) return undefined;

  const form: EurekaRunRequest = {
    taskId,
    rlLibrary: library.value,
    maxTrainingIterations: iterations,
    numParallelRuns: parallel,
    seed: seedText === '' ? undefined : Number(seedText),
    envId: envId || undefined,
    notes: notes || undefined,
  };
  await workspaceState.update(LAST_FORM_KEY, form);
  return form;
}

function stepTitle(title: string, step: number): string {
  return `${title} (${step}/${TOTAL_STEPS})`;
}

/** The common tasks, plus whatever the user types as a task id of its own. */
function askTask(title: string, last: string | undefined): Promise<string | undefined> {
  type TaskItem = vscode.QuickPickItem & { taskId: string };
  const common: TaskItem[] = COMMON_EUREKA_TASKS.map((task) => ({ label: task.id, detail: task.about, taskId: task.id }));
  if (last && !common.some((item) => item.taskId === last)) common.unshift({ label: last, description: vscode.l10n.t('last used'), taskId: last });
  const quickPick = vscode.window.createQuickPick<TaskItem>();
  quickPick.title = stepTitle(title, 1);
  quickPick.placeholder = vscode.l10n.t('IsaacLab task: pick one or type any task id');
  quickPick.items = common;
  quickPick.ignoreFocusOut = true;
  quickPick.matchOnDetail = true;
  const active = common.find((item) => item.taskId === last);
  if (active) quickPick.activeItems = [active];
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: string | undefined) => {
      if (done) return;
      done = true;
      quickPick.dispose();
      resolve(value);
    };
    quickPick.onDidChangeValue((value) => {
      const typed = value.trim();
      const known = common.some((item) => item.taskId === typed);
      quickPick.items = typed && !known && isTaskId(typed) ? [{ label: typed, description: vscode.l10n.t('use this task id'), taskId: typed, alwaysShow: true }, ...common] : common;
    });
    quickPick.onDidAccept(() => {
      const chosen = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
      if (chosen) return finish(chosen.taskId);
      const typed = quickPick.value.trim();
      if (isTaskId(typed)) finish(typed);
    });
    quickPick.onDidHide(() => finish(undefined));
    quickPick.show();
  });
}

async function askNumber(title: string, prompt: string, value: number, min: number, max: number): Promise<number | undefined> {
  const text = await askInput({ title, prompt, value: String(value), validate: (v) => (wholeNumberIn(v, min, max) === undefined ? vscode.l10n.t('Enter a whole number from {0} to {1}.', min, max) : undefined) });
  return text === undefined ? undefined : wholeNumberIn(text, min, max);
}

/** '' for none, the env id, or null on Escape. */
async function askEnvironment(title: string, environments: () => Promise<EnvironmentChoices>, last: string | undefined): Promise<string | null> {
  type EnvItem = vscode.QuickPickItem & { envId: string };
  const none: EnvItem = { label: vscode.l10n.t('No custom environment'), detail: vscode.l10n.t("The task's own scene"), envId: '' };
  const listed = await environments();
  const items: EnvItem[] = [none];
  if ('failure' in listed) {
    none.detail = vscode.l10n.t('Environments could not be listed ({0}); the run can still use the task’s own scene.', listed.failure);
  } else {
    for (const env of listed.environments) {
      const id = env.envId ?? env.id;
      if (!id) continue;
      const versions = env.versions?.length ?? 0;
      items.push({ label: env.name, description: id, detail: [env.description, vscode.l10n.t('{0} version(s)', versions)].filter(Boolean).join(' · '), envId: id });
    }
  }
  const chosen = await pick(items, { title, placeHolder: vscode.l10n.t('Environment to train in (optional)'), active: items.find((item) => item.envId === (last ?? '')) });
  return chosen ? chosen.envId : null;
}
