import type * as vscode from 'vscode';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobOrigins } from '../../core/jobs/JobOrigins';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource, ResourceKind } from '../../core/jobs/Resource';
import type { Logger } from '../../core/log/Logger';
import type { Redactor } from '../../core/log/Redactor';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import type { ResourceOperations } from '../jobs/JobCommands';
import type { JobLogChannels } from '../jobs/JobLogChannels';
import type { JobNotifier } from '../jobs/JobNotifier';
import type { JobSpec } from '../../core/spec/JobSpec';
import type { SpecSubmitters } from '../spec/SpecSubmitters';
import type { JobsTreeDataProvider } from '../tree/JobsTreeDataProvider';
import type { CyberneticSession } from './CyberneticSession';

/** What every Cybernetic Physics feature module (sessions, environments, reconstruction, Eureka, budget, keys) gets. */
export interface CyberneticFeatureContext {
  readonly context: vscode.ExtensionContext;
  readonly session: CyberneticSession;
  readonly accounts: AccountsModel;
  readonly clients: ProviderClientFactory;
  readonly store: JobStore;
  readonly tree: JobsTreeDataProvider;
  readonly logChannels: JobLogChannels;
  readonly notifier: JobNotifier;
  readonly redactor: Redactor;
  readonly log: Logger;
  /** Where each session, run and reconstruction started here came from (the Jobs view's "mine"). */
  readonly origins: JobOrigins;
  /** Spec kinds this provider submits (src/ui/spec). */
  readonly specs: SpecSubmitters;
  /** Save as Spec File after a form: writes the request as a `*.simjob.json` in the workspace and opens it. */
  saveSpec(spec: JobSpec): Promise<unknown>;
  /** Selects the resource's row in the Jobs view. */
  reveal(resource: Resource): void;
  /** The job commands (Cancel, Download Results, Show Log) for one kind of Cybernetic resource. */
  registerOperations(kind: ResourceKind, operations: ResourceOperations): void;
  /** The Cybernetic resource a tree node (or a command argument) stands for, if any. */
  resourceOf(arg: unknown): Resource | undefined;
}
