// Compare Sweep Variants: one row per variant (parameters, status, duration, cost, metrics), sortable by any column
// with the mouse or the keyboard (the headers are buttons), a chart of a chosen metric against a chosen parameter
// (one line per value of the other parameter when there are two), and Download Best. Variant ids, parameter names
// and values, metric names and error messages are provider or workspace data: text only (../common/dom.ts).
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import * as l10n from '@vscode/l10n';
import { themedChart, type ThemeColours } from '../common/chart';
import { el, replaceChildren, uniqueId, type Child } from '../common/dom';
import { HostConnection, newRequestId } from '../common/hostConnection';
import '../common/l10n'; // the host's translations, loaded before this page draws
import {
  SweepHostMessage,
  SweepPageState,
  cellValue,
  columnDirection,
  metricKey,
  metricLabel,
  pickBest,
  sortRows,
  type Cell,
  type Direction,
  type SweepPageMessage,
  type SweepView,
  type VariantRow,
} from '../../src/shared/sweepComparisonProtocol';

interface Column {
  readonly key: string;
  readonly label: string;
  readonly numeric: boolean;
}

interface PageModel {
  sweepId?: string;
  view?: SweepView;
  missing?: boolean;
  sort: { column: string; descending: boolean };
  chartMetric?: string;
  chartParameter?: string;
  /** The user's choice; the metric's own direction when unset. */
  direction?: Direction;
  download?: { requestId: string; text: string; error?: boolean };
}

const connection = new HostConnection<SweepHostMessage, SweepPageMessage, SweepPageState>(SweepHostMessage, SweepPageState);
const saved = connection.getState();
const model: PageModel = {
  sweepId: saved?.sweepId,
  sort: saved?.sort ?? { column: 'variant', descending: false },
  chartMetric: saved?.chartMetric,
  chartParameter: saved?.chartParameter,
  direction: saved?.direction,
};
const app = document.getElementById('app') as HTMLElement;

function persist(): void {
  if (!model.sweepId) return;
  connection.setState({
    sweepId: model.sweepId,
    sort: model.sort,
    ...(model.chartMetric ? { chartMetric: model.chartMetric } : {}),
    ...(model.chartParameter ? { chartParameter: model.chartParameter } : {}),
    ...(model.direction ? { direction: model.direction } : {}),
  });
}

connection.start((message) => {
  switch (message.type) {
    case 'show':
      model.sweepId = message.view.sweepId;
      model.view = message.view;
      model.missing = false;
      fitChoices(message.view);
      persist();
      return render();
    case 'missing':
      model.sweepId = message.sweepId;
      model.view = undefined;
      model.missing = true;
      persist();
      return render();
    case 'download':
      if (model.download?.requestId !== message.requestId) return;
      model.download = downloadNote(message.state, message.variant, message.message);
      return renderDownloadStatus();
  }
});

/** Choices that no longer fit the data (a reload, a metric that vanished) fall back to the first that does. */
function fitChoices(view: SweepView): void {
  const metrics = metricColumns(view).map((c) => c.key);
  // Metrics arrive after the first view (a restored panel reads them from the cache): until a view has some, the
  // user's choices are kept rather than reset, or a reload would lose them.
  if (metrics.length > 0 && (!model.chartMetric || !metrics.includes(model.chartMetric))) {
    model.chartMetric = metrics.find((key) => key.endsWith(':last')) ?? metrics[0];
    model.direction = undefined;
  }
  if (view.parameters.length > 0 && (!model.chartParameter || !view.parameters.includes(model.chartParameter))) model.chartParameter = view.parameters[0];
}

function metricColumns(view: SweepView): Column[] {
  return view.metrics.flatMap((metric) => (['last', 'best'] as const).map((stat) => ({ key: metricKey(metric.name, stat), label: metricLabel(metric, stat), numeric: true })));
}

