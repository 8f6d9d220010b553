import * as vscode from 'vscode';
import type { Resource } from '../../../core/jobs/Resource';
import { registerCommand } from '../../commands/registerCommand';
import { resourceDescription } from '../../tree/resourceTreeItem';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import { sessionFormFromSpec } from './sessionSpecs';
import { SessionCommands } from './SessionCommands';
import { SessionWatcher } from './SessionWatcher';
import { ViewerPanel, type ViewerPanelDeps } from './ViewerPanel';

/**
 * Isaac Sim sessions: Start (with what it costs), Stop (also the generic Cancel), Publish as an environment version,
 * the viewer panel, and the notices when a session is running or near its runtime limit.
 */
export function registerSessions(feature: CyberneticFeatureContext): void {
  const { context, log, store } = feature;
  const viewerDeps: ViewerPanelDeps = {
    extensionUri: context.extensionUri,
    store,
    log,
    fetchSession: async (sessionId, signal) => {
      const connection = await feature.session.connection();
      return connection.api.getSession(sessionId, AbortSignal.any([signal, connection.signal]));
    },
    stop: (sessionId) => commands.stop(sessionId),
    publish: (sessionId) => commands.publish(sessionId),
    showError: (error, what) => commands.showError(error, what),
  };
  const openViewer = (sessionId: string, fresh?: Parameters<typeof ViewerPanel.open>[2]) => void ViewerPanel.open(viewerDeps, sessionId, fresh);
  const watcher = new SessionWatcher(store, context.globalState, {
    openViewer: (sessionId) => vscode.commands.executeCommand('simcloud.cybernetic.openViewer', sessionId),
    stop: (sessionId) => commands.stop(sessionId).catch((error: unknown) => commands.showError(error, vscode.l10n.t('Stopping the session failed.'))),
  });
  const commands: SessionCommands = new SessionCommands(feature, watcher, openViewer);

  feature.specs.register('cybernetic.session', async ({ spec, confirmed, origin }) => {
    const id = await commands.startWith(await feature.session.connection(), sessionFormFromSpec(spec), { confirmed, origin });
    return id === undefined ? undefined : { provider: 'cybernetic', id };
  });
  feature.registerOperations('session', { cancel: async (resource, options) => void (await commands.stop(resource, options)) });

  /** A session from a tree node, a session id (notifications), or a quick pick of the sessions that allow it. */
  const sessionFor = async (arg: unknown, allowed: (r: Resource) => boolean, placeHolder: string): Promise<string | undefined> => {
    const fromNode = feature.resourceOf(arg);
    if (fromNode?.kind === 'session') return fromNode.id;
    if (typeof arg === 'string' && arg !== '') return arg;
    const candidates = commands.sessions().filter(allowed);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('No Isaac Sim session in the Sim Cloud view allows this right now.'));
      return undefined;
    }
    const now = Date.now();
    const picked = await vscode.window.showQuickPick(
      candidates.map((r) => ({ label: r.id, description: resourceDescription(r, now) })),
      { placeHolder },
    );
    return picked?.label;
  };
  const active = (r: Resource) => r.status === 'running' || r.status === 'queued';

  context.subscriptions.push(
    watcher,
    registerCommand('simcloud.cybernetic.startSession', log, () => commands.start()),
    registerCommand('simcloud.cybernetic.openViewer', log, async (arg) => {
      const id = await sessionFor(arg, active, vscode.l10n.t('Open the viewer of which session?'));
      if (id) await commands.openViewer(id);
    }),
    registerCommand('simcloud.cybernetic.stopSession', log, async (arg) => {
      const id = await sessionFor(arg, active, vscode.l10n.t('Stop which session?'));
      if (id) await commands.stop(id);
    }),
    registerCommand('simcloud.cybernetic.publishSession', log, async (arg) => {
      const id = await sessionFor(arg, (r) => r.status === 'running', vscode.l10n.t('Publish which running session?'));
      if (id) await commands.publish(id);
    }),
    ViewerPanel.registerSerializer(viewerDeps),
  );
}
