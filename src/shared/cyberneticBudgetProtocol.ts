/**
 * The Cybernetic Physics budget: the messages between its panel (`src/ui/cybernetic/budget/BudgetPanel.ts`) and its
 * page (`webview/cyberneticBudget/main.ts`), the limits form's checks (the page runs them as the user types, the
 * host runs the zod schema again on what arrives), and how spend compares with the limits (status bar and page).
 * Kept free of `vscode` so unit tests and the page can load it.
 */
import * as l10n from '@vscode/l10n';
import { z } from 'zod';

export const BUDGET_PANEL_VIEW_TYPE = 'simcloud.cybernetic.budget';

/** The day ranges the history offers (the API takes 1–365). */
export const HISTORY_RANGES = [7, 30, 90] as const;
export type HistoryRange = (typeof HISTORY_RANGES)[number];
export const HistoryRangeSchema = z.union([z.literal(7), z.literal(30), z.literal(90)]);
export const DEFAULT_HISTORY_RANGE: HistoryRange = 30;

/** What the API documents as the alert threshold when a workspace never set one (the sandbox's default too). */
export const DEFAULT_ALERT_THRESHOLD_PERCENT = 80;
/** Far above any real budget: a typo with three extra zeros is caught before it reaches the API. */
export const MAX_LIMIT_USD = 1_000_000;

const Usd = z.number().finite().nonnegative().max(1e9);

/** `GET /v1/budget`, as the page gets it. */
export const BudgetFigures = z.object({
  monthlyBudgetUsd: Usd.optional(),
  dailyLimitUsd: Usd.optional(),
  alertThresholdPercent: z.number().finite().min(0).max(1000).optional(),
  currentMonthSpend: Usd.optional(),
  currentDaySpend: Usd.optional(),
});
export type BudgetFigures = z.infer<typeof BudgetFigures>;

export const SpendDay = z.object({ date: z.string().max(40), spendUsd: Usd });
export type SpendDay = z.infer<typeof SpendDay>;

/** `PUT /v1/budget` as the host accepts it from the page: all three, within range, the daily limit inside the month. */
export const BudgetUpdate = z
  .object({
    monthlyBudgetUsd: z.number().finite().positive().max(MAX_LIMIT_USD),
    dailyLimitUsd: z.number().finite().positive().max(MAX_LIMIT_USD),
    alertThresholdPercent: z.number().int().min(1).max(100),
  })
  .refine((update) => update.dailyLimitUsd <= update.monthlyBudgetUsd, { error: () => l10n.t('The daily limit cannot be above the monthly budget.'), path: ['dailyLimitUsd'] });
export type BudgetUpdate = z.infer<typeof BudgetUpdate>;

// ---------- the limits form ----------

/** The form's inputs as typed (text, so "12." survives a re-render and a reload). */
export const BudgetDraft = z.object({ monthly: z.string().max(40), daily: z.string().max(40), threshold: z.string().max(40) });
export type BudgetDraft = z.infer<typeof BudgetDraft>;
export type BudgetField = keyof BudgetDraft;

export interface DraftIssue {
  readonly field: BudgetField;
  readonly message: string;
}

/** "$1,250.50", "1250.5", " 20 " → a number; anything else → undefined. */
export function parseAmount(text: string): number | undefined {
  const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '').trim();
  if (!/^\d+(\.\d*)?$|^\.\d+$/.test(cleaned)) return undefined;
  const value = Number(cleaned);
  return Number.isFinite(value) ? value : undefined;
}

