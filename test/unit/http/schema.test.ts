import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { describeStatus, isKnownValue, knownValues } from '../../../src/core/http/schema';

const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
const jobStatus = knownValues(JOB_STATUSES);
const job = z.looseObject({ id: z.string(), status: jobStatus });

describe('knownValues', () => {
  it('accepts the documented values', () => {
    assert.equal(jobStatus.parse('running'), 'running');
  });

  it('keeps an unknown value as its raw string instead of failing', () => {
    const parsed = job.parse({ id: 'j1', status: 'paused_for_maintenance' });
    assert.equal(parsed.status, 'paused_for_maintenance');
  });

  it('still rejects values that are not strings at all', () => {
    assert.equal(jobStatus.safeParse(42).success, false);
  });

  it('exposes the known values', () => {
    assert.deepEqual(jobStatus.known, JOB_STATUSES);
    assert.equal(isKnownValue('queued', jobStatus.known), true);
    assert.equal(isKnownValue('paused', jobStatus.known), false);
  });

  it('lets loose objects keep unknown fields', () => {
    const parsed = job.parse({ id: 'j1', status: 'queued', gpu: 'A100' });
    assert.equal((parsed as Record<string, unknown>).gpu, 'A100');
  });
});

describe('describeStatus', () => {
  it('shows a known value as itself and an unknown one as "unknown (value)"', () => {
    assert.equal(describeStatus('running', JOB_STATUSES), 'running');
    assert.equal(describeStatus('hibernating', JOB_STATUSES), 'unknown (hibernating)');
    assert.equal(describeStatus(undefined, JOB_STATUSES), 'unknown ()');
  });
});
