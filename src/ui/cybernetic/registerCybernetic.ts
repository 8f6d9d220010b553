import type * as vscode from 'vscode';
import { revealResource } from '../tree/revealResource';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobOrigins } from '../../core/jobs/JobOrigins';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource, ResourceKind } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import type { Redactor } from '../../core/log/Redactor';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import type { JobCommands, ResourceOperations } from '../jobs/JobCommands';
import type { JobLogChannels } from '../jobs/JobLogChannels';
import type { JobNotifier } from '../jobs/JobNotifier';
import type { JobSpec } from '../../core/spec/JobSpec';
import type { SpecSubmitters } from '../spec/SpecSubmitters';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';
import type { CyberneticFeatureContext } from './CyberneticFeatureContext';
import { createCyberneticSession } from './CyberneticSession';
import { registerApiKeys } from './keys/registerApiKeys';
import { registerBudget } from './budget/registerBudget';
import { registerEnvironments } from './environments/registerEnvironments';
import { registerEureka } from './eureka/registerEureka';
import { registerReconstruction } from './reconstruction/registerReconstruction';
import { registerSessions } from './sessions/registerSessions';

export interface CyberneticFeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly accounts: AccountsModel;
  readonly clients: ProviderClientFactory;
  readonly store: JobStore;
  readonly tree: JobsTreeDataProvider;
  readonly view: vscode.TreeView<unknown>;
  readonly jobCommands: JobCommands;
  readonly logChannels: JobLogChannels;
  readonly notifier: JobNotifier;
  readonly redactor: Redactor;
  readonly log: Logger;
  readonly origins: JobOrigins;
  readonly specs: SpecSubmitters;
  saveSpec(spec: JobSpec): Promise<unknown>;
}

/**
 * Cybernetic Physics in the extension: one connection (sessions listed, known jobs and runs polled) and a module per
 * area of the API. The generic job commands reach each kind's operations through one dispatcher.
 */
export function registerCybernetic(deps: CyberneticFeatureDeps): { refresh(): void } {
  const { context, log } = deps;
  const session = createCyberneticSession(deps.accounts, deps.clients, deps.store, deps.tree, context.globalState, log);
  context.subscriptions.push(session);
  const byKind = new Map<ResourceKind, ResourceOperations>();
  const forKind = (resource: Resource) => byKind.get(resource.kind);
  deps.jobCommands.register('cybernetic', {
    cancel: async (resource, options) => forKind(resource)?.cancel?.(resource, options),
    download: async (resource) => forKind(resource)?.download?.(resource),
    showLog: async (resource) => {
      const showLog = forKind(resource)?.showLog;
      if (showLog) await showLog(resource);
      else deps.logChannels.show(resource);
    },
    readLogPage: async (resource, offset, signal) => forKind(resource)?.readLogPage?.(resource, offset, signal),
  });
  const feature: CyberneticFeatureContext = {
    context,
    session,
    accounts: deps.accounts,
    clients: deps.clients,
    store: deps.store,
    tree: deps.tree,
    logChannels: deps.logChannels,
    notifier: deps.notifier,
    redactor: deps.redactor,
    log,
    origins: deps.origins,
    specs: deps.specs,
    saveSpec: (spec) => deps.saveSpec(spec),
    reveal: (resource) => void revealResource(deps.view, deps.tree, resource, log),
    registerOperations: (kind, operations) => byKind.set(kind, operations),
    resourceOf: (arg) => {
      const node = arg as { type?: string; provider?: string; id?: string } | undefined;
      return node?.type === 'resource' && node.provider === 'cybernetic' && node.id ? deps.store.get('cybernetic', node.id) : undefined;
    },
  };
  registerSessions(feature);
  registerEnvironments(feature);
  registerReconstruction(feature);
  registerEureka(feature);
  registerBudget(feature);
  registerApiKeys(feature);
  return { refresh: () => session.refresh() };
}