function columns(view: SweepView): Column[] {
  return [
    { key: 'variant', label: l10n.t('Variant'), numeric: false },
    ...view.parameters.map((name) => ({ key: `param:${name}`, label: name, numeric: view.rows.every((row) => typeof (row.parameters[name] ?? 0) === 'number') })),
    { key: 'status', label: l10n.t('Status'), numeric: false },
    { key: 'duration', label: l10n.t('Duration'), numeric: true },
    { key: 'cost', label: l10n.t('Cost'), numeric: true },
    { key: 'metrics', label: l10n.t('Metrics'), numeric: false },
    ...metricColumns(view),
  ];
}

// ---------- page ----------

const controls = el('section', { className: 'controls', attrs: { 'aria-label': l10n.t('Chart and best variant') } });
const notes = el('div', { className: 'notes', attrs: { role: 'status', 'aria-live': 'polite' } });
const tableWrap = el('div', { className: 'table-wrap' });
const bestText = el('p', { className: 'best-text', attrs: { 'aria-live': 'polite' } });
const downloadStatus = el('p', { className: 'download-status', attrs: { 'aria-live': 'polite' } });
let downloadButton: (HTMLElement & { disabled?: boolean }) | undefined;
let controlsSignature = '';

function render(): void {
  if (model.missing || !model.view) {
    disposeChart();
    controlsSignature = '';
    delete app.dataset.shown;
    const text = model.missing
      ? l10n.t('Sweep {0} is not in the Sim Cloud view: sign in to the account that ran it, or refresh the view.', model.sweepId ?? '')
      : l10n.t('Loading the variants…');
    replaceChildren(app, heading(), el('p', { className: 'empty', attrs: { role: model.missing ? 'alert' : 'status' }, text }));
    return;
  }
  const view = model.view;
  if (app.dataset.shown !== view.sweepId) {
    app.dataset.shown = view.sweepId;
    replaceChildren(app, heading(view), notes, controls, tableWrap, chartSection);
  } else {
    replaceChildren(app.querySelector('header') as HTMLElement, ...headingParts(view));
  }
  renderNotes(view);
  renderControls(view);
  renderTable(view);
  drawChart();
}

function heading(view?: SweepView): HTMLElement {
  return el('header', { className: 'page-header' }, ...headingParts(view));
}

function headingParts(view?: SweepView): Child[] {
  const subtitle: string[] = [l10n.t('sweep {0}', view?.sweepId ?? model.sweepId ?? '')];
  if (view) {
    subtitle.push(view.statusText);
    const finished = view.rows.filter((row) => ['succeeded', 'failed', 'cancelled'].includes(row.status)).length;
    subtitle.push(l10n.t('{0} of {1} variants finished', finished, view.total));
  }
  return [el('h1', { text: l10n.t('Sweep comparison') }), el('p', { className: 'muted subtitle', text: subtitle.join(' · ') })];
}

/** What is missing and why, in plain words: runs in progress, failed variants, results without metrics. */
function renderNotes(view: SweepView): void {
  const count = (state: VariantRow['metricsState']) => view.rows.filter((row) => row.metricsState === state).length;
  const lines: Child[] = [];
  const waiting = count('waiting');
  const loading = count('loading');
  const unavailable = count('unavailable');
  const none = count('none') + count('unreadable');
  const errors = count('error');
  if (view.rows.length === 0) lines.push(el('p', { className: 'empty', text: l10n.t('No variant of this sweep is listed yet; they appear with the next refresh.') }));
  if (waiting > 0) lines.push(el('p', { text: waiting === 1 ? l10n.t('1 variant has not finished: its metrics appear when it does.') : l10n.t('{0} variants have not finished: their metrics appear when they do.', waiting) }));
  if (loading > 0) lines.push(el('p', { className: 'muted', text: loading === 1 ? l10n.t('Reading the metrics of 1 finished variant…') : l10n.t('Reading the metrics of {0} finished variants…', loading) }));
  if (unavailable > 0) lines.push(el('p', { className: 'warning-text', text: unavailable === 1 ? l10n.t('1 variant failed or was cancelled: it has no results to compare.') : l10n.t('{0} variants failed or were cancelled: they have no results to compare.', unavailable) }));
  if (none > 0) lines.push(el('p', { className: 'muted', text: none === 1 ? l10n.t('1 finished variant has no usable metrics file (metrics.json or a CSV) in its results.') : l10n.t('{0} finished variants have no usable metrics file (metrics.json or a CSV) in their results.', none) }));
  if (errors > 0) {
    lines.push(
      el(
        'div',
        { className: 'error-box', attrs: { role: 'alert' } },
        el(
          'div',
          {},
          el('p', { text: errors === 1 ? l10n.t('The metrics of 1 variant could not be read.') : l10n.t('The metrics of {0} variants could not be read.', errors) }),
          ...view.rows.filter((row) => row.metricsState === 'error').slice(0, 3).map((row) => el('p', { className: 'error-detail' }, el('strong', { text: row.label }), `: ${row.metricsNote ?? ''}`)),
        ),
        el('vscode-button', { props: { secondary: true }, text: l10n.t('Retry'), on: { click: () => connection.post({ type: 'retryMetrics' }) } }),
      ),
    );
  }
  if (view.metrics.length === 0 && view.rows.length > 0 && waiting + loading === 0) lines.push(el('p', { className: 'empty', text: l10n.t('No finished variant has metrics to compare.') }));
  replaceChildren(notes, ...lines);
}

