// The Cybernetic Physics budget page: spend against the limits, the daily history as a chart, and the limits form.
// Everything shown from the provider goes through `el`/text nodes (see ../common/dom.ts).
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ChartConfiguration } from 'chart.js' with { 'resolution-mode': 'import' };
import { themedChart, type ThemeColours } from '../common/chart';
import { el, replaceChildren, uniqueId, type Child } from '../common/dom';
import { HostConnection, newRequestId } from '../common/hostConnection';
import * as l10n from '@vscode/l10n';
import '../common/l10n'; // the host's translations, loaded before this page draws
import {
  BudgetHostMessage,
  BudgetPageState,
  DEFAULT_HISTORY_RANGE,
  HISTORY_RANGES,
  budgetUse,
  checkBudgetDraft,
  draftFromFigures,
  exactUsd,
  type BudgetDraft,
  type BudgetField,
  type BudgetFigures,
  type BudgetPageMessage,
  type BudgetPanelData,
  type BudgetPanelError,
  type DraftIssue,
  type HistoryRange,
  type LimitUse,
} from '../../src/shared/cyberneticBudgetProtocol';

interface PageModel {
  range: HistoryRange;
  loading: boolean;
  data?: BudgetPanelData;
  loadError?: BudgetPanelError;
  draft?: BudgetDraft;
  /** The user changed the form since it was last filled from the server: a refresh must not overwrite it. */
  dirty: boolean;
  /** Show the form's issues only once the user has typed or pressed Save. */
  touched: boolean;
  saving?: string;
  saveError?: BudgetPanelError;
  serverIssues: DraftIssue[];
  notice?: string;
}

const connection = new HostConnection<BudgetHostMessage, BudgetPageMessage, BudgetPageState>(BudgetHostMessage, BudgetPageState);
const saved = connection.getState();
const model: PageModel = { range: saved?.range ?? DEFAULT_HISTORY_RANGE, loading: true, draft: saved?.draft, dirty: saved?.draft !== undefined, touched: false, serverIssues: [] };
const app = document.getElementById('app') as HTMLElement;

/** Kept across renders: the chart lives in this canvas, and re-creating it on every refresh would flicker. */
const chartBox = el('div', { className: 'chart-box' });
const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': l10n.t('Daily spending chart') } });
chartBox.append(canvas);
let chart: { update(): void } | undefined;
let chartStarting = false;

/** Parts re-rendered while typing, so the focused input is never replaced. */
const live = {
  fieldIssues: new Map<BudgetField, HTMLElement>(),
  formStatus: el('div', { className: 'form-status', attrs: { 'aria-live': 'polite' } }),
  save: undefined as (HTMLElement & { disabled?: boolean }) | undefined,
};

function persist(): void {
  connection.setState({ range: model.range, ...(model.dirty && model.draft ? { draft: model.draft } : {}) });
}

connection.start((message) => {
  switch (message.type) {
    case 'loading':
      model.loading = true;
      model.range = message.range;
      return renderAll();
    case 'show':
      model.loading = false;
      model.loadError = undefined;
      model.data = message.data;
      model.range = message.data.range;
      if (!model.dirty || !model.draft) model.draft = draftFromFigures(message.data.figures);
      persist();
      return renderAll();
    case 'figures':
      if (!model.data) return;
      model.data = { ...model.data, figures: message.figures, readAt: message.readAt };
      if (!model.dirty) model.draft = draftFromFigures(message.figures);
      return renderAll();
    case 'loadError':
      model.loading = false;
      model.data = undefined;
      model.loadError = message.error;
      return renderAll();
    case 'saved':
      if (model.saving !== message.requestId) return;
      model.saving = undefined;
      model.saveError = undefined;
      model.serverIssues = [];
      model.dirty = false;
      model.touched = false;
      if (model.data) model.data = { ...model.data, figures: message.figures };
      model.draft = draftFromFigures(message.figures);
      model.notice = l10n.t('Saved. The new limits apply to sessions and runs started from now on.');
      persist();
      return renderAll();
    case 'saveError':
      if (message.error.requestId && model.saving !== message.error.requestId) return;
      model.saving = undefined;
      model.saveError = message.error;
      model.serverIssues = message.issues ?? [];
      model.notice = undefined;
      return renderForm();
  }
});

// ---------- rendering ----------

