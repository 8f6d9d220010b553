// What every Cybernetic route shares: the key → rate → scope check, body validation (422 validation_error), paging
// and the budget check made before anything that costs money.
import type { z } from 'zod';
import type { SandboxRequest } from '../../http/SandboxRequest';
import { CYBERNETIC_POLICY as P, type Scope } from './cyberneticPolicy';
import type { ApiKey, CyberneticWorld } from './CyberneticWorld';

export type CyberneticHelpers = ReturnType<typeof cyberneticHelpers>;

export function cyberneticHelpers(world: CyberneticWorld) {
  const { ctx } = world;
  const now = () => world.now();
  const perKey = ctx.rateLimiter({ capacity: P.requestsPerMinute, refillPerSecond: P.requestsPerMinute / 60 });

  const authorize = (req: SandboxRequest, scope?: Scope): ApiKey => {
    const token = req.bearerToken();
    const challenge = (error: string) => ({ 'WWW-Authenticate': `Bearer realm="cybernetic", error="${error}"` });
    if (!token) throw ctx.httpError(401, { code: 'missing_api_key', message: 'Missing Authorization: Bearer <API key>' }, challenge('invalid_request'));
    const key = world.findKey(token);
    if (!key) throw ctx.httpError(401, { code: 'invalid_api_key', message: 'Invalid or revoked API key' }, challenge('invalid_token'));
    const taken = perKey.take(key.id);
    if (!taken.ok) throw ctx.httpError(429, { code: 'rate_limited', message: `At most ${P.requestsPerMinute} requests per minute per API key` }, { 'Retry-After': String(taken.retryAfterSeconds) });
    if (scope && !key.scopes.includes(scope)) throw ctx.httpError(403, { code: 'insufficient_scope', message: `This API key lacks the ${scope} scope (it has: ${key.scopes.join(', ')})` });
    return key;
  };

  const parse = async <T>(req: SandboxRequest, schema: z.ZodType<T>): Promise<T> => {
    const result = schema.safeParse((await req.json()) ?? {});
    if (!result.success) {
      const issue = result.error.issues[0];
      throw ctx.httpError(422, { code: 'validation_error', message: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
    }
    return result.data;
  };

  const paging = (req: SandboxRequest) => {
    const int = (name: string, fallback: number, max: number) => {
      const raw = req.query.get(name);
      if (raw === null) return fallback;
      const value = Number(raw);
      if (!Number.isInteger(value) || value < 1 || value > max) throw ctx.httpError(422, { code: 'validation_error', message: `${name} must be an integer from 1 to ${max}` });
      return value;
    };
    return { page: int('page', 1, 1_000_000), pageSize: int('pageSize', P.pageSizeDefault, P.pageSizeMax) };
  };
  const pageOf = <T, V>(req: SandboxRequest, items: T[], view: (item: T) => V) => {
    const { page, pageSize } = paging(req);
    const slice = items.slice((page - 1) * pageSize, page * pageSize);
    return { items: slice.map(view), total: items.length, page, pageSize, hasMore: page * pageSize < items.length };
  };

  const checkBudget = (extraCost: number) => {
    const at = now();
    const committed = world.reserved(at);
    const { dailyLimitUsd, monthlyBudgetUsd } = world.budget;
    const month = world.spendThisMonth(at) + committed + extraCost;
    if (month > monthlyBudgetUsd) throw ctx.httpError(422, { code: 'monthly_budget_exceeded', message: `This would bring this month's spend to up to $${month.toFixed(2)}, over the monthly budget of $${monthlyBudgetUsd.toFixed(2)}` });
    const day = world.spendToday(at) + committed + extraCost;
    if (day > dailyLimitUsd) throw ctx.httpError(422, { code: 'daily_limit_exceeded', message: `This would bring today's spend to up to $${day.toFixed(2)}, over the daily limit of $${dailyLimitUsd.toFixed(2)} (worst case: every active session and run to its maximum)` });
  };

  return { authorize, parse, pageOf, checkBudget };
}
