import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_RECENT_WORKFLOWS,
  parseAgentCount,
  parseScenarioContext,
  rememberWorkflow,
  validateAgentCount,
  validateCallbackUrl,
  validateWorkflowId,
} from '../../../src/ui/simulix/simulixRunInput';

describe('Run Simulix Simulation form checks', () => {
  it('accepts a workflow id without spaces and refuses an empty or spaced one', () => {
    assert.equal(validateWorkflowId('cdc_nhis_smoking'), undefined);
    assert.match(validateWorkflowId('  ') ?? '', /Enter a workflow id/);
    assert.match(validateWorkflowId('cdc nhis') ?? '', /no spaces/);
    assert.match(validateWorkflowId('x'.repeat(201)) ?? '', /200/);
  });

  it('accepts agent counts from 1 to 10,000, with or without thousands separators, and nothing else', () => {
    for (const ok of ['1', '200', '10000', '10,000', '10_000', ' 42 ']) assert.equal(validateAgentCount(ok), undefined, ok);
    for (const bad of ['0', '10001', '-5', '2.5', 'abc', '', '1e3', '200 agents']) assert.ok(validateAgentCount(bad), bad);
    assert.match(validateAgentCount('10001') ?? '', /1 to 10,000/);
    assert.equal(parseAgentCount('10,000'), 10_000);
    assert.equal(parseAgentCount('10_000'), 10_000);
    assert.equal(parseAgentCount(' 200 '), 200);
  });

  it('takes the scenario context only as a JSON object (empty means {}) of at most 16 KiB', () => {
    assert.deepEqual(parseScenarioContext(''), { ok: true, value: {} });
    assert.deepEqual(parseScenarioContext('{"region": "South"}'), { ok: true, value: { region: 'South' } });
    for (const bad of ['[]', '"South"', '3', 'null', '{region: South}', '{"a":1']) assert.equal(parseScenarioContext(bad).ok, false, bad);
    const arrayRefusal = parseScenarioContext('[1]');
    assert.ok(!arrayRefusal.ok && /JSON object/.test(arrayRefusal.message));
    assert.equal(parseScenarioContext(JSON.stringify({ big: 'x'.repeat(17 * 1024) })).ok, false);
  });

  it('accepts https callbacks and http only to loopback, never with user info', () => {
    for (const ok of ['', 'https://example.trycloudflare.com/webhooks/simulix', 'http://127.0.0.1:8787/webhooks/simulix', 'http://localhost:9000/x', 'http://[::1]:8787/']) assert.equal(validateCallbackUrl(ok), undefined, ok);
    for (const bad of ['http://example.com/hook', 'ftp://127.0.0.1/', 'not a url', 'https://user:pw@example.com/', `https://example.com/${'a'.repeat(2100)}`]) assert.ok(validateCallbackUrl(bad), bad);
  });

  it('keeps recently used workflow ids newest first, without repeats, at most ten', () => {
    assert.deepEqual(rememberWorkflow(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
    const many = Array.from({ length: 12 }, (_, i) => `w${i}`);
    const kept = rememberWorkflow(many, 'new');
    assert.equal(kept.length, MAX_RECENT_WORKFLOWS);
    assert.equal(kept[0], 'new');
  });
});
