// Schema inspector + scenario builder. Everything shown from the provider goes through `el`/text nodes (see
// ../common/dom.ts); the builder offers only the schema's columns, levels and ranges.
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { el, replaceChildren, uniqueId, type Child } from '../common/dom';
import { HostConnection, newRequestId } from '../common/hostConnection';
import * as l10n from '@vscode/l10n';
import '../common/l10n'; // the host's translations, loaded before this page draws
import type { SchemaColumn } from '../../src/shared/datasetSchema';
import { checkScenario, hasErrors, toGenerationBody, type ScenarioIssue } from '../../src/shared/scenarioConditions';
import {
  SchemaHostMessage,
  SchemaPageState,
  type BuilderDraft,
  type GenerationUpdate,
  type PanelError,
  type SchemaPageMessage,
  type SchemaPanelData,
} from '../../src/shared/simulacraPanelProtocol';
import { addableColumns, draftFromScenario, emptyDraft, newDraftColumn, requestFromDraft, scenarioFromDraft, type DraftColumn } from './draft';

type Pending = 'generate' | 'save' | 'load';

interface PageModel {
  datasetKey?: string;
  data?: SchemaPanelData;
  draft: BuilderDraft;
  loadedScenario?: string;
  pending: Map<string, Pending>;
  generation?: GenerationUpdate;
  error?: PanelError;
  notice?: string;
}

const connection = new HostConnection<SchemaHostMessage, SchemaPageMessage, SchemaPageState>(SchemaHostMessage, SchemaPageState);
const saved = connection.getState();
const model: PageModel = { datasetKey: saved?.datasetKey, draft: saved?.draft ?? emptyDraft(), loadedScenario: saved?.loadedScenario, pending: new Map() };
const app = document.getElementById('app') as HTMLElement;

/** Parts re-rendered while typing, so the focused input is never replaced. */
const live = {
  status: el('div', { className: 'status', attrs: { role: 'status', 'aria-live': 'polite' } }),
  issues: el('div', { className: 'issues', attrs: { 'aria-live': 'polite' } }),
  preview: el('pre', { className: 'json-preview', attrs: { tabindex: '0', 'aria-label': l10n.t('Request preview') } }),
  sums: new Map<string, HTMLElement>(),
  generate: undefined as HTMLElement | undefined,
  save: undefined as HTMLElement | undefined,
  load: undefined as HTMLElement | undefined,
};

function persist(): void {
  if (model.datasetKey) connection.setState({ datasetKey: model.datasetKey, draft: model.draft, ...(model.loadedScenario ? { loadedScenario: model.loadedScenario } : {}) });
}

connection.start((message) => {
  switch (message.type) {
    case 'show': {
      if (model.datasetKey !== message.datasetKey) {
        model.draft = emptyDraft();
        model.loadedScenario = undefined;
      }
      model.datasetKey = message.datasetKey;
      model.data = message.data;
      const scenario = message.data.scenario ? JSON.stringify(message.data.scenario) : undefined;
      if (message.data.scenario && scenario !== model.loadedScenario) {
        model.draft = draftFromScenario(message.data.scenario, message.data.schema);
        model.loadedScenario = scenario;
      }
      persist();
      return renderAll();
    }
    case 'generationStarted':
      model.pending.delete(message.requestId);
      model.error = undefined;
      model.generation = { requestId: message.requestId, status: 'submitted', rowsGenerated: 0, rowCount: 0, partial: false };
      return renderLive();
    case 'generationUpdate':
      model.generation = message.update;
      return renderLive();
    case 'scenarioLoaded':
      model.pending.delete(message.requestId);
      if (model.data) model.draft = draftFromScenario(message.scenario, model.data.schema);
      model.notice = l10n.t('Scenario loaded. It was checked against this dataset’s schema below.');
      persist();
      return renderAll();
    case 'scenarioSaved':
      model.pending.delete(message.requestId);
      model.notice = l10n.t('Scenario saved.');
      return renderLive();
    case 'requestDone':
      model.pending.delete(message.requestId);
      return renderLive();
    case 'error':
      if (message.error.requestId) model.pending.delete(message.error.requestId);
      model.error = message.error;
      model.notice = undefined;
      return renderLive();
  }
});

function isPending(kind: Pending): boolean {
  return [...model.pending.values()].includes(kind);
}

function request(kind: Pending, build: (requestId: string) => SchemaPageMessage): void {
  const requestId = newRequestId();
  model.pending.set(requestId, kind);
  model.error = undefined;
  model.notice = undefined;
  connection.post(build(requestId));
  renderLive();
}

// ---------- rendering ----------

