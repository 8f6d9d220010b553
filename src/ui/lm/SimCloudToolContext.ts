import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { ProviderId } from '../../core/providers/providerCatalog';
import type { SubmittedJob } from '../../core/spec/SubmittedJob';
import type { SimulacraApi } from '../../providers/simulacra/SimulacraApi';
import type { SimulacraJobSource } from '../../providers/simulacra/SimulacraJobSource';
import type { ReadLogPage } from '../tasks/SimJobTaskTerminal';

/** What a spec file says about itself, for a confirmation: read as plain JSON, the spec engineer's code validates it. */
export interface SpecSummary {
  /** Workspace-relative, `/` separators. */
  readonly path: string;
  readonly provider?: string;
  readonly kind?: string;
  /** What drives the cost, for the confirmation ("4 variants (one GPU each)", "L40S for up to 120 minutes"). */
  readonly costFacts?: readonly string[];
  /** SHA-256 of the file's bytes: what the user confirmed is what gets submitted. */
  readonly sha256?: string;
}

/**
 * Everything the language-model tools need, as narrow functions: the composition root wires them to the JobStore,
 * the provider sessions and the commands; tests wire them to the sandbox.
 */
export interface SimCloudToolContext {
  readonly store: Pick<JobStore, 'get' | 'list' | 'children'>;
  isSignedIn(provider: ProviderId): boolean;
  /** Simulacra's API and job source for the signed-in account; throws NotSignedInError otherwise. */
  simulacra(): Promise<{ readonly api: Pick<SimulacraApi, 'getSchema' | 'createGeneration'>; readonly source: Pick<SimulacraJobSource, 'afterGeneration'> }>;
  /** Cancels without a second prompt (the tool's confirmation was the prompt); false when the provider cannot. */
  cancel(resource: Resource): Promise<boolean>;
  logReader(resource: Resource): ReadLogPage | undefined;
  /** Reads a spec file inside the workspace; throws an Error that says what is wrong (outside, missing, not JSON). */
  readSpec(relativePath: string): Promise<SpecSummary>;
  /** `simcloud.spec.submit(uri, { confirmed: true, via: 'tool' })`. */
  submitSpec(relativePath: string, options: { sweep?: boolean; sha256?: string }): Promise<SubmittedJob | undefined>;
  refresh(provider: ProviderId): void;
  redact(text: string): string;
}
