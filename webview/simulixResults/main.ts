// Simulix results explorer: per-agent answers in a virtualised grid (only the rows in view exist in the DOM), filters
// by demographic and answer, the answer distribution of one question as a bar chart, and export of the filtered
// agents (the host writes the file). Agent answers, levels and ids are provider data: text only (../common/dom.ts).
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import { themedChart, type ThemeColours } from '../common/chart';
import { el, replaceChildren, uniqueId, type Child } from '../common/dom';
import { HostConnection, newRequestId } from '../common/hostConnection';
import * as l10n from '@vscode/l10n';
import '../common/l10n'; // the host's translations, loaded before this page draws
import {
  EMPTY_FILTER,
  ResultsHostMessage,
  ResultsPageState,
  agentCountText,
  answerValues,
  countAnswers,
  filterIndices,
  fitFilter,
  type ExportFormat,
  type ResultCell,
  type ResultsFilter,
  type ResultsPageMessage,
  type ResultsPanelError,
  type ResultsView,
} from '../../src/shared/simulixResultsProtocol';

/** Fixed row height (px): the grid places row i at i × ROW_HEIGHT, so scrolling needs no measuring. */
const ROW_HEIGHT = 26;
/** Rows kept above and below the visible ones, so a fast scroll does not show blank space. */
const OVERSCAN = 10;
/** Bars beyond this are summed into "other" (free-text answers can have thousands of distinct values). */
const MAX_BARS = 30;

interface PageModel {
  simulationId?: string;
  title?: string;
  view?: ResultsView;
  loadError?: ResultsPanelError;
  filter: ResultsFilter;
  /** Rows the filter keeps (indices into view.rows). */
  shown: number[];
  /** The focused row, as a position in `shown`. */
  focus: number;
  chartColumn?: string;
  exporting?: string;
  exportNote?: { text: string; error?: ResultsPanelError };
}

const connection = new HostConnection<ResultsHostMessage, ResultsPageMessage, ResultsPageState>(ResultsHostMessage, ResultsPageState);
const saved = connection.getState();
const model: PageModel = { simulationId: saved?.simulationId, title: saved?.title, filter: saved?.filter ?? EMPTY_FILTER, shown: [], focus: 0, chartColumn: saved?.chartColumn };
const app = document.getElementById('app') as HTMLElement;

function persist(): void {
  if (!model.simulationId) return;
  connection.setState({ simulationId: model.simulationId, ...(model.title ? { title: model.title } : {}), filter: model.filter, ...(model.chartColumn ? { chartColumn: model.chartColumn } : {}) });
}

connection.start((message) => {
  switch (message.type) {
    case 'loading':
      model.simulationId = message.simulationId;
      model.title = message.title;
      model.view = undefined;
      model.loadError = undefined;
      persist();
      return renderPage();
    case 'show':
      model.simulationId = message.view.simulationId;
      model.view = message.view;
      model.loadError = undefined;
      // An empty answer has no levels: keep the user's filter for the next load rather than fitting it to nothing.
      if (message.view.rows.length > 0) model.filter = fitFilter(message.view, model.filter);
      if (!message.view.columns.some((c) => c.kind === 'answer' && c.key === model.chartColumn)) model.chartColumn = message.view.columns.find((c) => c.kind === 'answer')?.key;
      model.focus = 0;
      persist();
      return renderPage();
    case 'loadError':
      model.simulationId = message.simulationId;
      model.view = undefined;
      model.loadError = message.error;
      persist();
      return renderPage();
    case 'exported':
      if (model.exporting !== message.requestId) return;
      model.exporting = undefined;
      model.exportNote = { text: message.agents === 1 ? l10n.t('Exported 1 agent as {0} to {1}.', message.format.toUpperCase(), message.path) : l10n.t('Exported {0} agents as {1} to {2}.', message.agents.toLocaleString('en-US'), message.format.toUpperCase(), message.path) };
      return renderExportStatus();
    case 'exportCancelled':
      if (model.exporting !== message.requestId) return;
      model.exporting = undefined;
      model.exportNote = undefined;
      return renderExportStatus();
    case 'exportError':
      if (message.error.requestId && model.exporting !== message.error.requestId) return;
      model.exporting = undefined;
      model.exportNote = { text: l10n.t('The export failed.'), error: message.error };
      return renderExportStatus();
  }
});

// ---------- page ----------

const exportStatus = el('div', { className: 'export-status', attrs: { 'aria-live': 'polite' } });
const exportButtons: (HTMLElement & { disabled?: boolean })[] = [];

