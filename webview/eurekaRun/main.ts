// Eureka run view: where the run stands (status, iteration i/N, best reward, LLM tokens, cost) and the best reward per
// finished iteration as a line chart. Task ids and error texts are provider data: shown as text only (../common/dom.ts).
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { el, replaceChildren } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import * as l10n from '@vscode/l10n';
import '../common/l10n'; // the host's translations, loaded before this page draws
import { themedChart } from '../common/chart';
import { EurekaRunHostMessage, EurekaRunPageState, type EurekaRunPageMessage, type EurekaRunView } from '../../src/shared/eurekaRunProtocol';

const connection = new HostConnection<EurekaRunHostMessage, EurekaRunPageMessage, EurekaRunPageState>(EurekaRunHostMessage, EurekaRunPageState);
const app = document.getElementById('app') as HTMLElement;

/** The chart outlives redraws of the header: it is made once and fed new points. */
let chart: { update(): void; dispose(): void } | undefined;
/** The chart being made (chart.js loads lazily): a second `show` meanwhile waits for it instead of making another on the same canvas. */
let pendingChart: Promise<void> | undefined;
let current: EurekaRunView | undefined;
const canvas = el('canvas', { attrs: { role: 'img', 'aria-label': l10n.t('Best reward per iteration') } });
const chartBox = el('div', { className: 'chart-box' }, canvas);
const chartNote = el('p', { className: 'muted chart-note' });
const header = el('section', { className: 'run-header', attrs: { 'aria-live': 'polite' } });

replaceChildren(app, el('p', { className: 'empty', text: l10n.t('Loading the run…') }));

connection.start((message) => {
  if (message.type === 'gone') {
    connection.setState({ runId: message.runId });
    chart?.dispose();
    chart = undefined;
    current = undefined;
    replaceChildren(app, el('h1', { text: l10n.t('Eureka run') }), el('div', { className: 'error-box', attrs: { role: 'alert' } }, el('p', { text: message.message })));
    return;
  }
  connection.setState({ runId: message.view.runId });
  current = message.view;
  render(message.view);
});

function render(view: EurekaRunView): void {
  replaceChildren(header, ...headerParts(view));
  if (!app.contains(header)) {
    replaceChildren(app, header, el('h2', { id: 'chart-heading', text: l10n.t('Best reward per iteration') }), chartBox, chartNote);
  }
  chartNote.textContent = chartNoteText(view);
  if (chart) chart.update();
  else
    pendingChart ??= makeChart().finally(() => {
      pendingChart = undefined;
    });
}

function headerParts(view: EurekaRunView): HTMLElement[] {
  const title = el('h1', {}, view.taskId ?? view.runId, ' ', el('vscode-badge', { className: `status status-${cssWord(view.status)}`, text: view.status }));
  const facts = el(
    'dl',
    { className: 'facts' },
    fact(l10n.t('Iteration'), view.totalIterations !== undefined ? `${view.iteration ?? 0} / ${view.totalIterations}` : view.iteration !== undefined ? String(view.iteration) : '—'),
    fact(l10n.t('Best reward'), view.bestReward !== undefined ? formatReward(view.bestReward) : l10n.t('none yet')),
    fact(l10n.t('LLM tokens'), view.tokens ? tokensText(view.tokens) : '—'),
    fact(l10n.t('Cost'), view.costUsd !== undefined ? `$${view.costUsd.toFixed(2)}` : '—'),
  );
  const about = el('p', { className: 'muted' }, l10n.t('Run {0}', view.runId), view.rlLibrary ? ` · ${view.rlLibrary}` : '', view.numParallelRuns !== undefined ? l10n.t(' · {0} reward candidates per iteration', view.numParallelRuns) : '', view.active ? l10n.t(' · updating while it runs') : '');
  const actions = el(
    'div',
    { className: 'row' },
    el('vscode-button', { props: { secondary: true }, text: l10n.t('Show Log'), on: { click: () => connection.post({ type: 'showLog' }) } }),
    el('vscode-button', { props: { secondary: true, disabled: (view.bestReward === undefined) }, text: l10n.t('Open Reward Function'), on: { click: () => connection.post({ type: 'openRewardFunction' }) } }),
  );
  const parts = [title, about, facts, actions];
  if (view.error) parts.push(el('div', { className: 'error-box', attrs: { role: 'alert' } }, el('p', { text: view.error })));
  return parts;
}

/** One term and its value, wrapped so the grid places them as a pair (a `div` in a `dl` is valid HTML). */
function fact(label: string, value: string): HTMLElement {
  return el('div', { className: 'fact' }, el('dt', { text: label }), el('dd', { text: value }));
}

function tokensText(tokens: NonNullable<EurekaRunView['tokens']>): string {
  const split = tokens.prompt !== undefined && tokens.completion !== undefined ? l10n.t(' ({0} prompt + {1} completion)', tokens.prompt.toLocaleString(), tokens.completion.toLocaleString()) : '';
  return `${tokens.total.toLocaleString()}${split}`;
}

function formatReward(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(3);
}

function cssWord(word: string): string {
  return word.toLowerCase().replace(/[^a-z0-9-]/g, '');
}

function chartNoteText(view: EurekaRunView): string {
  if (view.points.length === 0) return view.active ? l10n.t('No iteration has finished yet: the first point appears when one does.') : l10n.t('No iteration finished while Sim Cloud was watching this run.');
  const finished = view.status === 'running' ? Math.max(0, (view.iteration ?? 1) - 1) : (view.iteration ?? 0);
  const missing = finished - view.points.length;
  const base = l10n.t('The service reports the current best reward only; each point is what a refresh saw after that iteration.');
  if (missing <= 0) return base;
  return `${base} ${missing === 1 ? l10n.t('1 finished iteration ended while no one was watching and has no point.') : l10n.t('{0} finished iterations ended while no one was watching and have no point.', missing)}`;
}

/** Labels 1..N (the run's iterations); iterations without a point stay gaps rather than invented values. */
function series(view: EurekaRunView): { labels: string[]; values: (number | null)[] } {
  const last = Math.max(view.totalIterations ?? 0, ...view.points.map((p) => p.iteration), 1);
  const byIteration = new Map(view.points.map((p) => [p.iteration, p.bestReward]));
  const labels = Array.from({ length: last }, (_, i) => String(i + 1));
  return { labels, values: labels.map((_, i) => byIteration.get(i + 1) ?? null) };
}

async function makeChart(): Promise<void> {
  const made = await themedChart<'line'>(canvas, (colours) => {
    const view = current;
    const { labels, values } = view ? series(view) : { labels: [], values: [] };
    const colour = colours.series[0] ?? colours.foreground;
    return {
      type: 'line',
      data: { labels, datasets: [{ label: l10n.t('Best reward'), data: values, borderColor: colour, backgroundColor: colour, pointRadius: 4, spanGaps: true, tension: 0 }] },
      options: {
        // Room for the last point's marker at the right edge.
        layout: { padding: { right: 8, top: 4 } },
        scales: {
          x: { title: { display: true, text: l10n.t('Iteration') }, grid: { color: colours.grid } },
          y: { title: { display: true, text: l10n.t('Best reward') }, grid: { color: colours.grid }, beginAtZero: true },
        },
        plugins: { tooltip: { enabled: true } },
      },
    };
  });
  // Gone while chart.js loaded: nothing to chart. The made chart read the latest view when it was configured.
  if (chart || !current) made.dispose();
  else chart = made;
}
