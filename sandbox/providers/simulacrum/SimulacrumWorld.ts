// Everything one sandbox's Simulacrum remembers, shared by the API routes and the control routes.
import type { SandboxContext } from '../ProviderModule';
import { SimulacrumAccounts } from './SimulacrumAccounts';
import { SimulacrumIds } from './SimulacrumIds';
import { SimulacrumJobs } from './SimulacrumJobs';
import { SimulacrumOutputs } from './SimulacrumOutputs';
import { SimulacrumProjects } from './SimulacrumProjects';
import { SIMULACRUM_POLICY as P } from './simulacrumPolicy';
import { SubmissionWindow } from './SubmissionWindow';

export interface SimulacrumWorld {
  readonly ctx: SandboxContext;
  readonly accounts: SimulacrumAccounts;
  readonly projects: SimulacrumProjects;
  readonly jobs: SimulacrumJobs;
  readonly ids: SimulacrumIds;
  readonly submissions: SubmissionWindow;
  /** Absent when the sandbox runs without storage. */
  readonly outputs?: SimulacrumOutputs;
  readonly container: string;
  sweepsCreated: number;
}

export function createSimulacrumWorld(ctx: SandboxContext): SimulacrumWorld {
  const accounts = new SimulacrumAccounts();
  const container = ctx.credentials.azurite.container;
  return {
    ctx,
    accounts,
    projects: new SimulacrumProjects(),
    jobs: new SimulacrumJobs(accounts, ctx.clock.now()),
    ids: new SimulacrumIds(ctx.seed),
    submissions: new SubmissionWindow(ctx.clock, P.submissionWindowMs),
    outputs: ctx.storage && new SimulacrumOutputs(ctx.storage.azure, container),
    container,
    sweepsCreated: 0,
  };
}
