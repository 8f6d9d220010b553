import * as vscode from 'vscode';
import { EXAMPLE_GRID, parseParameterGrid, type ParameterGrid } from '../../providers/simulacrum/parameterGrid';
import { askInput } from '../accounts/askInput';
import { askGvisor, askOptional, askPythonScript } from './askRenderJobForm';

export interface SweepForm {
  readonly python_script: string;
  readonly parameter_grid: ParameterGrid;
  readonly map_path?: string;
  readonly require_gvisor: boolean;
}

const LAST_SWEEP_KEY = 'simcloud.simulacrum.lastSweepForm';

/**
 * Submit Sweep's form: the script, the parameter grid as JSON (checked as you type, with the variant count — each
 * variant is a GPU), and the map. Resolves undefined on Escape.
 */
export async function askSweepForm(workspaceState: vscode.Memento, folder: vscode.WorkspaceFolder, title: string): Promise<(SweepForm & { variants: number }) | undefined> {
  const last = workspaceState.get<Partial<SweepForm>>(LAST_SWEEP_KEY) ?? {};
  const script = await askPythonScript(folder, title, last.python_script);
  if (!script) return undefined;
  const gridText = await askInput({
    title,
    prompt: vscode.l10n.t('Parameter grid as JSON: every combination runs as its own training job on its own GPU.'),
    value: last.parameter_grid ? JSON.stringify(last.parameter_grid) : EXAMPLE_GRID,
    validate: (text) => {
      const parsed = parseParameterGrid(text);
      return 'problem' in parsed ? parsed.problem : undefined;
    },
    describe: (text) => {
      const parsed = parseParameterGrid(text);
      return 'variants' in parsed ? vscode.l10n.t('{0} variants = {0} GPUs, each billed separately', parsed.variants) : undefined;
    },
  });
  if (gridText === undefined) return undefined;
  const parsed = parseParameterGrid(gridText);
  if ('problem' in parsed) return undefined;
  const mapPath = await askOptional(title, vscode.l10n.t('Map path (optional), e.g. /Game/Maps/MyMap'), last.map_path);
  if (mapPath === null) return undefined;
  const gvisor = await askGvisor(title, last.require_gvisor);
  if (gvisor === undefined) return undefined;
  const form: SweepForm = { python_script: script, parameter_grid: parsed.grid, map_path: mapPath || undefined, require_gvisor: gvisor };
  await workspaceState.update(LAST_SWEEP_KEY, form);
  return { ...form, variants: parsed.variants };
}