function renderPage(): void {
  if (model.loadError) {
    disposeChart();
    replaceChildren(app, heading(), renderLoadError(model.loadError));
    return;
  }
  const view = model.view;
  if (!view) {
    disposeChart();
    replaceChildren(app, heading(), el('p', { className: 'empty', attrs: { role: 'status' }, text: model.simulationId ? l10n.t('Loading the results of {0}…', model.simulationId) : l10n.t('Loading the results…') }));
    return;
  }
  const parts: Child[] = [heading(view), renderOutcome(view)];
  if (view.rows.length === 0) {
    disposeChart();
    parts.push(el('p', { className: 'empty', attrs: { role: 'status' }, text: view.status === 'failed' ? l10n.t('No agent finished before the simulation failed, so there are no answers to show.') : l10n.t('This simulation has no agent responses.') }));
    replaceChildren(app, ...parts);
    return;
  }
  parts.push(renderFilters(view), grid.root, renderSummary(view));
  replaceChildren(app, ...parts);
  grid.setColumns(view);
  applyFilter();
}

function heading(view?: ResultsView): HTMLElement {
  exportButtons.length = 0;
  const actions = el('div', { className: 'header-actions' });
  if (view && view.rows.length > 0) {
    for (const format of ['csv', 'json'] as const) {
      const button = el('vscode-button', { props: { secondary: format === 'json', disabled: !!model.exporting }, text: l10n.t('Export {0}', format.toUpperCase()), attrs: { title: l10n.t('Save the agents shown as {0} in the workspace', format.toUpperCase()) }, on: { click: () => exportAs(format) } });
      exportButtons.push(button);
      actions.append(button);
    }
  }
  const subtitle: string[] = [];
  if (view?.workflowId) subtitle.push(view.workflowId);
  else if (!view && model.title && model.title !== model.simulationId) subtitle.push(model.title);
  subtitle.push(l10n.t('simulation {0}', view?.simulationId ?? model.simulationId ?? ''));
  if (view?.status) subtitle.push(view.status);
  return el(
    'header',
    { className: 'page-header' },
    el('div', {}, el('h1', { text: l10n.t('Simulix results') }), el('p', { className: 'muted subtitle', text: subtitle.join(' · ') })),
    actions,
    view && view.rows.length > 0 ? exportStatus : null,
  );
}

function renderLoadError(error: ResultsPanelError): HTMLElement {
  return el(
    'div',
    { className: 'error-box load-error', attrs: { role: 'alert' } },
    el('p', { className: 'error-title', text: l10n.t('The results could not be loaded.') }),
    el('p', { text: error.message }),
    error.providerRequestId ? el('p', { className: 'muted' }, l10n.t('Request ID'), ' ', el('code', { text: error.providerRequestId })) : null,
    el('div', { className: 'row' }, el('vscode-button', { text: l10n.t('Retry'), on: { click: () => connection.post({ type: 'retry' }) } })),
  );
}

/** A failed simulation's reason and how many agents finished; unreadable records. */
function renderOutcome(view: ResultsView): HTMLElement | null {
  const notes: Child[] = [];
  if (view.status === 'failed') {
    const finished = view.agentCount !== undefined ? l10n.t('{0} of {1} agents finished', view.agentsCompleted.toLocaleString('en-US'), view.agentCount.toLocaleString('en-US')) : l10n.t('{0} agents finished', view.agentsCompleted.toLocaleString('en-US'));
    const reason = view.failureReason?.trim();
    notes.push(el('p', {}, el('strong', { text: l10n.t('This simulation failed') }), reason ? `: ${reason}${/[.!?]$/.test(reason) ? '' : '.'}` : '.', ' ', l10n.t('{0}; only their answers are shown and exported.', finished)));
  } else if (view.agentCount !== undefined && view.agentCount > view.rows.length) {
    notes.push(el('p', { text: l10n.t('{0} of the {1} agents asked for have answers.', view.rows.length.toLocaleString('en-US'), view.agentCount.toLocaleString('en-US')) }));
  }
  if (view.skipped > 0) notes.push(el('p', { className: 'muted', text: view.skipped === 1 ? l10n.t('1 agent record could not be read and is left out.') : l10n.t('{0} agent records could not be read and are left out.', view.skipped.toLocaleString('en-US')) }));
  if (notes.length === 0) return null;
  return el('div', { className: view.status === 'failed' ? 'warning-box' : 'note-box', attrs: { role: view.status === 'failed' ? 'alert' : 'note' } }, ...notes);
}