function renderAll(): void {
  const header = el(
    'header',
    { className: 'page-header' },
    el('h1', { text: l10n.t('Cybernetic Physics budget') }),
    el(
      'div',
      { className: 'header-actions' },
      model.data ? el('span', { className: 'muted', text: l10n.t('As of {0}', formatTime(model.data.readAt)) }) : null,
      el('vscode-button', { props: { secondary: true, disabled: model.loading }, text: l10n.t('Refresh'), on: { click: () => connection.post({ type: 'refresh' }) } }),
    ),
  );
  if (model.loadError) {
    replaceChildren(app, header, renderLoadError(model.loadError));
    return;
  }
  if (!model.data) {
    replaceChildren(app, header, el('p', { className: 'empty', attrs: { role: 'status' }, text: l10n.t('Loading the budget…') }));
    return;
  }
  replaceChildren(app, header, renderFigures(model.data.figures), renderHistory(model.data), renderLimitsForm());
  renderForm();
  drawChart();
}

function renderLoadError(error: BudgetPanelError): HTMLElement {
  return el(
    'div',
    { className: 'error-box load-error', attrs: { role: 'alert' } },
    el('p', { text: error.signIn ? l10n.t('The budget needs a Cybernetic Physics sign-in.') : l10n.t('The budget could not be loaded.') }),
    el('p', { text: error.message }),
    error.providerRequestId ? el('p', { className: 'muted' }, l10n.t('Request ID'), ' ', el('code', { text: error.providerRequestId })) : null,
    el(
      'div',
      { className: 'row' },
      error.signIn ? el('vscode-button', { text: l10n.t('Sign In to Cybernetic Physics'), on: { click: () => connection.post({ type: 'signIn' }) } }) : null,
      el('vscode-button', { props: { secondary: !!error.signIn }, text: l10n.t('Try Again'), on: { click: () => connection.post({ type: 'refresh' }) } }),
    ),
  );
}

function renderFigures(figures: BudgetFigures): HTMLElement {
  const use = budgetUse(figures);
  return el(
    'section',
    { className: 'figures', attrs: { 'aria-label': l10n.t('Current spend') } },
    renderMeter(l10n.t('Today'), use.day, 'day'),
    renderMeter(l10n.t('This month'), use.month, 'month'),
    el('p', { className: 'muted threshold-note', text: l10n.t('Alert threshold: {0}% of each limit. At a limit, new sessions, reconstructions and Eureka runs are refused.', use.thresholdPercent) }),
  );
}

