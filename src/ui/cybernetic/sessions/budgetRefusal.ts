import { ApiError } from '../../../core/http/ApiError';

/**
 * A start refused by a spending limit (402, or a budget/limit code such as `daily_limit_exceeded`): the error then
 * gets a Show Budget button. CyberneticApi has already worded which limit it was.
 */
export function isBudgetRefusal(error: unknown): boolean {
  return ApiError.is(error) && error.kind === 'http' && (error.status === 402 || /budget|daily_limit|monthly_limit|spend|credit/i.test(error.code));
}