function renderAll(): void {
  const data = model.data;
  live.sums.clear();
  if (!data) {
    replaceChildren(app, el('p', { className: 'empty', text: l10n.t('Loading the dataset schema…') }));
    return;
  }
  replaceChildren(app, renderHeader(data), live.status, renderSchemaTable(data), renderCleaning(data), renderBuilder(data));
  renderLive();
}

function renderHeader(data: SchemaPanelData): HTMLElement {
  const retention = data.dataset.retentionEndsAt;
  return el(
    'header',
    {},
    el('h1', { text: data.dataset.displayName || data.dataset.id }),
    el('p', { className: 'muted' }, l10n.t('Dataset'), ' ', el('code', { text: data.dataset.id }), retention ? l10n.t(' · kept until {0}', formatDate(retention)) : ''),
  );
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function renderSchemaTable(data: SchemaPanelData): HTMLElement {
  const columns = data.schema.columns;
  const section = el('section', { attrs: { 'aria-labelledby': 'schema-heading' } }, el('h2', { id: 'schema-heading', text: l10n.t('Cleaned schema ({0} columns)', columns.length) }));
  if (columns.length === 0) {
    section.append(el('p', { className: 'empty', text: l10n.t('The schema has no columns, so there is nothing to condition on.') }));
    return section;
  }
  section.append(
    el('p', { className: 'muted', text: l10n.t('Conditions use these cleaned names, levels and ranges — not the original seed headers.') }),
    el(
      'div',
      { className: 'table-wrap' },
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, ...[l10n.t('Column'), l10n.t('Type'), l10n.t('Levels'), l10n.t('Learned range')].map((h) => el('th', { text: h, attrs: { scope: 'col' } })))),
        el('tbody', {}, ...columns.map(schemaRow)),
      ),
    ),
  );
  return section;
}

function schemaRow(column: SchemaColumn): HTMLElement {
  const levels = column.levels && column.levels.length > 0 ? column.levels.join(', ') : '—';
  return el(
    'tr',
    {},
    el('th', { attrs: { scope: 'row' } }, el('code', { text: column.name })),
    el('td', { text: column.type }),
    el('td', { text: levels, className: 'levels' }),
    el('td', { text: rangeText(column) }),
  );
}

function rangeText(column: SchemaColumn): string {
  if (column.min === undefined && column.max === undefined) return '—';
  return `${column.min ?? '−∞'} – ${column.max ?? '∞'}`;
}

function renderCleaning(data: SchemaPanelData): Child {
  const cleaning = data.cleaning;
  if (!cleaning) return null;
  const changed = cleaning.renamed.length + cleaning.droppedColumns.length + cleaning.droppedLevels.length > 0;
  const body: Child[] = [];
  if (!changed) body.push(el('p', { className: 'muted', text: l10n.t('Cleaning kept every column and level under its original name.') }));
  if (cleaning.renamed.length > 0) {
    body.push(
      el('h3', { text: l10n.t('Renamed') }),
      el(
        'table',
        {},
        el('thead', {}, el('tr', {}, el('th', { text: l10n.t('Original'), attrs: { scope: 'col' } }), el('th', { text: l10n.t('Cleaned (use this)'), attrs: { scope: 'col' } }))),
        el('tbody', {}, ...cleaning.renamed.map((r) => el('tr', {}, el('td', {}, el('code', { text: r.from })), el('td', {}, el('code', { text: r.to }))))),
      ),
    );
  }
  if (cleaning.droppedColumns.length > 0) {
    body.push(el('h3', { text: l10n.t('Dropped columns') }), el('ul', {}, ...cleaning.droppedColumns.map((name) => el('li', {}, el('code', { text: name })))));
  }
  if (cleaning.droppedLevels.length > 0) {
    body.push(
      el('h3', { text: l10n.t('Dropped levels (too rare to model)') }),
      el('ul', {}, ...cleaning.droppedLevels.map((d) => el('li', {}, el('code', { text: d.column }), ': ', d.levels.join(', ')))),
    );
  }
  return el('section', {}, el('details', { props: { open: changed } }, el('summary', {}, el('h2', { className: 'inline', text: l10n.t('What cleaning did') })), ...body));
}

