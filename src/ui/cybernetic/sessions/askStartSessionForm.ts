import * as vscode from 'vscode';
import type { Resource } from '../../../core/jobs/Resource';
import type { CyberneticEnvironment, StartSessionRequest } from '../../../providers/cybernetic/CyberneticApi';
import { formatUsd } from '../../../providers/cybernetic/cyberneticResources';
import { askInput } from '../../accounts/askInput';
import { DEFAULT_IDLE_TIMEOUT_MINUTES, DEFAULT_MAX_RUNTIME_MINUTES, GPU_CATALOG, MAX_RUNTIME_LIMIT_MINUTES, parseMinutes, worstCaseCost, type GpuOption } from './gpuCatalog';

/** What the user chose, with the list price the confirmation quotes. */
export interface StartSessionForm {
  readonly request: StartSessionRequest;
  readonly gpu: GpuOption;
  /** "warehouse-scene v2", for the confirmation; undefined for an empty stage. */
  readonly environmentLabel?: string;
  /** The stopped session it restarts from, for the confirmation. */
  readonly fromSession?: string;
}

/** The environments to offer, or why there are none (a key without isaac:read, say). */
export type EnvironmentChoices = { environments: readonly CyberneticEnvironment[] } | { problem: string };

const LAST_FORM_KEY = 'simcloud.cybernetic.lastSessionForm';

interface LastForm {
  gpuSpec?: string;
  maxRuntimeMinutes?: number;
  idleTimeoutMinutes?: number;
}

type Item<T> = vscode.QuickPickItem & { value?: T };

/**
 * Start Isaac Sim Session as a few quick steps: start fresh or restart from a stopped session, the GPU (with its price),
 * the runtime limit (with the most it can cost), the idle timeout, and for a fresh start the environment and version.
 * Resolves undefined when the user presses Escape at any step. Environments are listed only when the user gets there.
 */
export async function askStartSessionForm(state: vscode.Memento, stoppedSessions: readonly Resource[], environments: () => Promise<EnvironmentChoices>): Promise<StartSessionForm | undefined> {
  const title = vscode.l10n.t('Start Isaac Sim Session');
  const last = state.get<LastForm>(LAST_FORM_KEY) ?? {};
  const canRestart = stoppedSessions.length > 0;
  const total = canRestart ? 5 : 4;
  let step = 1;

  let from: Resource | undefined;
  if (canRestart) {
    const fresh: Item<undefined> = { label: vscode.l10n.t('New session'), detail: vscode.l10n.t('An empty stage, or a saved environment.') };
    const restart: Item<undefined> = { label: vscode.l10n.t('Restart from a previous session'), detail: vscode.l10n.t('Pick a stopped session to continue from its state.') };
    const start = await pickStep([fresh, restart], { title, step: step++, total, placeholder: vscode.l10n.t('How should the session start?') });
    if (!start) return undefined;
    if (start === restart) {
      const items: Item<Resource>[] = stoppedSessions.map((resource) => ({ label: resource.id, description: resource.facts.join(' · '), detail: resource.finishedAt ? vscode.l10n.t('stopped {0}', new Date(resource.finishedAt).toLocaleString()) : undefined, value: resource }));
      const chosen = await pickStep(items, { title, step: step++, total, placeholder: vscode.l10n.t('Restart from which stopped session?') });
      if (!chosen?.value) return undefined;
      from = chosen.value;
    }
  }

  const gpuItems: Item<GpuOption>[] = GPU_CATALOG.map((gpu) => ({ label: gpu.spec, description: vscode.l10n.t('{0} per hour · {1} GB', formatUsd(gpu.costPerHour), gpu.vramGb), value: gpu }));
  const lastGpu = gpuOf(from?.raw) ?? last.gpuSpec;
  const gpuItem = await pickStep(gpuItems, { title, step: step++, total, placeholder: vscode.l10n.t('GPU (list price per hour, billed per second while running)'), active: gpuItems.find((item) => item.label === lastGpu) });
  if (!gpuItem?.value) return undefined;
  const gpu = gpuItem.value;

  const runtime = await askInput({
    title,
    step: step++,
    totalSteps: total,
    prompt: vscode.l10n.t('Maximum runtime in minutes: the session stops itself then.'),
    value: String(last.maxRuntimeMinutes ?? DEFAULT_MAX_RUNTIME_MINUTES),
    validate: (value) => minutesProblem(value, 1, MAX_RUNTIME_LIMIT_MINUTES),
    describe: (value) => {
      const minutes = parseMinutes(value, 1, MAX_RUNTIME_LIMIT_MINUTES);
      return minutes === undefined ? undefined : vscode.l10n.t('At most {0} on {1} ({2} per hour).', formatUsd(worstCaseCost(gpu.costPerHour, minutes)), gpu.spec, formatUsd(gpu.costPerHour));
    },
  });
  if (runtime === undefined) return undefined;
  const maxRuntimeMinutes = Number(runtime);

  const idle = await askInput({
    title,
    step: step++,
    totalSteps: total,
    prompt: vscode.l10n.t('Idle timeout in minutes: the session stops after this long without viewer activity.'),
    value: String(Math.min(last.idleTimeoutMinutes ?? DEFAULT_IDLE_TIMEOUT_MINUTES, maxRuntimeMinutes)),
    validate: (value) => minutesProblem(value, 1, maxRuntimeMinutes),
  });
  if (idle === undefined) return undefined;
  const idleTimeoutMinutes = Number(idle);

  let request: StartSessionRequest = { gpuSpec: gpu.spec, maxRuntimeMinutes, idleTimeoutMinutes };
  let environmentLabel: string | undefined;
  if (from) {
    request = { ...request, fromSessionId: from.id };
  } else {
    const chosen = await pickEnvironment(title, step, total, environments);
    if (!chosen) return undefined;
    request = { ...request, ...chosen.request };
    environmentLabel = chosen.label;
  }
  await state.update(LAST_FORM_KEY, { gpuSpec: gpu.spec, maxRuntimeMinutes, idleTimeoutMinutes } satisfies LastForm);
  return { request, gpu, environmentLabel, fromSession: from?.id };
}

