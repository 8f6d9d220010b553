import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CredentialClaim, DatasetUpload, JobSubmission, ResultsDownload } from '../../../src/core/inflight/InFlightOperation';
import { claimOutcome, decideResume, findSubmittedJob, type ResumeFacts } from '../../../src/core/inflight/resumeDecision';

const STARTED = '2026-11-28T04:00:00.000Z';
const facts = (overrides: Partial<ResumeFacts> = {}): ResumeFacts => ({ now: Date.parse(STARTED) + 60_000, accountId: () => 'acct', fileExists: () => true, ...overrides });
const common = { id: 'op', startedAt: STARTED, ownerPid: 1, label: 'x' };
const upload: DatasetUpload = { ...common, kind: 'dataset-upload', provider: 'simulacra', accountId: 'acct', idempotencyKey: 'k', filePath: '/w/seed.csv', displayName: 'Seed' };
const submission: JobSubmission = { ...common, kind: 'job-submission', provider: 'simulacrum', accountId: 'acct', stage: 'submitting', root: '/w', projectId: 'proj_1' };
const download: ResultsDownload = { ...common, kind: 'download', provider: 'simulacrum', resourceId: 'render-1', targetDir: '/w/sim-results/render-1' };
const claim: CredentialClaim = { ...common, kind: 'credential-claim', provider: 'simulacra', origin: 'http://x', requestId: 'req_1', stage: 'claiming' };

describe('decideResume', () => {
  it('sends a dataset upload again with its key while the key replays, the file exists and the account is the same', () => {
    assert.deepEqual(decideResume(upload, facts()), { action: 'resume' });
    assert.deepEqual(decideResume(upload, facts({ accountId: () => 'another' })), { action: 'report', outcome: 'account-changed' });
    assert.deepEqual(decideResume(upload, facts({ accountId: () => undefined })), { action: 'report', outcome: 'account-changed' });
    assert.deepEqual(decideResume(upload, facts({ fileExists: () => false })), { action: 'report', outcome: 'file-gone' });
    assert.deepEqual(decideResume(upload, facts({ now: Date.parse(STARTED) + 24 * 3_600_000 })), { action: 'report', outcome: 'key-expired' });
  });

  it('never sends a submission again: reports one cut off in its upload, looks for the job of one that may have been sent', () => {
    assert.deepEqual(decideResume({ ...submission, stage: 'uploading' }, facts()), { action: 'report', outcome: 'not-submitted' });
    assert.deepEqual(decideResume(submission, facts()), { action: 'find-job' });
    assert.deepEqual(decideResume(submission, facts({ accountId: () => 'another' })), { action: 'report', outcome: 'account-changed' });
  });

  it('resumes a download, and a claim only after checking whether the token was redeemed', () => {
    assert.deepEqual(decideResume(download, facts()), { action: 'resume' });
    assert.deepEqual(decideResume(claim, facts()), { action: 'check-claim' });
    assert.deepEqual(decideResume({ ...claim, stage: 'waiting' }, facts()), { action: 'resume' });
  });
});

describe('findSubmittedJob', () => {
  it('finds the job of the submission’s project created since it started, not an older job of a reused project', () => {
    const jobs = [
      { jobId: 'old', projectId: 'proj_1', createdAt: '2026-11-28T03:00:00Z' },
      { jobId: 'other', projectId: 'proj_2', createdAt: '2026-11-28T04:00:05Z' },
      { jobId: 'mine', projectId: 'proj_1', createdAt: '2026-11-28T04:00:05Z' },
    ];
    assert.equal(findSubmittedJob(submission, jobs)?.jobId, 'mine');
    assert.equal(findSubmittedJob(submission, jobs.slice(0, 2)), undefined);
    assert.equal(findSubmittedJob({ ...submission, projectId: undefined }, jobs), undefined);
  });
});

describe('claimOutcome', () => {
  it('claims an unused token, and says the secret is lost when the token was redeemed by the interrupted claim', () => {
    assert.equal(claimOutcome(claim, { status: 'approved', credential_claim_token: 'sct_1', credential_claimed: false }), 'claim');
    assert.equal(claimOutcome(claim, { status: 'approved', credential_claim_token: null, credential_claimed: true }), 'secret-lost');
    assert.equal(claimOutcome(claim, { status: 'approved', credential_claim_token: null, credential_claimed: false }), 'token-expired');
    assert.equal(claimOutcome(claim, { status: 'declined' }), 'declined');
  });
});
