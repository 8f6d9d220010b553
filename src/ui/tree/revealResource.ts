import type * as vscode from 'vscode';
import type { Resource } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import type { JobsTreeDataProvider } from './JobsTreeDataProvider';

/**
 * Selects a just-submitted job in the Jobs view. A courtesy, never an error: the row may be hidden by the view's
 * filter, gone already (a poll removed it) or the view may be closed — then it is only logged.
 */
export async function revealResource(view: Pick<vscode.TreeView<unknown>, 'reveal'>, tree: JobsTreeDataProvider, resource: Resource, log: Logger): Promise<void> {
  const node = tree.shownNode(tree.resourceNode(resource.provider, resource.id));
  if (!node) {
    log.info(`${resource.id} is not shown in the Jobs view: its filter hides it.`);
    return;
  }
  try {
    await view.reveal(node, { select: true, focus: false, expand: true });
  } catch (error) {
    log.info(`Could not select ${resource.id} in the Jobs view: ${error instanceof Error ? error.message : String(error)}`);
  }
}
