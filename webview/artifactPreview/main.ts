// Artifact preview: the first rows of a generated artifact and how close it came to the scenario's targets.
// Cells, column names and levels are provider/customer data: shown as text only (../common/dom.ts).
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { el, replaceChildren, type Child } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import {
  ArtifactHostMessage,
  ArtifactPageState,
  isMiss,
  type ArtifactPageMessage,
  type ArtifactPreviewData,
  type Comparison,
} from '../../src/shared/artifactPreviewProtocol';

const connection = new HostConnection<ArtifactHostMessage, ArtifactPageMessage, ArtifactPageState>(ArtifactHostMessage, ArtifactPageState);
const app = document.getElementById('app') as HTMLElement;

replaceChildren(app, el('p', { className: 'empty', text: 'Loading the artifact…' }));

connection.start((message) => {
  if (message.type === 'error') {
    replaceChildren(app, el('h1', { text: 'Artifact preview' }), el('div', { className: 'error-box', attrs: { role: 'alert' } }, el('p', { text: message.message })));
    return;
  }
  connection.setState({ artifactKey: message.artifactKey });
  render(message.data);
});

function render(data: ArtifactPreviewData): void {
  const misses = data.comparisons.filter(isMiss).length;
  replaceChildren(app, el('h1', { text: data.title || 'Artifact preview' }), summary(data, misses), comparisons(data.comparisons, misses), rowsTable(data));
}

function summary(data: ArtifactPreviewData, misses: number): HTMLElement {
  const parts: Child[] = [`${data.totalRows.toLocaleString()} rows`];
  if (data.requestedRows !== undefined && data.totalRows < data.requestedRows) {
    parts.push(el('span', { className: 'miss-flag', text: ` — partial: ${data.requestedRows.toLocaleString()} were requested` }));
  }
  if (data.comparisons.length > 0) parts.push(` · ${misses === 0 ? 'every target met' : `${misses} of ${data.comparisons.length} targets missed`}`);
  return el('p', { attrs: { role: 'status' } }, ...parts);
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`;
}

function comparisons(list: readonly Comparison[], misses: number): Child {
  if (list.length === 0) return el('p', { className: 'empty', text: 'No scenario targets to compare (the generation was unconditioned or its scenario is unknown).' });
  return el(
    'section',
    { attrs: { 'aria-labelledby': 'targets-heading' } },
    el('h2', { id: 'targets-heading' }, 'Targets vs achieved ', el('vscode-badge', { text: String(misses) })),
    el(
      'div',
      { className: 'table-wrap' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...['Column', 'Condition', 'Target', 'Achieved', ''].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
        el('tbody', {}, ...list.map(comparisonRow)),
      ),
    ),
  );
}

function comparisonRow(comparison: Comparison): HTMLElement {
  const miss = isMiss(comparison);
  const flag = el('td', { className: miss ? 'miss-flag' : 'ok-flag', text: miss ? 'Missed' : 'Met' });
  if (comparison.kind === 'share') {
    return el(
      'tr',
      { className: miss ? 'miss' : '' },
      el('th', { attrs: { scope: 'row' } }, el('code', { text: comparison.column })),
      el('td', {}, 'share of ', el('code', { text: comparison.level })),
      el('td', { className: 'number', text: percent(comparison.target) }),
      el('td', { className: 'number', text: percent(comparison.achieved) }),
      flag,
    );
  }
  const achieved = comparison.achievedMin === undefined || comparison.achievedMax === undefined ? 'no values' : `${comparison.achievedMin} – ${comparison.achievedMax}`;
  return el(
    'tr',
    { className: miss ? 'miss' : '' },
    el('th', { attrs: { scope: 'row' } }, el('code', { text: comparison.column })),
    el('td', { text: 'range' }),
    el('td', { className: 'number', text: `${comparison.min} – ${comparison.max}` }),
    el('td', { className: 'number', text: comparison.outside > 0 ? `${achieved} (${comparison.outside.toLocaleString()} rows outside)` : achieved }),
    flag,
  );
}

function rowsTable(data: ArtifactPreviewData): HTMLElement {
  const section = el('section', { attrs: { 'aria-labelledby': 'rows-heading' } }, el('h2', { id: 'rows-heading', text: `First ${data.rows.length.toLocaleString()} rows` }));
  if (data.columns.length === 0 || data.rows.length === 0) {
    section.append(el('p', { className: 'empty', text: 'The artifact has no rows to show.' }));
    return section;
  }
  section.append(
    el(
      'div',
      { className: 'table-wrap', attrs: { tabindex: '0', 'aria-label': 'Artifact rows' } },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...data.columns.map((name) => el('th', { attrs: { scope: 'col' } }, el('code', { text: name }))))),
        el('tbody', {}, ...data.rows.map((row) => el('tr', {}, ...data.columns.map((_, i) => cell(row[i]))))),
      ),
    ),
  );
  return section;
}

function cell(value: string | number | null | undefined): HTMLElement {
  if (value === null || value === undefined) return el('td', { className: 'null', text: 'null' });
  return el('td', { className: typeof value === 'number' ? 'number' : '', text: String(value) });
}
