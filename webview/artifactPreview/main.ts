// Artifact preview: the first rows of a generated artifact and how close it came to the scenario's targets.
// Cells, column names and levels are provider/customer data: shown as text only (../common/dom.ts).
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import { el, replaceChildren, type Child } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import * as l10n from '@vscode/l10n';
import '../common/l10n'; // the host's translations, loaded before this page draws
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

replaceChildren(app, el('p', { className: 'empty', text: l10n.t('Loading the artifact…') }));

connection.start((message) => {
  if (message.type === 'error') {
    replaceChildren(app, el('h1', { text: l10n.t('Artifact preview') }), el('div', { className: 'error-box', attrs: { role: 'alert' } }, el('p', { text: message.message })));
    return;
  }
  connection.setState({ artifactKey: message.artifactKey });
  render(message.data);
});

function render(data: ArtifactPreviewData): void {
  const misses = data.comparisons.filter(isMiss).length;
  replaceChildren(app, el('h1', { text: data.title || l10n.t('Artifact preview') }), summary(data, misses), comparisons(data.comparisons, misses), rowsTable(data));
}

function summary(data: ArtifactPreviewData, misses: number): HTMLElement {
  const parts: Child[] = [l10n.t('{0} rows', data.totalRows.toLocaleString())];
  if (data.requestedRows !== undefined && data.totalRows < data.requestedRows) {
    parts.push(el('span', { className: 'miss-flag', text: l10n.t(' — partial: {0} were requested', data.requestedRows.toLocaleString()) }));
  }
  if (data.comparisons.length > 0) parts.push(misses === 0 ? l10n.t(' · every target met') : l10n.t(' · {0} of {1} targets missed', misses, data.comparisons.length));
  return el('p', { attrs: { role: 'status' } }, ...parts);
}

function percent(fraction: number): string {
  return `${Number((fraction * 100).toFixed(1))} %`;
}

function comparisons(list: readonly Comparison[], misses: number): Child {
  if (list.length === 0) return el('p', { className: 'empty', text: l10n.t('No scenario targets to compare (the generation was unconditioned or its scenario is unknown).') });
  return el(
    'section',
    { attrs: { 'aria-labelledby': 'targets-heading' } },
    el('h2', { id: 'targets-heading' }, l10n.t('Targets vs achieved'), ' ', el('vscode-badge', { text: String(misses) })),
    el(
      'div',
      { className: 'table-wrap' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...[l10n.t('Column'), l10n.t('Condition'), l10n.t('Target'), l10n.t('Achieved'), ''].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
        el('tbody', {}, ...list.map(comparisonRow)),
      ),
    ),
  );
}

function comparisonRow(comparison: Comparison): HTMLElement {
  const miss = isMiss(comparison);
  const flag = el('td', { className: miss ? 'miss-flag' : 'ok-flag', text: miss ? l10n.t('Missed') : l10n.t('Met') });
  if (comparison.kind === 'share') {
    return el(
      'tr',
      { className: miss ? 'miss' : '' },
      el('th', { attrs: { scope: 'row' } }, el('code', { text: comparison.column })),
      el('td', {}, l10n.t('share of'), ' ', el('code', { text: comparison.level })),
      el('td', { className: 'number', text: percent(comparison.target) }),
      el('td', { className: 'number', text: percent(comparison.achieved) }),
      flag,
    );
  }
  const achieved = comparison.achievedMin === undefined || comparison.achievedMax === undefined ? l10n.t('no values') : `${comparison.achievedMin} – ${comparison.achievedMax}`;
  return el(
    'tr',
    { className: miss ? 'miss' : '' },
    el('th', { attrs: { scope: 'row' } }, el('code', { text: comparison.column })),
    el('td', { text: l10n.t('range') }),
    el('td', { className: 'number', text: `${comparison.min} – ${comparison.max}` }),
    el('td', { className: 'number', text: comparison.outside > 0 ? l10n.t('{0} ({1} rows outside)', achieved, comparison.outside.toLocaleString()) : achieved }),
    flag,
  );
}

function rowsTable(data: ArtifactPreviewData): HTMLElement {
  const section = el('section', { attrs: { 'aria-labelledby': 'rows-heading' } }, el('h2', { id: 'rows-heading', text: l10n.t('First {0} rows', data.rows.length.toLocaleString()) }));
  if (data.columns.length === 0 || data.rows.length === 0) {
    section.append(el('p', { className: 'empty', text: l10n.t('The artifact has no rows to show.') }));
    return section;
  }
  section.append(
    el(
      'div',
      { className: 'table-wrap', attrs: { tabindex: '0', 'aria-label': l10n.t('Artifact rows') } },
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
  if (value === null || value === undefined) return el('td', { className: 'null', text: 'null' }); // l10n-exempt: a data value
  return el('td', { className: typeof value === 'number' ? 'number' : '', text: String(value) });
}
