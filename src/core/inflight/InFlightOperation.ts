/**
 * What one long operation was doing when it was recorded: enough to resume it or to tell the user how it ended after
 * the window (and so the extension host) went away mid-way. Plain JSON: it lives in VS Code's global state, so it
 * never holds a secret (no SAS URL, no claim token, no client secret), only ids, keys, paths and progress.
 */
export type InFlightOperation = DatasetUpload | JobSubmission | ResultsDownload | CredentialClaim;

interface Common {
  /** Unique per operation (a UUID): the journal's key. */
  readonly id: string;
  /** ISO time the user started it. */
  readonly startedAt: string;
  /** The extension host that runs it: an entry whose owner is gone was interrupted (a reload, a crash). */
  readonly ownerPid: number;
  /** Shown to the user: a file name, a workspace folder, a job id. */
  readonly label: string;
}

/** A seed upload (POST /v1/datasets): the Idempotency-Key makes sending it again safe, whether or not the first arrived. */
export interface DatasetUpload extends Common {
  readonly kind: 'dataset-upload';
  readonly provider: 'simulacra';
  readonly accountId: string;
  readonly idempotencyKey: string;
  readonly filePath: string;
  readonly displayName: string;
}

/**
 * Zip → upload → submit. The API takes no Idempotency-Key for a job, so a submission is never sent again on its own:
 * once the POST may have gone out (`submitting`), the job list tells whether it was created.
 */
export interface JobSubmission extends Common {
  readonly kind: 'job-submission';
  readonly provider: 'simulacrum';
  readonly accountId: string;
  readonly stage: 'uploading' | 'submitting';
  /** The workspace folder it zips, for Submit Again. */
  readonly root: string;
  /** Known from the upload slot on: a job created from this project is this submission's. */
  readonly projectId?: string;
}

/** Result files into a folder; files already complete there are skipped, so downloading again resumes. */
export interface ResultsDownload extends Common {
  readonly kind: 'download';
  readonly provider: string;
  readonly resourceId: string;
  readonly targetDir: string;
  /** Hidden temp files it had open: the dead process cannot remove them, the resume does (never a final name). */
  readonly tempFiles?: readonly string[];
}

/**
 * A Simulacra access request followed to its one-time credential claim. The claim token is not kept (a secret); the
 * request id gives it back while it is unclaimed.
 */
export interface CredentialClaim extends Common {
  readonly kind: 'credential-claim';
  readonly provider: 'simulacra';
  readonly origin: string;
  readonly requestId: string;
  /** `claiming` once POST /v1/credential-claims may have gone out: the secret may have been revealed to nobody. */
  readonly stage: 'waiting' | 'claiming';
}

export type InFlightKind = InFlightOperation['kind'];
