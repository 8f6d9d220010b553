import * as path from 'node:path';
import * as vscode from 'vscode';
import { askInput } from '../accounts/askInput';

export type RenderMode = 'annotations' | 'run_as_is' | 'docker_only';
export type SimMode = 'ComputerVision' | 'Multirotor' | 'Car';

/** What the user chose for POST /api/jobs/render, minus the project (the upload provides it). */
export interface RenderJobForm {
  readonly render_mode: RenderMode;
  readonly num_frames: number;
  readonly resolution: string;
  readonly python_script?: string;
  readonly python_args?: string;
  readonly map_path?: string;
  readonly sim_mode: SimMode;
  readonly require_gvisor: boolean;
}

const LAST_FORM_KEY = 'simcloud.simulacrum.lastRenderForm';
const RESOLUTIONS = ['1920x1080', '1280x720', '2560x1440', '3840x2160', '640x480'];

interface ModeItem extends vscode.QuickPickItem {
  readonly mode: RenderMode;
}

/**
 * The Submit Workspace Job form as a short sequence of quick picks and input boxes, prefilled with the last choices
 * made in this workspace. Resolves undefined when the user presses Escape at any step.
 */
export async function askRenderJobForm(workspaceState: vscode.Memento, folder: vscode.WorkspaceFolder, title: string): Promise<RenderJobForm | undefined> {
  const last = workspaceState.get<Partial<RenderJobForm>>(LAST_FORM_KEY) ?? {};
  const modes: ModeItem[] = [
    { mode: 'run_as_is', label: vscode.l10n.t('Training'), description: 'run_as_is', detail: vscode.l10n.t('Run a Python script in the simulator until it finishes or you complete it early.') },
    { mode: 'annotations', label: vscode.l10n.t('Annotations'), description: 'annotations', detail: vscode.l10n.t('Render a number of annotated frames.') },
    { mode: 'docker_only', label: vscode.l10n.t('Docker only'), description: 'docker_only', detail: vscode.l10n.t('Run a Python script in the container, without the simulator.') },
  ];
  const mode = await pick(modes, { title, placeHolder: vscode.l10n.t('What should the job do?'), active: modes.find((m) => m.mode === last.render_mode) });
  if (!mode) return undefined;
  const renderMode = mode.mode;

  let pythonScript: string | undefined;
  if (renderMode !== 'annotations') {
    pythonScript = await askPythonScript(folder, title, last.python_script);
    if (pythonScript === undefined) return undefined;
  }

  const pythonArgs = renderMode === 'annotations' ? undefined : await askOptional(title, vscode.l10n.t('Arguments for {0} (optional), e.g. --lr 0.001', pythonScript ?? ''), last.python_args);
  if (pythonArgs === null) return undefined;

  let numFrames = 0;
  let resolution = last.resolution ?? RESOLUTIONS[0];
  if (renderMode === 'annotations') {
    const frames = await askInput({
      title,
      prompt: vscode.l10n.t('How many frames to render?'),
      value: String(last.num_frames && last.num_frames > 0 ? last.num_frames : 60),
      validate: (value) => (/^\d+$/.test(value.trim()) && Number(value) > 0 ? undefined : vscode.l10n.t('Enter a whole number above 0.')),
    });
    if (frames === undefined) return undefined;
    numFrames = Number(frames);
    const chosen = await pick(
      RESOLUTIONS.map((label) => ({ label })),
      { title, placeHolder: vscode.l10n.t('Resolution'), active: { label: resolution } },
    );
    if (!chosen) return undefined;
    resolution = chosen.label;
  }

  const simModes: (vscode.QuickPickItem & { mode: SimMode })[] = [
    { mode: 'ComputerVision', label: 'ComputerVision' },
    { mode: 'Multirotor', label: 'Multirotor' },
    { mode: 'Car', label: 'Car' },
  ];
  const simMode = renderMode === 'docker_only' ? { mode: last.sim_mode ?? 'ComputerVision' } : await pick(simModes, { title, placeHolder: vscode.l10n.t('Simulator mode'), active: simModes.find((m) => m.mode === last.sim_mode) });
  if (!simMode) return undefined;

  const mapPath = renderMode === 'docker_only' ? undefined : await askOptional(title, vscode.l10n.t('Map path (optional), e.g. /Game/Maps/MyMap'), last.map_path);
  if (mapPath === null) return undefined;

  const gvisor = await askGvisor(title, last.require_gvisor);
  if (gvisor === undefined) return undefined;

  const form: RenderJobForm = {
    render_mode: renderMode,
    num_frames: numFrames,
    resolution,
    python_script: pythonScript,
    python_args: pythonArgs || undefined,
    map_path: mapPath || undefined,
    sim_mode: simMode.mode,
    require_gvisor: gvisor,
  };
  await workspaceState.update(LAST_FORM_KEY, form);
  return form;
}

/** A quick pick of the folder's .py files, paths relative to the folder (the root of the uploaded zip). */
export async function askPythonScript(folder: vscode.WorkspaceFolder, title: string, last: string | undefined): Promise<string | undefined> {
  const files = await vscode.workspace.findFiles(new vscode.RelativePattern(folder, '**/*.py'), '{**/node_modules/**,**/.venv/**,**/venv/**,**/.git/**,**/__pycache__/**}', 2000);
  const paths = files.map((uri) => path.posix.relative(folder.uri.path, uri.path)).sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
  if (paths.length === 0) {
    const typed = await askInput({ title, prompt: vscode.l10n.t('No .py files found in the workspace. Type the script path inside the uploaded project.'), value: last ?? 'train.py', validate: nonEmpty });
    return typed;
  }
  const items = paths.map((label) => ({ label }));
  const chosen = await pick(items, { title, placeHolder: vscode.l10n.t('Python script to run'), active: items.find((item) => item.label === last) });
  return chosen?.label;
}

/** `require_gvisor`: run the job's container under gVisor (stronger isolation). Resolves undefined on Escape. */
export async function askGvisor(title: string, last: boolean | undefined): Promise<boolean | undefined> {
  const items = [
    { label: vscode.l10n.t('Standard container'), description: 'require_gvisor: false', value: false },
    { label: vscode.l10n.t('gVisor sandbox'), description: 'require_gvisor: true', detail: vscode.l10n.t('Stronger isolation for untrusted code; may start more slowly.'), value: true },
  ];
  const chosen = await pick(items, { title, placeHolder: vscode.l10n.t('Isolation for the job'), active: items.find((item) => item.value === (last ?? false)) });
  return chosen?.value;
}

/** Resolves the trimmed text ('' when left empty), or null on Escape. */
export async function askOptional(title: string, prompt: string, last: string | undefined): Promise<string | null> {
  const value = await askInput({ title, prompt, value: last ?? '', allowEmpty: true, validate: () => undefined });
  return value === undefined ? null : value;
}

function nonEmpty(value: string): string | undefined {
  return value.trim() === '' ? vscode.l10n.t('Enter a value, or press Escape to cancel.') : undefined;
}

export function pick<T extends vscode.QuickPickItem>(items: readonly T[], options: { title: string; placeHolder: string; active?: T }): Promise<T | undefined> {
  const quickPick = vscode.window.createQuickPick<T>();
  quickPick.title = options.title;
  quickPick.placeholder = options.placeHolder;
  quickPick.items = items;
  quickPick.ignoreFocusOut = true;
  const active = options.active && items.find((item) => item.label === options.active?.label);
  if (active) quickPick.activeItems = [active];
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
    quickPick.show();
  });
}