function renderBuilder(data: SchemaPanelData): HTMLElement {
  const section = el('section', { attrs: { 'aria-labelledby': 'builder-heading' } }, el('h2', { id: 'builder-heading', text: l10n.t('Scenario') }));
  const addable = addableColumns(data.schema, model.draft);
  if (addable.length > 0) {
    const selectId = uniqueId('add-column');
    const select = el('vscode-single-select', { id: selectId, attrs: { 'aria-label': l10n.t('Column to condition on') } });
    for (const column of addable) select.append(el('vscode-option', { props: { value: column.name }, text: `${column.name} (${column.type})` }));
    const add = el('vscode-button', {
      text: l10n.t('Add Condition'),
      on: {
        click: () => {
          const column = data.schema.columns.find((c) => c.name === select.value) ?? addable[0];
          model.draft.columns.push(newDraftColumn(column));
          changed(true);
        },
      },
    });
    section.append(el('div', { className: 'row' }, el('vscode-label', { props: { htmlFor: selectId }, text: l10n.t('Condition on') }), select, add));
  } else if (model.draft.columns.length === 0) {
    section.append(el('p', { className: 'empty', text: l10n.t('No categorical or numeric column in the schema to condition on; Generate still produces unconditioned rows.') }));
  }
  if (model.draft.columns.length === 0 && addable.length > 0) {
    section.append(el('p', { className: 'muted', text: l10n.t('No conditions yet: pick a column and add it. Shares are desired outcome percentages; ranges need both bounds.') }));
  }
  for (const column of model.draft.columns) section.append(renderDraftColumn(column, data));
  section.append(renderOutputOptions(), live.issues, el('h3', { text: l10n.t('Request preview') }), live.preview, renderActions());
  return section;
}

function textField(label: string, value: string, onInput: (value: string) => void, attrs: Record<string, string> = {}): HTMLElement {
  const id = uniqueId('field');
  const field = el('vscode-textfield', {
    id,
    attrs,
    props: { value },
    on: { input: (event) => onInput((event.target as HTMLInputElement).value) },
  });
  return el('div', { className: 'field' }, el('vscode-label', { props: { htmlFor: id }, text: label }), field);
}

function renderDraftColumn(column: DraftColumn, data: SchemaPanelData): HTMLElement {
  const schemaColumn = data.schema.columns.find((c) => c.name === column.column);
  const remove = el('vscode-button', {
    props: { secondary: true },
    attrs: { 'aria-label': l10n.t('Remove the condition on {0}', column.column) },
    text: l10n.t('Remove'),
    on: {
      click: () => {
        model.draft.columns = model.draft.columns.filter((c) => c !== column);
        changed(true);
      },
    },
  });
  const legend = el('legend', {}, el('code', { text: column.column }), ` · ${column.kind}`);
  const fieldset = el('fieldset', { className: 'condition' }, legend);
  if (!schemaColumn) fieldset.append(el('p', { className: 'error-text', text: l10n.t('This column is not in the cleaned schema; remove it.') }));
  if (column.kind === 'categorical') {
    const grid = el('div', { className: 'share-grid' });
    for (const share of column.shares) {
      const known = schemaColumn?.levels?.includes(share.level) ?? false;
      grid.append(
        textField(known ? share.level : l10n.t('{0} (not in schema)', share.level), share.percent, (value) => {
          share.percent = value;
          changed(false);
        }, { type: 'number', min: '0', max: '100', step: 'any', placeholder: '— %' }),
      );
    }
    const sum = el('p', { className: 'muted' });
    live.sums.set(column.column, sum);
    fieldset.append(el('p', { className: 'muted', text: l10n.t('Target share per level, 0–100 %. Leave a level empty to leave it free.') }), grid, sum);
  } else {
    const learned = schemaColumn ? rangeText(schemaColumn) : l10n.t('unknown');
    fieldset.append(
      el('p', { className: 'muted', text: l10n.t('Learned range {0}. Both bounds are required.', learned) }),
      el(
        'div',
        { className: 'row' },
        textField(l10n.t('Minimum'), column.min, (value) => {
          column.min = value;
          changed(false);
        }, { type: 'number', step: 'any', placeholder: schemaColumn?.min === undefined ? '' : String(schemaColumn.min) }),
        textField(l10n.t('Maximum'), column.max, (value) => {
          column.max = value;
          changed(false);
        }, { type: 'number', step: 'any', placeholder: schemaColumn?.max === undefined ? '' : String(schemaColumn.max) }),
      ),
    );
  }
  fieldset.append(el('div', { className: 'row' }, remove));
  return fieldset;
}

function renderOutputOptions(): HTMLElement {
  const formatId = uniqueId('format');
  const format = el('vscode-single-select', {
    id: formatId,
    on: {
      change: (event) => {
        const value = (event.target as HTMLSelectElement).value;
        model.draft.format = value === 'parquet' ? 'parquet' : 'csv';
        changed(false);
      },
    },
  });
  for (const value of ['csv', 'parquet'] as const) format.append(el('vscode-option', { props: { value, selected: model.draft.format === value }, text: value }));
  return el(
    'div',
    { className: 'row output-options' },
    textField(l10n.t('Rows'), model.draft.rowCount, (value) => {
      model.draft.rowCount = value;
      changed(false);
    }, { type: 'number', min: '1', step: '1' }),
    el('div', { className: 'field' }, el('vscode-label', { props: { htmlFor: formatId }, text: l10n.t('Format') }), format),
    textField(l10n.t('Seed (optional)'), model.draft.seed, (value) => {
      model.draft.seed = value;
      changed(false);
    }, { type: 'number', min: '0', step: '1' }),
  );
}