// ---------- controls: chart metric and parameter, best direction, Download Best ----------

function select(label: string, options: { value: string; text: string }[], value: string | undefined, onChange: (value: string) => void, className: string): HTMLElement {
  const id = uniqueId('choice');
  const picker = el('vscode-single-select', { id, className, on: { change: (event) => onChange((event.target as HTMLSelectElement).value) } });
  for (const option of options) picker.append(el('vscode-option', { props: { value: option.value, selected: option.value === value }, text: option.text }));
  return el('div', { className: 'field' }, el('vscode-label', { props: { htmlFor: id }, text: label }), picker);
}

/** Rebuilt only when the choices change, so a poll never closes a dropdown the user has open. */
function renderControls(view: SweepView): void {
  const metrics = metricColumns(view);
  const signature = JSON.stringify([metrics.map((m) => m.key), view.parameters, model.chartMetric, model.chartParameter, model.direction]);
  if (signature !== controlsSignature) {
    controlsSignature = signature;
    const fields: HTMLElement[] = [];
    if (metrics.length > 0) {
      fields.push(
        select(l10n.t('Metric'), metrics.map((m) => ({ value: m.key, text: m.label })), model.chartMetric, (value) => {
          model.chartMetric = value;
          model.direction = undefined;
          persist();
          render();
        }, 'metric-select'),
        select(l10n.t('Best is'), [{ value: 'min', text: l10n.t('lowest') }, { value: 'max', text: l10n.t('highest') }], currentDirection(view), (value) => {
          model.direction = value === 'min' ? 'min' : 'max';
          persist();
          render();
        }, 'direction-select'),
      );
    }
    if (view.parameters.length > 0) {
      fields.push(
        select(l10n.t('Against parameter'), view.parameters.map((p) => ({ value: p, text: p })), model.chartParameter, (value) => {
          model.chartParameter = value;
          persist();
          render();
        }, 'parameter-select'),
      );
    }
    downloadButton = el('vscode-button', { className: 'download-best', text: l10n.t('Download Best'), on: { click: () => downloadBest() } });
    replaceChildren(controls, el('div', { className: 'row' }, ...fields, el('div', { className: 'field button-field' }, downloadButton)), bestText, downloadStatus);
  }
  const best = model.chartMetric ? pickBest(view.rows, model.chartMetric, currentDirection(view)) : undefined;
  const label = model.chartMetric ? metrics.find((m) => m.key === model.chartMetric)?.label ?? '' : '';
  if (downloadButton) {
    downloadButton.disabled = !best || !!model.download?.requestId && downloadStatus.dataset.state === 'started';
    downloadButton.textContent = best ? l10n.t('Download Best ({0})', best.label) : l10n.t('Download Best');
  }
  bestText.textContent = best
    ? l10n.t('Best by {0}, {1} is better: {2} ({3}).', label, currentDirection(view) === 'min' ? l10n.t('lower') : l10n.t('higher'), best.label, formatNumber(best.metrics[model.chartMetric as string]))
    : metrics.length > 0
      ? l10n.t('No finished variant has a value for {0} yet.', label)
      : '';
  renderDownloadStatus();
}

