import type { CredentialClaim, InFlightOperation, JobSubmission } from './InFlightOperation';

/**
 * How long a stored Idempotency-Key still replays its first answer. Simulacra keeps keys 24 h; an hour less leaves
 * room for clock skew and for the resumed request itself.
 */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 23 * 60 * 60_000;

/** What is true now, after the reload, that the decision depends on. */
export interface ResumeFacts {
  readonly now: number;
  /** The account signed in now for a provider (origin + fingerprint), if any. */
  readonly accountId: (provider: string) => string | undefined;
  readonly fileExists: (filePath: string) => boolean;
}

export type ResumeDecision =
  /** Run it again as it was: safe because its create carries the same Idempotency-Key, or (downloads) because it creates nothing. */
  | { readonly action: 'resume' }
  /** The job may or may not exist: the job list says (never sent again on a guess: the API has no Idempotency-Key). */
  | { readonly action: 'find-job' }
  /** The claim may have been redeemed: the access request says whether its token is still unused. */
  | { readonly action: 'check-claim' }
  | { readonly action: 'report'; readonly outcome: ReportOutcome };

export type ReportOutcome =
  /** The upload of the workspace was cut off: nothing was submitted. */
  | 'not-submitted'
  /** Signed out or into another account since: resuming would create it in the wrong tenant. */
  | 'account-changed'
  /** The file to send again is gone. */
  | 'file-gone'
  /** Too old: its Idempotency-Key no longer replays, so sending again could create it twice. */
  | 'key-expired';

export function decideResume(entry: InFlightOperation, facts: ResumeFacts): ResumeDecision {
  switch (entry.kind) {
    case 'dataset-upload': {
      if (facts.accountId(entry.provider) !== entry.accountId) return report('account-changed');
      if (facts.now - Date.parse(entry.startedAt) > IDEMPOTENCY_KEY_LIFETIME_MS) return report('key-expired');
      if (!facts.fileExists(entry.filePath)) return report('file-gone');
      return { action: 'resume' };
    }
    case 'job-submission':
      if (entry.stage === 'uploading') return report('not-submitted');
      if (facts.accountId(entry.provider) !== entry.accountId) return report('account-changed');
      return { action: 'find-job' };
    case 'download':
      return { action: 'resume' };
    case 'credential-claim':
      return entry.stage === 'claiming' ? { action: 'check-claim' } : { action: 'resume' };
  }
}

function report(outcome: ReportOutcome): ResumeDecision {
  return { action: 'report', outcome };
}

/** A job as the provider's list shows it: enough to tell whether a submission created it. */
export interface ListedJob {
  readonly jobId: string;
  readonly projectId?: string;
  readonly createdAt?: string;
}

/**
 * The job the interrupted submission created, if any: from its project, created after the submission started (the
 * project may hold jobs from earlier submissions that reused an unchanged upload). A minute of slack for clock skew.
 */
export function findSubmittedJob(entry: JobSubmission, jobs: readonly ListedJob[]): ListedJob | undefined {
  if (!entry.projectId) return undefined;
  const since = Date.parse(entry.startedAt) - 60_000;
  return jobs.find((job) => job.projectId === entry.projectId && (job.createdAt === undefined || Date.parse(job.createdAt) >= since));
}

/** An access request as GET /v1/signup/{id} shows it. */
export interface AccessRequestState {
  readonly status?: string | null;
  readonly credential_claim_token?: string | null;
  readonly credential_claimed?: boolean | null;
}

export type ClaimOutcome =
  /** The token is still unused: the claim never arrived, so claiming now is the first and only claim. */
  | 'claim'
  /** Redeemed, but the answer with the secret died with the window: only a rotation or support brings it back. */
  | 'secret-lost'
  | 'declined'
  /** Approved without a token and not claimed (expired): ask again. */
  | 'token-expired';

export function claimOutcome(_entry: CredentialClaim, request: AccessRequestState): ClaimOutcome {
  if (request.status === 'declined') return 'declined';
  if (request.credential_claim_token) return 'claim';
  return request.credential_claimed ? 'secret-lost' : 'token-expired';
}