// ---------- filters ----------

const countText = el('p', { className: 'agent-count', attrs: { role: 'status', 'aria-live': 'polite' } });

function select(label: string, options: { value: string; text: string }[], value: string, onChange: (value: string) => void, disabled = false): HTMLElement {
  const id = uniqueId('filter');
  const picker = el('vscode-single-select', { id, props: { disabled }, on: { change: (event) => onChange((event.target as HTMLSelectElement).value) } });
  for (const option of options) picker.append(el('vscode-option', { props: { value: option.value, selected: option.value === value }, text: option.text }));
  return el('div', { className: 'field' }, el('vscode-label', { props: { htmlFor: id }, text: label }), picker);
}

function renderFilters(view: ResultsView): HTMLElement {
  const fields: HTMLElement[] = [];
  for (const column of view.columns) {
    if (column.kind !== 'demographic' || column.dimension === undefined) continue;
    const dimension = column.dimension;
    const levels = view.levels[dimension] ?? [];
    fields.push(
      select(column.label, [{ value: '', text: l10n.t('All') }, ...levels.map((level) => ({ value: level, text: level }))], model.filter.demographics[dimension] ?? '', (value) => {
        const demographics = { ...model.filter.demographics };
        if (value === '') delete demographics[dimension];
        else demographics[dimension] = value;
        model.filter = { ...model.filter, demographics };
        applyFilter();
      }),
    );
  }
  const questions = [...new Set(view.columns.flatMap((c) => (c.kind === 'answer' && c.question !== undefined ? [c.question] : [])))];
  const answer = model.filter.answer;
  const valueBox = el('div', { className: 'answer-value' });
  const renderValuePicker = (question: string | undefined, value: string) => {
    const values = question ? answerValues(view, question) : [];
    replaceChildren(
      valueBox,
      select(view.columns.some((c) => c.kind === 'answer' && c.round !== undefined && c.round !== view.columns.find((d) => d.kind === 'answer')?.round) ? l10n.t('Answer (in any round)') : l10n.t('Answer'), [{ value: '', text: question ? l10n.t('Any') : '—' }, ...values.map((v) => ({ value: v, text: v }))], value, (picked) => {
        model.filter = { demographics: model.filter.demographics, ...(question && picked !== '' ? { answer: { question, value: picked } } : {}) };
        applyFilter();
      }, !question),
    );
  };
  let question = answer?.question;
  if (questions.length > 0) {
    fields.push(
      select(l10n.t('Question'), [{ value: '', text: l10n.t('Any') }, ...questions.map((q) => ({ value: q, text: q }))], question ?? '', (picked) => {
        question = picked === '' ? undefined : picked;
        model.filter = { demographics: model.filter.demographics };
        renderValuePicker(question, '');
        applyFilter();
      }),
      valueBox,
    );
    renderValuePicker(question, answer?.value ?? '');
  }
  const clear = el('vscode-button', {
    props: { secondary: true },
    text: l10n.t('Clear Filters'),
    on: {
      click: () => {
        model.filter = EMPTY_FILTER;
        persist();
        renderPage();
      },
    },
  });
  return el('section', { className: 'filters', attrs: { 'aria-label': l10n.t('Filters') } }, el('div', { className: 'row filter-row' }, ...fields, el('div', { className: 'field clear-field' }, clear)), countText);
}

function applyFilter(): void {
  const view = model.view;
  if (!view) return;
  model.shown = filterIndices(view, model.filter);
  model.focus = Math.min(model.focus, Math.max(0, model.shown.length - 1));
  countText.textContent = agentCountText(model.shown.length, view.rows.length);
  for (const button of exportButtons) button.disabled = !!model.exporting || model.shown.length === 0;
  grid.setRows(view, model.shown);
  scheduleSummary();
  persist();
}

// ---------- the grid ----------

interface PooledRow {
  readonly element: HTMLElement;
  readonly cells: HTMLElement[];
  /** The row position (in `shown`) it shows now; -1 when unused. */
  position: number;
  view?: ResultsView;
}

/**
 * A scroll container holding a sticky header row and a spacer as tall as all rows; only the rows in view (plus an
 * overscan) exist, absolutely placed, and are re-filled as the user scrolls. Keyboard: arrows, Page Up/Down, Home/End
 * move the focused row (aria-activedescendant), left/right scroll sideways.
 */
