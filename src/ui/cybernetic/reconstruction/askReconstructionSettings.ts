import * as vscode from 'vscode';
import { formatUsd } from '../../../providers/cybernetic/cyberneticResources';
import { parseSetting, SETTING_LIMITS, worstCaseUsd, type NumericSetting, type ReconstructionSettings } from './reconstructionSettings';

type Row = vscode.QuickPickItem & { readonly action: 'submit' | 'exportUsdz' | NumericSetting };

/**
 * One review list instead of six questions: the first row submits with what is shown (so the defaults cost one
 * Enter), every other row is a setting that opens its own input and comes back here. The first row also carries the
 * cost bound, because the service states its estimate only once the job exists.
 */
export async function askReconstructionSettings(initial: ReconstructionSettings, input: { kind: 'photos' | 'video'; count: number; bytes: string }): Promise<ReconstructionSettings | undefined> {
  let settings = initial;
  for (;;) {
    const rows = reviewRows(settings, input.kind);
    const picked = await vscode.window.showQuickPick(rows, {
      title: vscode.l10n.t('Reconstruct 3D Asset — {0}', input.kind === 'video' ? vscode.l10n.t('1 video, {0}', input.bytes) : vscode.l10n.t('{0} photos, {1}', input.count, input.bytes)),
      placeHolder: vscode.l10n.t('Start, or pick a setting to change it'),
      ignoreFocusOut: true,
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    if (picked.action === 'submit') return settings;
    if (picked.action === 'exportUsdz') {
      settings = { ...settings, exportUsdz: !settings.exportUsdz };
      continue;
    }
    const value = await askNumber(picked.action, settings[picked.action]);
    if (value !== undefined) settings = { ...settings, [picked.action]: value };
  }
}

function reviewRows(settings: ReconstructionSettings, kind: 'photos' | 'video'): Row[] {
  const bound = formatUsd(worstCaseUsd(settings));
  const rows: Row[] = [
    {
      action: 'submit',
      label: `$(rocket) ${vscode.l10n.t('Upload and Start Reconstruction')}`,
      description: vscode.l10n.t('at most {0}', bound),
      detail: vscode.l10n.t('Capped by the guardrails: {0} min × {1}/h. The estimate comes with the job, with a way to cancel it.', settings.maxRuntimeMinutes, formatUsd(settings.maxHourlyPrice)),
    },
    { action: 'maxResolution', label: vscode.l10n.t('Max resolution'), description: vscode.l10n.t('{0} px (longest image side)', settings.maxResolution) },
  ];
  if (kind === 'video') rows.push({ action: 'extractFps', label: vscode.l10n.t('Frames per second from the video'), description: String(settings.extractFps) });
  rows.push(
    { action: 'exportUsdz', label: vscode.l10n.t('Export USDZ'), description: settings.exportUsdz ? vscode.l10n.t('yes (select to turn off)') : vscode.l10n.t('no (select to turn on)') },
    { action: 'maxRuntimeMinutes', label: vscode.l10n.t('Guardrail: max runtime'), description: vscode.l10n.t('{0} min', settings.maxRuntimeMinutes) },
    { action: 'maxHourlyPrice', label: vscode.l10n.t('Guardrail: max GPU price'), description: vscode.l10n.t('{0}/h', formatUsd(settings.maxHourlyPrice)) },
    { action: 'gpuMinVram', label: vscode.l10n.t('Guardrail: min GPU memory'), description: vscode.l10n.t('{0} GB', settings.gpuMinVram) },
  );
  return rows;
}

async function askNumber(name: NumericSetting, current: number): Promise<number | undefined> {
  const limits = SETTING_LIMITS[name];
  const prompts: Record<NumericSetting, string> = {
    extractFps: vscode.l10n.t('Frames per second to extract from the video'),
    maxResolution: vscode.l10n.t('Longest image side in pixels (higher is sharper and slower)'),
    maxRuntimeMinutes: vscode.l10n.t('The job is refused if its estimated runtime exceeds this many minutes'),
    maxHourlyPrice: vscode.l10n.t('The most the GPU may cost per hour, in USD'),
    gpuMinVram: vscode.l10n.t('The least GPU memory, in GB'),
  };
  const text = await vscode.window.showInputBox({
    title: vscode.l10n.t('Reconstruct 3D Asset — setting'),
    prompt: `${prompts[name]} (${limits.min}–${limits.max})`,
    value: String(current),
    ignoreFocusOut: true,
    validateInput: (value) => (parseSetting(name, value) === undefined ? vscode.l10n.t('Enter a {0} from {1} to {2}.', limits.integer ? vscode.l10n.t('whole number') : vscode.l10n.t('number'), limits.min, limits.max) : undefined),
  });
  return text === undefined ? undefined : parseSetting(name, text);
}