function currentDirection(view: SweepView): Direction {
  return model.direction ?? (model.chartMetric ? columnDirection(view, model.chartMetric) : 'max');
}

function downloadBest(): void {
  const view = model.view;
  if (!view || !model.chartMetric) return;
  const requestId = newRequestId();
  const best = pickBest(view.rows, model.chartMetric, currentDirection(view));
  model.download = { requestId, text: l10n.t('Downloading the results of {0}…', best?.label ?? '') };
  downloadStatus.dataset.state = 'started';
  connection.post({ type: 'downloadBest', requestId, metric: model.chartMetric, direction: currentDirection(view) });
  renderDownloadStatus();
}

function downloadNote(state: 'started' | 'done' | 'cancelled' | 'failed', variant: string | undefined, message: string | undefined): PageModel['download'] {
  const requestId = model.download?.requestId ?? '';
  downloadStatus.dataset.state = state;
  switch (state) {
    case 'started':
      return { requestId, text: l10n.t('Downloading the results of {0}: choose the folder in the prompt above.', variant ?? '') };
    case 'done':
      return { requestId, text: l10n.t('Downloaded the results of {0}.', variant ?? '') };
    case 'cancelled':
      return { requestId, text: l10n.t('The download of {0} was not started.', variant ?? '') };
    case 'failed':
      return { requestId, text: message ?? l10n.t('The download failed.'), error: true };
  }
}

function renderDownloadStatus(): void {
  const note = model.download;
  downloadStatus.textContent = note?.text ?? '';
  downloadStatus.className = `download-status${note?.error ? ' error-text' : ''}`;
  if (downloadButton) downloadButton.disabled = !model.view || !model.chartMetric || !pickBest(model.view.rows, model.chartMetric, currentDirection(model.view)) || downloadStatus.dataset.state === 'started';
}

// ---------- the table ----------

