import type * as vscode from 'vscode';
import type { JobOrigin } from '../../core/jobs/JobOrigins';
import type { ProviderId } from '../../core/providers/providerCatalog';
import type { JobSpecOf, SpecKind } from '../../core/spec/JobSpec';

/** A checked spec on its way to its provider, with where it came from (recorded as the job's origin). */
export interface SpecSubmission<K extends SpecKind> {
  readonly spec: JobSpecOf<K>;
  readonly specUri: vscode.Uri;
  readonly folder: vscode.WorkspaceFolder;
  readonly sweep: boolean;
  /** The caller already confirmed the cost: no second prompt. */
  readonly confirmed: boolean;
  readonly origin: JobOrigin;
}

/** Submits one kind through its provider's own submit path (the form's second half); undefined when the user declined. */
export type SpecSubmitter<K extends SpecKind> = (submission: SpecSubmission<K>) => Promise<{ readonly provider: ProviderId; readonly id: string } | undefined>;

/** Kind → submitter: each provider registers its kinds when its features load. */
export class SpecSubmitters {
  private readonly submitters = new Map<SpecKind, SpecSubmitter<SpecKind>>();

  register<K extends SpecKind>(kind: K, submitter: SpecSubmitter<K>): void {
    this.submitters.set(kind, submitter as unknown as SpecSubmitter<SpecKind>);
  }

  get<K extends SpecKind>(kind: K): SpecSubmitter<K> | undefined {
    return this.submitters.get(kind) as SpecSubmitter<K> | undefined;
  }
}