class VirtualGrid {
  readonly root: HTMLElement;
  private readonly header: HTMLElement;
  private readonly body: HTMLElement;
  private readonly pool: PooledRow[] = [];
  private view?: ResultsView;
  private rows: number[] = [];
  private frame = 0;

  constructor() {
    this.header = el('div', { className: 'grid-row grid-header', attrs: { role: 'row', 'aria-rowindex': '1' } });
    this.body = el('div', { className: 'grid-body', attrs: { role: 'rowgroup' } });
    this.root = el(
      'div',
      {
        className: 'grid',
        attrs: { role: 'grid', tabindex: '0', 'aria-label': l10n.t('Agents and their answers'), 'aria-readonly': 'true' },
        on: { scroll: () => this.schedule(), keydown: (event) => this.onKey(event as KeyboardEvent) },
      },
      el('div', { attrs: { role: 'rowgroup' }, className: 'grid-head' }, this.header),
      this.body,
    );
    new ResizeObserver(() => this.schedule()).observe(this.root);
  }

  setColumns(view: ResultsView): void {
    const widths = columnWidths(view);
    const template = widths.map((w) => `${w}px`).join(' ');
    this.root.style.setProperty('--grid-columns', template);
    this.root.style.setProperty('--grid-width', `${widths.reduce((a, b) => a + b, 0)}px`);
    this.root.setAttribute('aria-colcount', String(view.columns.length));
    replaceChildren(
      this.header,
      ...view.columns.map((column, i) =>
        el('div', { className: `grid-cell kind-${column.kind}`, attrs: { role: 'columnheader', 'aria-colindex': String(i + 1), title: column.key }, text: column.label }),
      ),
    );
    for (const row of this.pool) row.element.remove();
    this.pool.length = 0;
  }

  setRows(view: ResultsView, rows: number[]): void {
    this.view = view;
    this.rows = rows;
    this.root.setAttribute('aria-rowcount', String(rows.length + 1));
    this.body.style.height = `${rows.length * ROW_HEIGHT}px`;
    for (const row of this.pool) row.position = -1;
    const maxTop = Math.max(0, rows.length * ROW_HEIGHT - this.viewportHeight());
    if (this.root.scrollTop > maxTop) this.root.scrollTop = maxTop;
    this.draw();
  }