/** The page's check of the form: every issue, worded for the field it sits under, or the update to send. */
export function checkBudgetDraft(draft: BudgetDraft): { issues: DraftIssue[]; update?: BudgetUpdate } {
  const issues: DraftIssue[] = [];
  // Whole sentences per field (not "the {label}"), so a translation can inflect each one.
  const money = (field: 'monthly' | 'daily'): number | undefined => {
    const text = draft[field];
    const max = MAX_LIMIT_USD.toLocaleString('en-US');
    if (text.trim() === '') {
      issues.push({ field, message: field === 'monthly' ? l10n.t('Enter the monthly budget in US dollars.') : l10n.t('Enter the daily limit in US dollars.') });
      return undefined;
    }
    const value = parseAmount(text);
    if (value === undefined) issues.push({ field, message: l10n.t('“{0}” is not an amount in dollars (for example 50 or 12.50).', text.trim()) });
    else if (value <= 0) issues.push({ field, message: field === 'monthly' ? l10n.t('The monthly budget must be more than $0.') : l10n.t('The daily limit must be more than $0.') });
    else if (value > MAX_LIMIT_USD) issues.push({ field, message: field === 'monthly' ? l10n.t('The monthly budget can be at most ${0}.', max) : l10n.t('The daily limit can be at most ${0}.', max) });
    else if (/\.\d{3,}$/.test(text.trim())) issues.push({ field, message: l10n.t('Use at most two decimals (whole cents).') });
    else return value;
    return undefined;
  };
  const monthly = money('monthly');
  const daily = money('daily');
  let threshold: number | undefined;
  const thresholdText = draft.threshold.trim().replace(/%$/, '').trim();
  if (thresholdText === '') issues.push({ field: 'threshold', message: l10n.t('Enter the alert threshold as a percentage of each limit (1–100).') });
  else if (!/^\d+$/.test(thresholdText)) issues.push({ field: 'threshold', message: l10n.t('The alert threshold is a whole percentage, for example 80.') });
  else {
    const value = Number(thresholdText);
    if (value < 1 || value > 100) issues.push({ field: 'threshold', message: l10n.t('The alert threshold must be from 1 to 100 percent.') });
    else threshold = value;
  }
  if (monthly !== undefined && daily !== undefined && daily > monthly) issues.push({ field: 'daily', message: l10n.t('The daily limit (${0}) cannot be above the monthly budget (${1}).', daily, monthly) });
  if (issues.length > 0 || monthly === undefined || daily === undefined || threshold === undefined) return { issues };
  return { issues, update: { monthlyBudgetUsd: monthly, dailyLimitUsd: daily, alertThresholdPercent: threshold } };
}

/** The form filled from the server's figures (empty where the server gave nothing). */
export function draftFromFigures(figures: BudgetFigures): BudgetDraft {
  const text = (value: number | undefined) => (value === undefined ? '' : String(value));
  return { monthly: text(figures.monthlyBudgetUsd), daily: text(figures.dailyLimitUsd), threshold: text(figures.alertThresholdPercent ?? DEFAULT_ALERT_THRESHOLD_PERCENT) };
}

// ---------- spend against the limits ----------

/** normal; warning = past the alert threshold of a limit; over = at or over a limit (new work is refused). */
export type BudgetLevel = 'normal' | 'warning' | 'over';

export interface LimitUse {
  readonly spend: number;
  readonly limit?: number;
  /** spend / limit, when there is a limit above 0. */
  readonly fraction?: number;
  readonly level: BudgetLevel;
}

export interface BudgetUse {
  readonly day: LimitUse;
  readonly month: LimitUse;
  readonly thresholdPercent: number;
  /** The worse of the two. */
  readonly level: BudgetLevel;
}

const LEVEL_ORDER: Record<BudgetLevel, number> = { normal: 0, warning: 1, over: 2 };

function limitUse(spend: number | undefined, limit: number | undefined, thresholdPercent: number): LimitUse {
  const used = spend ?? 0;
  if (limit === undefined) return { spend: used, level: 'normal' };
  // A limit of $0 is a limit: nothing that costs money can start, which is what "over" tells the user.
  if (used >= limit) return { spend: used, limit, fraction: limit > 0 ? used / limit : undefined, level: 'over' };
  const fraction = used / limit;
  return { spend: used, limit, fraction, level: fraction * 100 >= thresholdPercent ? 'warning' : 'normal' };
}

