// CyberneticApi: budget get/put, spending history, and their refusals, against the sandbox over loopback. Spend
// comes from a real session on the paused virtual clock.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Sandbox } from '../../sandbox/index';
import type { CyberneticApi } from '../../src/providers/cybernetic/CyberneticApi';
import { oneAmTodayUtc } from '../support/calendar';
import { apiFor, dev, HOUR, MINUTE, refusal, scopeRefusal, signal, startCyberneticSandbox } from './cyberneticApiSupport';

let sb: Sandbox;
let api: CyberneticApi;

describe('CyberneticApi: budget', () => {
  before(async () => {
    sb = await startCyberneticSandbox(26, oneAmTodayUtc());
    api = apiFor(sb, dev.CYBERNETIC_DEV_API_KEY);
  });
  after(() => sb.close());

  it('getBudget shows the limits and nothing spent yet', async () => {
    const budget = await api.getBudget(signal());
    assert.deepEqual(
      { ...budget },
      { monthlyBudgetUsd: 100, dailyLimitUsd: 20, alertThresholdPercent: 80, currentMonthSpend: 0, currentDaySpend: 0 },
    );
  });

  it('spend from a session shows in the budget and in today’s history entry', async () => {
    const session = await api.startSession({ gpuSpec: 'A100_80GB', maxRuntimeMinutes: 120, idleTimeoutMinutes: 600 }, signal());
    sb.clock.advance(2 * MINUTE + HOUR);
    await api.stopSession(session.sessionId, signal());
    const budget = await api.getBudget(signal());
    assert.equal(budget.currentDaySpend, 2.1);
    assert.equal(budget.currentMonthSpend, 2.1);

    const history = await api.getSpendHistory(7, signal());
    assert.equal(history.length, 7);
    const today = new Date(sb.clock.now()).toISOString().slice(0, 10);
    assert.equal(history.at(-1)?.date, today, 'oldest first, today last');
    assert.equal(history.at(-1)?.spendUsd, 2.1);
    assert.ok(history.slice(0, -1).every((d) => d.spendUsd === 0));
    assert.equal((await api.getSpendHistory(30, signal())).length, 30);
  });

  it('setBudget stores the three values and answers the new budget', async () => {
    const updated = await api.setBudget({ monthlyBudgetUsd: 250, dailyLimitUsd: 40, alertThresholdPercent: 90 }, signal());
    assert.equal(updated.monthlyBudgetUsd, 250);
    assert.equal(updated.dailyLimitUsd, 40);
    assert.equal(updated.alertThresholdPercent, 90);
    const partial = await api.setBudget({ dailyLimitUsd: 30 }, signal());
    assert.equal(partial.monthlyBudgetUsd, 250, 'a field left out keeps its value');
    assert.equal(partial.dailyLimitUsd, 30);
    assert.equal((await api.getBudget(signal())).dailyLimitUsd, 30);
  });

  it('refuses inconsistent limits with 422 validation_error and the server’s reason', async () => {
    await refusal(api.setBudget({ monthlyBudgetUsd: 10, dailyLimitUsd: 50 }, signal()), { status: 422, code: 'validation_error', message: [/dailyLimitUsd cannot exceed monthlyBudgetUsd/, /check them/] });
    await refusal(api.setBudget({ alertThresholdPercent: 0 }, signal()), { status: 422, code: 'validation_error', message: [/alertThresholdPercent/] });
    await refusal(api.setBudget({ monthlyBudgetUsd: -1 }, signal()), { status: 422, code: 'validation_error', message: [/monthlyBudgetUsd/] });
    assert.equal((await api.getBudget(signal())).monthlyBudgetUsd, 250, 'a refused update changes nothing');
  });

  it('history days outside 1–365 is 422 validation_error', async () => {
    await refusal(api.getSpendHistory(0, signal()), { status: 422, code: 'validation_error', message: [/days must be an integer from 1 to 365/] });
    await refusal(api.getSpendHistory(366, signal()), { status: 422, code: 'validation_error', message: [/days/] });
  });

  it('any valid key reads the budget and history; setting it needs sessions:write (403 naming it)', async () => {
    const readOnly = apiFor(sb, dev.CYBERNETIC_READONLY_API_KEY);
    assert.equal((await readOnly.getBudget(signal())).monthlyBudgetUsd, 250);
    assert.equal((await apiFor(sb, dev.CYBERNETIC_MCP_API_KEY).getSpendHistory(3, signal())).length, 3);
    await refusal(readOnly.setBudget({ dailyLimitUsd: 1 }, signal()), scopeRefusal('sessions:write'));
  });

  it('an unknown key cannot read the budget: 401', async () => {
    await refusal(apiFor(sb, 'cp_live_sandbox_unknown').getBudget(signal()), { status: 401, code: 'invalid_api_key', message: [/API key was not accepted/] });
  });
});