function renderMeter(title: string, use: LimitUse, period: 'day' | 'month'): HTMLElement {
  const percent = use.fraction === undefined ? undefined : Math.round(use.fraction * 100);
  const bar = el('div', { className: 'meter-fill' });
  // CSSOM, not a style attribute: the page's CSP allows no inline styles.
  bar.style.width = `${Math.min(100, percent ?? 0)}%`;
  const state = use.level === 'over' ? l10n.t('Limit reached') : use.level === 'warning' ? l10n.t('Past the alert threshold') : '';
  return el(
    'div',
    { className: `meter level-${use.level}` },
    el('h2', { text: title }),
    el('p', { className: 'meter-amount' }, el('strong', { text: exactUsd(use.spend) }), ' ', amountText(use, period)),
    use.limit === undefined
      ? null
      : el('div', { className: 'meter-track', attrs: { role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': String(use.limit), 'aria-valuenow': String(use.spend), 'aria-label': l10n.t('{0}: {1} of {2}', title, exactUsd(use.spend), exactUsd(use.limit)) } }, bar),
    el('p', { className: 'muted' }, percent === undefined ? '' : l10n.t('{0}% used', percent), state ? el('span', { className: use.level === 'over' ? 'error-text' : 'warning-text', text: ` · ${state}` }) : null),
  );
}

function renderHistory(data: BudgetPanelData): HTMLElement {
  const total = data.totalUsd ?? data.history.reduce((sum, day) => sum + day.spendUsd, 0);
  const ranges = el(
    'div',
    { className: 'range', attrs: { role: 'group', 'aria-label': l10n.t('Days shown') } },
    ...HISTORY_RANGES.map((days) =>
      el('vscode-button', {
        props: { secondary: days !== model.range, disabled: model.loading },
        attrs: { 'aria-pressed': String(days === model.range) },
        text: l10n.t('{0} days', days),
        on: { click: () => setRange(days) },
      }),
    ),
  );
  const section = el('section', { className: 'history' }, el('div', { className: 'section-header' }, el('h2', { text: l10n.t('Daily spending') }), ranges));
  if (data.history.length === 0) {
    section.append(el('p', { className: 'empty', text: l10n.t('No spending history for the last {0} days yet. Days appear here once sessions, reconstructions or Eureka runs have cost something.', data.range) }));
    return section;
  }
  const limit = data.figures.dailyLimitUsd;
  section.append(
    el('p', { className: 'muted' }, total === 0 ? l10n.t('{0} over the last {1} days — nothing spent in this period.', exactUsd(total), data.range) : l10n.t('{0} over the last {1} days.', exactUsd(total), data.range)),
    chartBox,
    el(
      'p',
      { className: 'legend muted' },
      el('span', { className: 'swatch swatch-spend', attrs: { 'aria-hidden': 'true' } }),
      ' ',
      l10n.t('Spend per day (UTC)'),
      limit === undefined ? null : el('span', { className: 'swatch swatch-limit', attrs: { 'aria-hidden': 'true' } }),
      limit === undefined ? null : ` ${l10n.t('Daily limit ({0})', exactUsd(limit))}`,
    ),
  );
  return section;
}

function renderLimitsForm(): HTMLElement {
  live.fieldIssues.clear();
  const draft = model.draft ?? { monthly: '', daily: '', threshold: '' };
  const field = (key: BudgetField, label: string, hint: string, placeholder: string) => {
    const id = uniqueId('limit');
    const issue = el('p', { className: 'field-issue error-text', attrs: { 'aria-live': 'polite' } });
    live.fieldIssues.set(key, issue);
    return el(
      'div',
      { className: 'field' },
      el('vscode-label', { props: { htmlFor: id }, text: label }),
      el('vscode-textfield', {
        id,
        attrs: { inputmode: 'decimal', placeholder, 'aria-describedby': `${id}-hint` },
        props: { value: draft[key] },
        on: {
          input: (event) => {
            model.draft = { ...(model.draft ?? draft), [key]: (event.target as HTMLInputElement).value };
            model.dirty = true;
            model.touched = true;
            model.notice = undefined;
            model.serverIssues = model.serverIssues.filter((i) => i.field !== key);
            persist();
            renderForm();
          },
          keydown: (event) => {
            if ((event as KeyboardEvent).key === 'Enter') save();
          },
        },
      }),
      el('span', { id: `${id}-hint`, className: 'muted hint', text: hint }),
      issue,
    );
  };
  live.save = el('vscode-button', { text: l10n.t('Save Limits'), on: { click: save } });
  const reset = el('vscode-button', {
    props: { secondary: true },
    text: l10n.t('Reset'),
    on: {
      click: () => {
        if (!model.data) return;
        model.draft = draftFromFigures(model.data.figures);
        model.dirty = false;
        model.touched = false;
        model.saveError = undefined;
        model.serverIssues = [];
        persist();
        renderAll();
      },
    },
  });
  return el(
    'section',
    { className: 'limits' },
    el('h2', { text: l10n.t('Limits') }),
    el(
      'div',
      { className: 'row' },
      field('monthly', l10n.t('Monthly budget (USD)'), l10n.t('Spend allowed per calendar month (UTC).'), '100'),
      field('daily', l10n.t('Daily limit (USD)'), l10n.t('Spend allowed per day (UTC); at most the monthly budget.'), '20'),
      field('threshold', l10n.t('Alert threshold (%)'), l10n.t('The status bar warns past this share of a limit.'), '80'),
    ),
    el('div', { className: 'row actions' }, live.save, reset),
    live.formStatus,
  );
}

/** The form's issues, the save state and the API's answer, without touching the inputs. */
function renderForm(): void {
  const check = checkBudgetDraft(model.draft ?? { monthly: '', daily: '', threshold: '' });
  for (const [field, node] of live.fieldIssues) {
    const issues = [...(model.touched ? check.issues : []), ...model.serverIssues].filter((issue) => issue.field === field);
    replaceChildren(node, issues[0]?.message ?? '');
  }
  if (live.save) live.save.disabled = model.saving !== undefined || (model.touched && check.issues.length > 0);
  const parts: Child[] = [];
  if (model.saving) parts.push(el('p', { className: 'muted', attrs: { role: 'status' }, text: l10n.t('Saving…') }));
  if (model.saveError) {
    const error = model.saveError;
    parts.push(
      el(
        'div',
        { className: 'error-box', attrs: { role: 'alert' } },
        el('p', { text: error.message }),
        error.providerRequestId ? el('p', { className: 'muted' }, l10n.t('Request ID'), ' ', el('code', { text: error.providerRequestId })) : null,
        error.signIn ? el('vscode-button', { text: l10n.t('Sign In to Cybernetic Physics'), on: { click: () => connection.post({ type: 'signIn' }) } }) : null,
      ),
    );
  }
  if (model.notice) parts.push(el('p', { className: 'notice', attrs: { role: 'status' }, text: model.notice }));
  replaceChildren(live.formStatus, ...parts);
}

// ---------- the chart ----------

function chartConfig(colours: ThemeColours) {
  const days = model.data?.history ?? [];
  const limit = model.data?.figures.dailyLimitUsd;
  const spend = colours.series[0] ?? '#3794ff';
  return {
    type: 'bar' as const,
    data: {
      labels: days.map((day) => shortDate(day.date)),
      datasets: [
        {
          type: 'bar' as const,
          label: l10n.t('Spend'),
          data: days.map((day) => day.spendUsd),
          backgroundColor: days.map((day) => (limit !== undefined && day.spendUsd >= limit ? colours.error : spend)),
          borderRadius: 2,
          order: 2,
        },
        ...(limit === undefined
          ? []
          : [
              {
                type: 'line' as const,
                label: l10n.t('Daily limit'),
                data: days.map(() => limit),
                borderColor: colours.warning,
                backgroundColor: colours.warning,
                borderDash: [6, 4],
                borderWidth: 2,
                pointRadius: 0,
                pointHitRadius: 4,
                fill: false,
                order: 1,
              },
            ]),
      ],
    },
    options: {
      scales: {
        x: { grid: { display: false }, ticks: { maxRotation: 0, autoSkip: true, autoSkipPadding: 8 } },
        y: { beginAtZero: true, ticks: { callback: (value: string | number) => `$${value}` } },
      },
      plugins: {
        tooltip: {
          callbacks: {
            title: (items: { dataIndex: number }[]) => days[items[0]?.dataIndex ?? 0]?.date ?? '',
            label: (item: { dataset: { label?: string }; parsed: { y: number | null } }) => `${item.dataset.label ?? ''}: ${exactUsd(item.parsed.y ?? 0)}`,
          },
        },
      },
    },
  };
}

function drawChart(): void {
  if (!model.data || model.data.history.length === 0) return;
  if (chart) {
    chart.update();
    return;
  }
  if (chartStarting) return;
  chartStarting = true;
  // A bar chart with one line dataset (the limit): Chart.js mixes them, its types do not.
  void themedChart(canvas, (colours) => chartConfig(colours) as unknown as ChartConfiguration<'bar'>)
    .then((handle) => {
      chart = handle;
      handle.update();
    })
    .catch((error: unknown) => {
      chartStarting = false;
      replaceChildren(chartBox, el('p', { className: 'error-text', text: l10n.t('The chart could not be drawn: {0}', error instanceof Error ? error.message : String(error)) }));
    });
}

// ---------- actions ----------

function setRange(days: HistoryRange): void {
  if (days === model.range && model.data) return;
  model.range = days;
  persist();
  connection.post({ type: 'setRange', range: days });
}

function save(): void {
  if (model.saving) return;
  model.touched = true;
  model.saveError = undefined;
  model.notice = undefined;
  const check = checkBudgetDraft(model.draft ?? { monthly: '', daily: '', threshold: '' });
  if (!check.update) return renderForm();
  const requestId = newRequestId();
  model.saving = requestId;
  connection.post({ type: 'save', requestId, update: check.update });
  renderForm();
}

// ---------- formatting ----------

function shortDate(date: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})/.exec(date);
  if (!match) return date;
  // The UI language's short month and day (the shell sets <html lang> from vscode.env.language); the date is UTC.
  const day = new Date(Date.UTC(2000, Number(match[1]) - 1, Number(match[2])));
  return Number.isNaN(day.getTime()) ? date : day.toLocaleDateString(document.documentElement.lang || undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
}

/** "$3.20 of $20.00 daily limit", or "$3.20 spent (no daily limit set)": whole phrases, for translators. */
function amountText(use: LimitUse, period: 'day' | 'month'): string {
  if (use.limit === undefined) return period === 'day' ? l10n.t('spent (no daily limit set)') : l10n.t('spent (no monthly budget set)');
  return period === 'day' ? l10n.t('of {0} daily limit', exactUsd(use.limit)) : l10n.t('of {0} monthly budget', exactUsd(use.limit));
}

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
}

renderAll();