function renderTable(view: SweepView): void {
  const focusedKey = (document.activeElement as HTMLElement | null)?.dataset?.sortKey;
  const cols = columns(view);
  // The sort the user chose, kept even while its column is missing (metrics not read yet): meanwhile by variant.
  const sort = cols.some((c) => c.key === model.sort.column) ? model.sort : { column: 'variant', descending: false };
  const rows = sortRows(view.rows, sort.column, sort.descending);
  const best = model.chartMetric ? pickBest(view.rows, model.chartMetric, currentDirection(view)) : undefined;
  const header = el(
    'tr',
    {},
    ...cols.map((column) => {
      const active = sort.column === column.key;
      const button = el('button', {
        className: 'sort-button',
        attrs: { type: 'button', 'data-sort-key': column.key, title: l10n.t('Sort by {0}', column.label) },
        on: { click: () => sortBy(column.key) },
      }, el('span', { text: column.label }), el('span', { className: `sort-mark${active ? '' : ' inactive'}`, attrs: { 'aria-hidden': 'true' }, text: active ? (sort.descending ? '▼' : '▲') : '↕' }));
      return el('th', { className: column.numeric ? 'number' : '', attrs: { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' } }, button);
    }),
  );
  const body = el(
    'tbody',
    {},
    ...rows.map((row) =>
      el(
        'tr',
        { className: `status-${row.status}${row === best ? ' best' : ''}`, attrs: { 'data-variant': row.id } },
        ...cols.map((column, i) => {
          const { text, className, title } = cellDisplay(row, column);
          const cell = el(i === 0 ? 'th' : 'td', { className: `${column.numeric ? 'number' : ''} ${className}`.trim(), text, ...(i === 0 ? { attrs: { scope: 'row' } } : {}) });
          if (title) cell.title = title;
          if (i === 0 && row === best) cell.append(el('span', { className: 'best-badge', text: l10n.t('best') }));
          return cell;
        }),
      ),
    ),
  );
  replaceChildren(tableWrap, el('table', { className: 'variants', attrs: { 'aria-label': l10n.t('Variants of sweep {0}', view.sweepId) } }, el('thead', {}, header), body));
  if (focusedKey) (tableWrap.querySelector(`[data-sort-key="${CSS.escape(focusedKey)}"]`) as HTMLElement | null)?.focus();
}

function sortBy(column: string): void {
  model.sort = model.sort.column === column ? { column, descending: !model.sort.descending } : { column, descending: false };
  persist();
  if (model.view) renderTable(model.view);
}

function cellDisplay(row: VariantRow, column: Column): { text: string; className?: string; title?: string } {
  if (column.key === 'variant') return { text: row.label, title: row.id };
  if (column.key === 'status') return { text: row.statusText, className: `status ${row.status}` };
  if (column.key === 'duration') return row.durationMs === null ? unknown() : { text: formatDuration(row.durationMs) };
  if (column.key === 'cost') return row.costCredits === null ? unknown(l10n.t('The service does not say what this variant cost.')) : { text: l10n.t('{0} credits', formatNumber(row.costCredits)) };
  if (column.key === 'metrics') return metricsState(row);
  const value = cellValue(row, column.key);
  if (value === null) return unknown();
  return { text: typeof value === 'number' ? formatNumber(value) : String(value) };
}

function unknown(title?: string): { text: string; className: string; title?: string } {
  return { text: '—', className: 'missing', ...(title ? { title } : {}) };
}

function metricsState(row: VariantRow): { text: string; className?: string; title?: string } {
  switch (row.metricsState) {
    case 'loaded':
      return { text: row.metricsNote ?? '', className: 'source' };
    case 'loading':
      return { text: l10n.t('reading…'), className: 'muted' };
    case 'waiting':
      return { text: l10n.t('when finished'), className: 'muted' };
    case 'none':
      return { text: l10n.t('no metrics file'), className: 'muted' };
    case 'unreadable':
      return { text: l10n.t('unreadable'), className: 'warning-text', title: row.metricsNote };
    case 'error':
      return { text: l10n.t('could not be read'), className: 'error-text', title: row.metricsNote };
    case 'unavailable':
      return { text: l10n.t('no results'), className: 'muted' };
  }
}

function formatNumber(value: number | undefined): string {
  if (value === undefined) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 1000) return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
  return String(Number(value.toPrecision(4)));
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return l10n.t('{0} h {1} min', h, m);
  if (m > 0) return s > 0 ? l10n.t('{0} min {1} s', m, s) : l10n.t('{0} min', m);
  return l10n.t('{0} s', s);
}

// ---------- chart ----------

const canvas = el('canvas', { className: 'chart-canvas', attrs: { role: 'img', 'aria-label': l10n.t('Metric against parameter') } });
const chartBox = el('div', { className: 'chart-box' }, canvas);
const chartCaption = el('p', { className: 'muted chart-caption', attrs: { 'aria-live': 'polite' } });
const chartSection = el('section', { className: 'chart', attrs: { 'aria-label': l10n.t('Chart') } }, el('h2', { text: l10n.t('Chart') }), chartCaption, chartBox);
let chart: { update(): void; dispose(): void } | undefined;
let chartStarting = false;
let series: { labels: string[]; datasets: { label: string; points: { x: number; y: number; variant: string }[] }[]; metric: string; parameter: string; lines: boolean } = { labels: [], datasets: [], metric: '', parameter: '', lines: false };

function drawChart(): void {
  const view = model.view;
  if (!view) return;
  series = chartSeries(view);
  const points = series.datasets.reduce((sum, d) => sum + d.points.length, 0);
  const metricKnown = model.chartMetric !== undefined && metricColumns(view).some((c) => c.key === model.chartMetric);
  if (!metricKnown || !model.chartParameter) chartCaption.textContent = view.parameters.length === 0 ? l10n.t('The variants name no parameters to chart against.') : l10n.t('The chart appears when a finished variant has metrics.');
  else if (points === 0) chartCaption.textContent = l10n.t('No finished variant has a value for {0} yet.', series.metric);
  else chartCaption.textContent = points === 1 ? l10n.t('{0} against {1}: 1 variant.', series.metric, series.parameter) : l10n.t('{0} against {1}: {2} variants.', series.metric, series.parameter, points);
  chartBox.hidden = points === 0;
  if (chart) chart.update();
  else if (!chartStarting && points > 0) startChart();
}

/** Points of the chosen metric by the chosen parameter's value; one series per value of the other parameter when there are exactly two. */
function chartSeries(view: SweepView): typeof series {
  const metricColumn = metricColumns(view).find((c) => c.key === model.chartMetric);
  const parameter = model.chartParameter;
  if (!metricColumn || !parameter) return { labels: [], datasets: [], metric: metricColumn?.label ?? '', parameter: parameter ?? '', lines: false };
  const other = view.parameters.length === 2 ? view.parameters.find((p) => p !== parameter) : undefined;
  const rows = view.rows.filter((row) => row.metrics[metricColumn.key] !== undefined && row.parameters[parameter] !== undefined);
  const values = distinct(rows.map((row) => row.parameters[parameter] ?? null));
  const labels = values.map(cellText);
  const groups = new Map<string, { label: string; points: { x: number; y: number; variant: string }[] }>();
  const groupValues = other ? distinct(rows.map((row) => row.parameters[other] ?? null)) : [null];
  for (const value of groupValues) groups.set(cellText(value), { label: other ? `${other} = ${cellText(value)}` : metricColumn.label, points: [] });
  for (const row of sortRows(rows, `param:${parameter}`, false)) {
    const group = groups.get(other ? cellText(row.parameters[other] ?? null) : cellText(null));
    // x is the value's index on the category axis.
    group?.points.push({ x: labels.indexOf(cellText(row.parameters[parameter] ?? null)), y: row.metrics[metricColumn.key] as number, variant: row.label });
  }
  // Lines join a group's points along the parameter; with three or more parameters points of one x would mix, so dots only.
  return { labels, datasets: [...groups.values()], metric: metricColumn.label, parameter, lines: view.parameters.length <= 2 };
}

function distinct(values: Cell[]): Cell[] {
  const seen = new Map<string, Cell>();
  for (const value of values) seen.set(`${typeof value}:${String(value)}`, value);
  const list = [...seen.values()];
  return list.every((v) => typeof v === 'number') ? (list as number[]).sort((a, b) => a - b) : list.sort((a, b) => String(a).localeCompare(String(b), 'en', { numeric: true }));
}

function cellText(value: Cell): string {
  return value === null ? '—' : String(value);
}

function chartConfig(colours: ThemeColours) {
  return {
    type: 'line' as const,
    data: {
      labels: series.labels,
      datasets: series.datasets.map((dataset, i) => {
        const colour = colours.series[i % colours.series.length] ?? '#3794ff';
        return { label: dataset.label, data: dataset.points, borderColor: colour, backgroundColor: colour, pointRadius: 5, pointHoverRadius: 7, showLine: series.lines, borderWidth: 2 };
      }),
    },
    options: {
      parsing: { xAxisKey: 'x', yAxisKey: 'y' },
      scales: {
        x: { type: 'category' as const, title: { display: true, text: series.parameter } },
        y: { title: { display: true, text: series.metric } },
      },
      plugins: {
        legend: { display: series.datasets.length > 1, labels: { color: colours.foreground } },
        tooltip: { callbacks: { label: (item: { raw: unknown; formattedValue: string }) => `${(item.raw as { variant?: string }).variant ?? ''}: ${item.formattedValue}` } },
      },
    },
  };
}

function startChart(): void {
  chartStarting = true;
  // The shared chart module registers no legend (the other pages need none); this page's bundle has its own registry.
  void import('chart.js')
    .then(({ Chart, Legend }) => Chart.register(Legend))
    .then(() => themedChart(canvas, chartConfig))
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
  chart?.dispose();
  chart = undefined;
}

render();