  private viewportHeight(): number {
    return Math.max(0, this.root.clientHeight - ROW_HEIGHT);
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Fills the pool with the rows in view; rows already showing the right position are left alone. */
  draw(): void {
    const view = this.view;
    if (!view) return;
    const first = Math.max(0, Math.floor(this.root.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil(Math.max(this.viewportHeight(), 400) / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(this.rows.length, first + visible);
    const wanted = new Set<number>();
    for (let p = first; p < last; p += 1) wanted.add(p);
    const free: PooledRow[] = [];
    for (const row of this.pool) {
      if (row.position >= 0 && wanted.has(row.position) && row.view === view) wanted.delete(row.position);
      else free.push(row);
    }
    for (const position of wanted) {
      const row = free.pop() ?? this.newRow(view);
      this.fill(row, view, position);
    }
    for (const row of free) {
      row.position = -1;
      row.element.hidden = true;
    }
    this.markFocus();
  }

  private newRow(view: ResultsView): PooledRow {
    const cells = view.columns.map((_, i) => el('div', { className: 'grid-cell', attrs: { role: 'gridcell', 'aria-colindex': String(i + 1) } }));
    const element = el('div', { className: 'grid-row', id: uniqueId('agent-row'), attrs: { role: 'row' }, on: { click: () => this.focusPosition(row.position, false) } }, ...cells);
    const row: PooledRow = { element, cells, position: -1 };
    this.pool.push(row);
    this.body.append(element);
    return row;
  }

  private fill(row: PooledRow, view: ResultsView, position: number): void {
    const data = view.rows[this.rows[position] as number] ?? [];
    row.position = position;
    row.view = view;
    row.element.hidden = false;
    row.element.style.transform = `translateY(${position * ROW_HEIGHT}px)`;
    row.element.setAttribute('aria-rowindex', String(position + 2));
    row.element.classList.toggle('odd', position % 2 === 1);
    row.cells.forEach((cell, i) => {
      const text = cellText(data[i]);
      cell.textContent = text;
      cell.classList.toggle('missing', data[i] === null || data[i] === undefined);
      cell.classList.toggle('number', typeof data[i] === 'number');
      if (text.length > 24) cell.setAttribute('title', text);
      else cell.removeAttribute('title');
    });
  }

  private markFocus(): void {
    let active: string | undefined;
    for (const row of this.pool) {
      const focused = row.position === model.focus && row.position >= 0;
      row.element.classList.toggle('focused', focused);
      row.element.setAttribute('aria-selected', String(focused));
      if (focused) active = row.element.id;
    }
    if (active) this.root.setAttribute('aria-activedescendant', active);
    else this.root.removeAttribute('aria-activedescendant');
  }

  private onKey(event: KeyboardEvent): void {
    if (this.rows.length === 0) return;
    const page = Math.max(1, Math.floor(this.viewportHeight() / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -Infinity, End: Infinity };
    const move = moves[event.key];
    if (move === undefined) return;
    event.preventDefault();
    const target = move === Infinity ? this.rows.length - 1 : move === -Infinity ? 0 : model.focus + move;
    this.focusPosition(target, true);
  }

  private focusPosition(position: number, scroll: boolean): void {
    if (position < 0 && this.rows.length === 0) return;
    model.focus = Math.max(0, Math.min(this.rows.length - 1, position));
    if (scroll) {
      const top = model.focus * ROW_HEIGHT;
      const height = this.viewportHeight();
      if (top < this.root.scrollTop) this.root.scrollTop = top;
      else if (top + ROW_HEIGHT > this.root.scrollTop + height) this.root.scrollTop = top + ROW_HEIGHT - height;
    }
    this.draw();
  }
}

const grid = new VirtualGrid();

function cellText(cell: ResultCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'number' ? String(cell) : cell;
}

/**
 * Width per column from its label and a sample of its values, measured with the fonts the grid uses (fixed widths, so
 * rows never need measuring and the header stays aligned with the body).
 */
function columnWidths(view: ResultsView): number[] {
  const sample = view.rows.slice(0, 300);
  const context = document.createElement('canvas').getContext('2d');
  const style = getComputedStyle(document.body);
  const family = style.getPropertyValue('--vscode-font-family').trim() || style.fontFamily || 'sans-serif';
  const mono = style.getPropertyValue('--vscode-editor-font-family').trim() || 'monospace';
  const size = parseFloat(style.fontSize) || 13;
  const measure = (text: string, font: string) => {
    if (!context) return text.length * size * 0.62;
    context.font = font;
    return context.measureText(text).width;
  };
  return view.columns.map((column, i) => {
    const font = `${size}px ${column.kind === 'id' ? mono : family}`;
    let widest = measure(column.label, `600 ${size}px ${family}`);
    for (const row of sample) widest = Math.max(widest, measure(cellText(row[i]), font));
    // 8px padding each side, a pixel of border, and a little air.
    return Math.max(64, Math.min(320, Math.ceil(widest) + 24));
  });
}

// ---------- summary chart ----------

const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': l10n.t('Answer distribution') } });
const chartBox = el('div', { className: 'chart-box' }, canvas);
const summaryText = el('p', { className: 'muted summary-text', attrs: { 'aria-live': 'polite' } });
const countsList = el('ol', { className: 'counts', attrs: { 'aria-label': l10n.t('Answer counts') } });
let chart: { update(): void; dispose(): void } | undefined;
let chartStarting = false;
let summaryFrame = 0;
let bars: { labels: string[]; full: string[]; counts: number[] } = { labels: [], full: [], counts: [] };

function renderSummary(view: ResultsView): HTMLElement {
  const answerColumns = view.columns.filter((c) => c.kind === 'answer');
  const section = el('section', { className: 'summary', attrs: { 'aria-label': l10n.t('Answer distribution') } });
  const header = el('div', { className: 'section-header' }, el('h2', { text: l10n.t('Answer distribution') }));
  if (answerColumns.length === 0) {
    section.append(header, el('p', { className: 'empty', text: l10n.t('The agents gave no answers to summarise.') }));
    return section;
  }
  header.append(
    select(l10n.t('Question'), answerColumns.map((c) => ({ value: c.key, text: c.label })), model.chartColumn ?? '', (value) => {
      model.chartColumn = value;
      persist();
      scheduleSummary();
    }),
  );
  section.append(header, summaryText, el('div', { className: 'summary-body' }, chartBox, countsList));
  return section;
}

function scheduleSummary(): void {
  if (summaryFrame) return;
  summaryFrame = requestAnimationFrame(() => {
    summaryFrame = 0;
    drawSummary();
  });
}

function drawSummary(): void {
  const view = model.view;
  if (!view) return;
  const column = view.columns.findIndex((c) => c.kind === 'answer' && c.key === model.chartColumn);
  if (column < 0) return;
  const { counts, total, mean } = countAnswers(view, column, model.shown);
  const top = counts.length > MAX_BARS ? [...counts].sort((a, b) => b.count - a.count).slice(0, MAX_BARS - 1) : counts;
  const rest = counts.length > MAX_BARS ? total - top.reduce((sum, c) => sum + c.count, 0) : 0;
  const entries = rest > 0 ? [...top.map((c) => ({ ...c })), { answer: l10n.t('{0} other answers', counts.length - top.length), count: rest }] : counts;
  bars = { labels: entries.map((e) => shorten(e.answer, 28)), full: entries.map((e) => e.answer), counts: entries.map((e) => e.count) };
  const label = view.columns[column]?.label ?? '';
  summaryText.textContent =
    total === 0 ? l10n.t('No agent shown answered “{0}”.', label) : answersText(total, label, mean);
  replaceChildren(
    countsList,
    ...entries.map((e) =>
      el('li', {}, el('span', { className: 'count-answer', text: e.answer }), el('span', { className: 'count-value', text: `${e.count.toLocaleString('en-US')} (${total ? Math.round((e.count / total) * 1000) / 10 : 0}%)` })),
    ),
  );
  chartBox.hidden = total === 0;
  if (chart) chart.update();
  else if (!chartStarting && total > 0) startChart();
}

function chartConfig(colours: ThemeColours) {
  return {
    type: 'bar' as const,
    data: { labels: bars.labels, datasets: [{ label: l10n.t('Agents'), data: bars.counts, backgroundColor: colours.series[0] ?? '#3794ff', borderRadius: 2 }] },
    options: {
      scales: { x: { grid: { display: false }, ticks: { maxRotation: 45, autoSkip: false } }, y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { tooltip: { callbacks: { title: (items: { dataIndex: number }[]) => bars.full[items[0]?.dataIndex ?? 0] ?? '' } } },
    },
  };
}

function startChart(): void {
  chartStarting = true;
  void themedChart(canvas, chartConfig)
    .then((handle) => {
      chart = handle;
      chartStarting = false;
      handle.update();
    })
    .catch((error: unknown) => {
      chartStarting = false;
      replaceChildren(chartBox, el('p', { className: 'error-text', text: l10n.t('The chart could not be drawn: {0}', error instanceof Error ? error.message : String(error)) }));
    });
}

function disposeChart(): void {
  // The canvas is reused: the chart stays bound to it while the page is shown, and only goes with a state change.
  if (chart && !model.view) {
    chart.dispose();
    chart = undefined;
  }
}

/** "12 answers to “Q1” from the agents shown; mean 3.40.": one sentence per case, for translators. */
function answersText(total: number, label: string, mean: number | undefined): string {
  const count = total.toLocaleString('en-US');
  if (mean === undefined) return total === 1 ? l10n.t('1 answer to “{0}” from the agents shown.', label) : l10n.t('{0} answers to “{1}” from the agents shown.', count, label);
  return total === 1 ? l10n.t('1 answer to “{0}” from the agents shown; mean {1}.', label, mean.toFixed(2)) : l10n.t('{0} answers to “{1}” from the agents shown; mean {2}.', count, label, mean.toFixed(2));
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// ---------- export ----------

function exportAs(format: ExportFormat): void {
  if (model.exporting || !model.view) return;
  const requestId = newRequestId();
  model.exporting = requestId;
  model.exportNote = { text: l10n.t('Exporting {0} as {1}…', agentCountText(model.shown.length, model.view.rows.length), format.toUpperCase()) };
  connection.post({ type: 'export', requestId, format, filter: model.filter });
  renderExportStatus();
}

function renderExportStatus(): void {
  for (const button of exportButtons) button.disabled = !!model.exporting || model.shown.length === 0;
  const note = model.exportNote;
  if (!note) {
    replaceChildren(exportStatus);
    return;
  }
  if (note.error) {
    replaceChildren(
      exportStatus,
      el('div', { className: 'error-box', attrs: { role: 'alert' } }, el('p', { text: `${note.text} ${note.error.message}` }), note.error.providerRequestId ? el('p', { className: 'muted' }, l10n.t('Request ID'), ' ', el('code', { text: note.error.providerRequestId })) : null),
    );
    return;
  }
  replaceChildren(exportStatus, el('p', { className: model.exporting ? 'muted' : 'notice', text: note.text }));
}

renderPage();
