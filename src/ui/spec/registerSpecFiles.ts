import * as vscode from 'vscode';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import type { JobSpec } from '../../core/spec/JobSpec';
import { SUBMIT_SPEC_COMMAND, type SpecSubmitOptions } from '../../core/spec/SubmittedJob';
import { registerCommand } from '../commands/registerCommand';
import { SpecCodeLensProvider } from './SpecCodeLensProvider';
import { SpecCommands } from './SpecCommands';
import { SPEC_FILE_GLOB } from './specFileUri';
import { SpecSubmitters } from './SpecSubmitters';

export const SAVE_JOB_AS_SPEC_COMMAND = 'simcloud.job.saveAsSpec';

export interface SpecFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly store: JobStore;
  readonly log: Logger;
}

/** Spec files: the submit command every entry point uses, the CodeLens, and Save as Spec File from the Jobs view. */
export function registerSpecFiles({ context, store, log }: SpecFeatureDeps): {
  readonly submitters: SpecSubmitters;
  readonly commands: SpecCommands;
  /** Per provider: the spec a listed job was submitted with, when its record carries the request. */
  specFromResource: Map<Resource['provider'], (resource: Resource) => JobSpec | undefined>;
} {
  const submitters = new SpecSubmitters();
  const commands = new SpecCommands(submitters, log);
  const specFromResource = new Map<Resource['provider'], (resource: Resource) => JobSpec | undefined>();
  const lenses = new SpecCodeLensProvider();
  context.subscriptions.push(
    lenses,
    vscode.languages.registerCodeLensProvider({ pattern: SPEC_FILE_GLOB }, lenses),
    registerCommand(SUBMIT_SPEC_COMMAND, log, (uri, options) => commands.submit(uri, (options ?? {}) as SpecSubmitOptions)),
    registerCommand('simcloud.spec.new', log, () => commands.newSpec()),
    registerCommand(SAVE_JOB_AS_SPEC_COMMAND, log, async (node) => {
      const { provider, id } = (node ?? {}) as { provider?: Resource['provider']; id?: string };
      const resource = provider && id ? store.get(provider, id) : undefined;
      const spec = resource && specFromResource.get(resource.provider)?.(resource);
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!spec) throw new Error(vscode.l10n.t('The provider did not say how this job was submitted, so it cannot be saved as a spec file.'));
      if (!folder) throw new Error(vscode.l10n.t('Open a workspace folder first: spec files are saved in it.'));
      await commands.saveSpec(spec, folder);
    }),
  );
  return { submitters, commands, specFromResource };
}