interface EnvironmentChoice {
  request: Pick<StartSessionRequest, 'envId' | 'baseVersionId'>;
  label?: string;
}

/** One pick for both: "no environment", each environment (its latest version), and each of its versions. */
async function pickEnvironment(title: string, step: number, total: number, environments: () => Promise<EnvironmentChoices>): Promise<EnvironmentChoice | undefined> {
  const none: Item<EnvironmentChoice> = { label: vscode.l10n.t('No environment'), detail: vscode.l10n.t('Start with an empty stage.'), value: { request: {} } };
  const quickPick = vscode.window.createQuickPick<Item<EnvironmentChoice>>();
  Object.assign(quickPick, { title, step, totalSteps: total, placeholder: vscode.l10n.t('Environment and version to load'), ignoreFocusOut: true, busy: true, items: [none] });
  const answer = waitForPick(quickPick);
  quickPick.show();
  const choices = await environments();
  if ('problem' in choices) {
    quickPick.items = [{ ...none, detail: vscode.l10n.t('Environments could not be listed: {0}', choices.problem) }];
  } else {
    quickPick.items = [none, ...choices.environments.flatMap((env) => environmentItems(env))];
  }
  quickPick.busy = false;
  return (await answer)?.value;
}

function environmentItems(env: CyberneticEnvironment): Item<EnvironmentChoice>[] {
  const envId = env.envId ?? env.id;
  if (!envId) return [];
  const versions = env.versions ?? [];
  const items: Item<EnvironmentChoice>[] = [
    { label: env.name, kind: vscode.QuickPickItemKind.Separator },
    { label: env.name, description: vscode.l10n.t('latest version'), detail: env.description ?? undefined, value: { request: { envId }, label: env.name } },
  ];
  versions.forEach((version, index) => {
    const versionId = version.versionId ?? version.id;
    if (!versionId) return;
    const number = typeof (version as { version?: unknown }).version === 'number' ? (version as { version: number }).version : index + 1;
    const label = vscode.l10n.t('{0} v{1}', env.name, number);
    items.push({ label: `$(versions) ${label}`, description: versionId, detail: version.notes ?? undefined, value: { request: { envId, baseVersionId: versionId }, label } });
  });
  return items;
}

function gpuOf(raw: unknown): string | undefined {
  const spec = (raw as { gpuSpec?: unknown } | undefined)?.gpuSpec;
  return typeof spec === 'string' ? spec : undefined;
}

function minutesProblem(value: string, min: number, max: number): string | undefined {
  return parseMinutes(value, min, max) === undefined ? vscode.l10n.t('Enter a whole number of minutes from {0} to {1}.', min, max) : undefined;
}

function pickStep<T extends vscode.QuickPickItem>(items: readonly T[], options: { title: string; step: number; total: number; placeholder: string; active?: T }): Promise<T | undefined> {
  const quickPick = vscode.window.createQuickPick<T>();
  Object.assign(quickPick, { title: options.title, step: options.step, totalSteps: options.total, placeholder: options.placeholder, items, ignoreFocusOut: true, matchOnDescription: true });
  if (options.active) quickPick.activeItems = [options.active];
  const answer = waitForPick(quickPick);
  quickPick.show();
  return answer;
}

function waitForPick<T extends vscode.QuickPickItem>(quickPick: vscode.QuickPick<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (value: T | undefined) => {
      if (done) return;
      done = true;
      quickPick.dispose();
      resolve(value);
    };
    quickPick.onDidAccept(() => finish(quickPick.selectedItems[0] ?? quickPick.activeItems[0]));
    quickPick.onDidHide(() => finish(undefined));
  });
}
