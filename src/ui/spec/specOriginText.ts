import * as vscode from 'vscode';
import type { JobOrigin } from '../../core/jobs/JobOrigins';

/** "experiments/render.simjob.json @ 1a2b3c4 (uncommitted changes)": the tooltip's and details' "Spec file" value. */
export function specOriginText(origin: JobOrigin | undefined): string | undefined {
  if (!origin?.specFile) return undefined;
  const at = origin.commit ? ` @ ${origin.commit.slice(0, 7)}` : '';
  return `${origin.specFile}${at}${origin.dirty ? ` ${vscode.l10n.t('(uncommitted changes)')}` : ''}`;
}
