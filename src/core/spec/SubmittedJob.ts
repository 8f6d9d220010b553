import type { ProviderId } from '../providers/providerCatalog';

/**
 * What `simcloud.spec.submit` answers (undefined when the user cancelled): the job the spec made, so a task can
 * follow it to its end and a language-model tool can name it.
 */
export interface SubmittedJob {
  readonly provider: ProviderId;
  /** The provider's id of the job (a sweep id for a sweep). */
  readonly id: string;
  /** Workspace-relative path of the spec file, `/` separators. */
  readonly specFile: string;
  readonly commit?: string;
}

/** Options of `simcloud.spec.submit(uri, options)`. */
export interface SpecSubmitOptions {
  /** Submit the spec's parameter grid as a sweep (the "Submit Sweep" CodeLens). */
  readonly sweep?: boolean;
  /** The caller already asked the user (a language-model tool's confirmation): no second cost prompt. */
  readonly confirmed?: boolean;
  /** Recorded as the job's origin. */
  readonly via?: 'spec' | 'task' | 'tool';
}

export const SUBMIT_SPEC_COMMAND = 'simcloud.spec.submit';