function renderActions(): HTMLElement {
  live.generate = el('vscode-button', { text: l10n.t('Generate'), on: { click: generate } });
  live.save = el('vscode-button', { props: { secondary: true }, text: l10n.t('Save Scenario…'), on: { click: save } });
  live.load = el('vscode-button', { props: { secondary: true }, text: l10n.t('Load Scenario…'), on: { click: load } });
  return el('div', { className: 'row actions' }, live.generate, live.save, live.load);
}

function currentIssues(): ScenarioIssue[] {
  return model.data ? checkScenario(requestFromDraft(model.draft), model.data.schema) : [];
}

function renderLive(): void {
  const issues = currentIssues();
  const blocked = hasErrors(issues);
  replaceChildren(
    live.issues,
    issues.length === 0
      ? null
      : el(
          'ul',
          { className: 'issue-list' },
          ...issues.map((issue) => el('li', { className: issue.severity === 'error' ? 'error-text' : 'warning-text', text: issue.severity === 'error' ? l10n.t('Error: {0}', issue.message) : l10n.t('Warning: {0}', issue.message) })),
        ),
  );
  live.preview.textContent = JSON.stringify(toGenerationBody(requestFromDraft(model.draft)), (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2);
  for (const column of model.draft.columns) {
    if (column.kind !== 'categorical') continue;
    const total = column.shares.reduce((sum, share) => sum + (share.percent.trim() === '' ? 0 : Number(share.percent) || 0), 0);
    const sum = live.sums.get(column.column);
    if (sum) sum.textContent = l10n.t('Total {0} % of 100 %', Number(total.toPrecision(12)));
  }
  setDisabled(live.generate, blocked || isPending('generate'));
  setDisabled(live.save, blocked || isPending('save'));
  setDisabled(live.load, isPending('load'));
  renderStatus();
}

function setDisabled(button: HTMLElement | undefined, disabled: boolean): void {
  if (button) (button as HTMLElement & { disabled: boolean }).disabled = disabled;
}

function renderStatus(): void {
  const parts: Child[] = [];
  if (model.error) {
    const error = model.error;
    const code = error.code;
    parts.push(
      el(
        'div',
        { className: 'error-box', attrs: { role: 'alert' } },
        el('p', { text: error.message }),
        code ? el('p', { className: 'muted' }, l10n.t('Code'), ' ', el('code', { text: code })) : null,
        error.providerRequestId ? el('p', { className: 'muted' }, l10n.t('Request ID'), ' ', el('code', { text: error.providerRequestId })) : null,
        code ? el('vscode-button', { props: { secondary: true }, text: l10n.t('Open Error Docs'), on: { click: () => connection.post({ type: 'openErrorDocs', code }) } }) : null,
      ),
    );
  }
  const generation = model.generation;
  if (generation) {
    const progress = generation.rowCount > 0 ? l10n.t(' — {0} of {1} rows', generation.rowsGenerated.toLocaleString(), generation.rowCount.toLocaleString()) : '';
    parts.push(
      el(
        'p',
        { className: generation.partial ? 'warning-text' : '' },
        el('vscode-badge', { text: generation.status }),
        ' ',
        l10n.t('Generation'),
        generation.generationId ? ' ' : '',
        generation.generationId ? el('code', { text: generation.generationId }) : null,
        progress,
        generation.partial ? l10n.t('. Partial: the scenario was feasible for fewer rows than requested; check the rows before using them.') : '',
      ),
    );
  }
  if (model.notice) parts.push(el('p', { className: 'muted', text: model.notice }));
  replaceChildren(live.status, ...parts);
}

function changed(structure: boolean): void {
  model.notice = undefined;
  persist();
  if (structure) renderAll();
  else renderLive();
}

// ---------- actions ----------

function generate(): void {
  if (!model.data || isPending('generate')) return;
  const req = requestFromDraft(model.draft);
  if (hasErrors(checkScenario(req, model.data.schema))) return renderLive();
  request('generate', (requestId) => ({ type: 'generate', requestId, request: req }));
}

function save(): void {
  if (!model.data || isPending('save')) return;
  const scenario = scenarioFromDraft(model.draft, model.data.dataset.id);
  if (hasErrors(checkScenario(scenario, model.data.schema))) return renderLive();
  request('save', (requestId) => ({ type: 'saveScenario', requestId, scenario }));
}

function load(): void {
  if (isPending('load')) return;
  request('load', (requestId) => ({ type: 'loadScenario', requestId }));
}

renderAll();