export function budgetUse(figures: BudgetFigures): BudgetUse {
  const thresholdPercent = figures.alertThresholdPercent ?? DEFAULT_ALERT_THRESHOLD_PERCENT;
  const day = limitUse(figures.currentDaySpend, figures.dailyLimitUsd, thresholdPercent);
  const month = limitUse(figures.currentMonthSpend, figures.monthlyBudgetUsd, thresholdPercent);
  const level = LEVEL_ORDER[day.level] >= LEVEL_ORDER[month.level] ? day.level : month.level;
  return { day, month, thresholdPercent, level };
}

/** Dollars for tight spaces: "$50" for whole amounts, "$3.20" under $100, "$1,234" above. */
export function compactUsd(value: number): string {
  if (Number.isInteger(value)) return `$${value.toLocaleString('en-US')}`;
  if (Math.abs(value) < 100) return `$${value.toFixed(2)}`;
  return `$${Math.round(value).toLocaleString('en-US')}`;
}

/** Dollars with cents, for tooltips and the page. */
export function exactUsd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** "$3.20/$50" or "$3.20" without a limit. */
export function spendAgainstLimit(use: LimitUse): string {
  return use.limit === undefined ? compactUsd(use.spend) : `${compactUsd(use.spend)}/${compactUsd(use.limit)}`;
}

// ---------- messages ----------

const RequestId = z.string().min(1).max(100);

export const BudgetPanelError = z.object({
  message: z.string().max(10_000),
  /** The page's request this answers. */
  requestId: RequestId.optional(),
  /** The provider's request id, for support. */
  providerRequestId: z.string().max(1000).optional(),
  /** What the page offers next: sign in (signed out or key rejected), retry. */
  signIn: z.boolean().optional(),
});
export type BudgetPanelError = z.infer<typeof BudgetPanelError>;

export const BudgetPanelData = z.object({
  figures: BudgetFigures,
  range: HistoryRangeSchema,
  history: z.array(SpendDay).max(400),
  totalUsd: Usd.optional(),
  /** ISO time the figures were read, shown as "as of". */
  readAt: z.string().max(40),
});
export type BudgetPanelData = z.infer<typeof BudgetPanelData>;

/** Host → page. */
export const BudgetHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loading'), range: HistoryRangeSchema }),
  z.object({ type: z.literal('show'), data: BudgetPanelData }),
  /** Newer figures from the status bar's refresh (the history stays). */
  z.object({ type: z.literal('figures'), figures: BudgetFigures, readAt: z.string().max(40) }),
  /** Loading failed: the page shows the error instead of the figures. */
  z.object({ type: z.literal('loadError'), error: BudgetPanelError }),
  z.object({ type: z.literal('saved'), requestId: RequestId, figures: BudgetFigures }),
  /** Saving failed: shown next to the form. */
  z.object({ type: z.literal('saveError'), error: BudgetPanelError, issues: z.array(z.object({ field: z.enum(['monthly', 'daily', 'threshold']), message: z.string().max(1000) })).max(10).optional() }),
]);
export type BudgetHostMessage = z.infer<typeof BudgetHostMessage>;

/** Page → host. `save` carries plain numbers: the host checks them again with `BudgetUpdate`. */
export const BudgetPageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('setRange'), range: HistoryRangeSchema }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('signIn') }),
  z.object({ type: z.literal('save'), requestId: RequestId, update: z.unknown() }),
]);
export type BudgetPageMessage = z.infer<typeof BudgetPageMessage>;

/** What the page keeps in `setState` (and the serializer gets back after a reload): the range and the draft, no secrets. */
export const BudgetPageState = z.object({ range: HistoryRangeSchema, draft: BudgetDraft.optional() });
export type BudgetPageState = z.infer<typeof BudgetPageState>;
