import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { budgetUse, checkBudgetDraft, compactUsd, draftFromFigures, parseAmount, spendAgainstLimit, BudgetUpdate } from '../../../src/shared/cyberneticBudgetProtocol';

describe('budget status: spend against the limits', () => {
  it('reads "$3.20/$50 today · $41.37/$500 month" and stays normal under the threshold', () => {
    const use = budgetUse({ currentDaySpend: 3.2, dailyLimitUsd: 50, currentMonthSpend: 41.37, monthlyBudgetUsd: 500, alertThresholdPercent: 80 });
    assert.equal(`${spendAgainstLimit(use.day)} today · ${spendAgainstLimit(use.month)} month`, '$3.20/$50 today · $41.37/$500 month');
    assert.equal(use.level, 'normal');
  });

  it('warns once either limit passes the alert threshold, and the worse level wins', () => {
    assert.equal(budgetUse({ currentDaySpend: 16, dailyLimitUsd: 20, currentMonthSpend: 16, monthlyBudgetUsd: 100, alertThresholdPercent: 80 }).level, 'warning');
    assert.equal(budgetUse({ currentDaySpend: 15.99, dailyLimitUsd: 20, currentMonthSpend: 16, monthlyBudgetUsd: 100, alertThresholdPercent: 80 }).level, 'normal');
    const month = budgetUse({ currentDaySpend: 1, dailyLimitUsd: 20, currentMonthSpend: 95, monthlyBudgetUsd: 100, alertThresholdPercent: 90 });
    assert.equal(month.day.level, 'normal');
    assert.equal(month.month.level, 'warning');
    assert.equal(month.level, 'warning');
  });

  it('is over at or above a limit (new work is refused), even when the other limit is fine', () => {
    assert.equal(budgetUse({ currentDaySpend: 20, dailyLimitUsd: 20, currentMonthSpend: 20, monthlyBudgetUsd: 500 }).level, 'over');
    assert.equal(budgetUse({ currentDaySpend: 0, dailyLimitUsd: 20, currentMonthSpend: 120, monthlyBudgetUsd: 100 }).level, 'over');
    assert.equal(budgetUse({ currentDaySpend: 0, dailyLimitUsd: 0 }).day.level, 'over', 'a $0 limit allows nothing');
  });

  it('uses the documented default threshold (80%) when the API gives none', () => {
    const use = budgetUse({ currentDaySpend: 0.85, dailyLimitUsd: 1 });
    assert.equal(use.thresholdPercent, 80);
    assert.equal(use.level, 'warning');
  });

  it('shows spend alone when a limit is missing, and never a warning for it', () => {
    const use = budgetUse({ currentDaySpend: 7.5, currentMonthSpend: 120 });
    assert.equal(spendAgainstLimit(use.day), '$7.50');
    assert.equal(use.level, 'normal');
  });

  it('keeps amounts short for the status bar', () => {
    assert.equal(compactUsd(50), '$50');
    assert.equal(compactUsd(0), '$0');
    assert.equal(compactUsd(3.2), '$3.20');
    assert.equal(compactUsd(1234.56), '$1,235');
    assert.equal(compactUsd(2500), '$2,500');
  });
});

describe('budget form validation', () => {
  const draft = (monthly: string, daily: string, threshold: string) => ({ monthly, daily, threshold });

  it('turns a good form into the PUT body, accepting $ signs, thousands separators and a % sign', () => {
    assert.deepEqual(checkBudgetDraft(draft('$1,200', '50.5', '75%')), { issues: [], update: { monthlyBudgetUsd: 1200, dailyLimitUsd: 50.5, alertThresholdPercent: 75 } });
  });

  it('names each bad field with what to type instead', () => {
    const { issues, update } = checkBudgetDraft(draft('', 'abc', '0'));
    assert.equal(update, undefined);
    assert.deepEqual(issues.map((i) => i.field), ['monthly', 'daily', 'threshold']);
    assert.match(issues[0]?.message ?? '', /Enter the monthly budget/);
    assert.match(issues[1]?.message ?? '', /not an amount/);
    assert.match(issues[2]?.message ?? '', /from 1 to 100/);
  });

  it('refuses a daily limit above the monthly budget, zero or negative amounts, fractions of a cent and fractional percents', () => {
    assert.match(checkBudgetDraft(draft('100', '150', '80')).issues[0]?.message ?? '', /daily limit \(\$150\) cannot be above the monthly budget \(\$100\)/);
    assert.equal(checkBudgetDraft(draft('0', '0', '80')).issues.length, 2);
    assert.match(checkBudgetDraft(draft('-5', '1', '80')).issues[0]?.message ?? '', /not an amount/);
    assert.match(checkBudgetDraft(draft('100', '1.005', '80')).issues[0]?.message ?? '', /two decimals/);
    assert.match(checkBudgetDraft(draft('100', '10', '80.5')).issues[0]?.message ?? '', /whole percentage/);
    assert.match(checkBudgetDraft(draft('5000000', '10', '80')).issues[0]?.message ?? '', /at most \$1,000,000/);
  });

  it('parses amounts strictly', () => {
    assert.equal(parseAmount(' 12.50 '), 12.5);
    assert.equal(parseAmount('.5'), 0.5);
    assert.equal(parseAmount('1e3'), undefined);
    assert.equal(parseAmount('12 dollars'), undefined);
    assert.equal(parseAmount('Infinity'), undefined);
  });

  it('the host schema refuses what a tampered page could send, and accepts what the page sends', () => {
    assert.equal(BudgetUpdate.safeParse({ monthlyBudgetUsd: 100, dailyLimitUsd: 200, alertThresholdPercent: 80 }).success, false);
    assert.equal(BudgetUpdate.safeParse({ monthlyBudgetUsd: 100, dailyLimitUsd: 20, alertThresholdPercent: 80.5 }).success, false);
    assert.equal(BudgetUpdate.safeParse({ monthlyBudgetUsd: -1, dailyLimitUsd: 20, alertThresholdPercent: 80 }).success, false);
    assert.equal(BudgetUpdate.safeParse({ monthlyBudgetUsd: 100, dailyLimitUsd: 20 }).success, false);
    assert.equal(BudgetUpdate.safeParse({ monthlyBudgetUsd: '100', dailyLimitUsd: 20, alertThresholdPercent: 80 }).success, false);
    const fromPage = checkBudgetDraft(draft('100', '20', '80')).update;
    assert.equal(BudgetUpdate.safeParse(fromPage).success, true);
  });

  it('fills the form from the server, with the default threshold when none is set', () => {
    assert.deepEqual(draftFromFigures({ monthlyBudgetUsd: 100, dailyLimitUsd: 20 }), { monthly: '100', daily: '20', threshold: '80' });
  });
});
