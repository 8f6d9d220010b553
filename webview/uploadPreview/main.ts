// Preview Upload: every file an upload would send with its size, every excluded entry with the rule that excluded
// it; sortable, filterable, and a rule opens its ignore file at its line (the host does it, by row index). Paths and
// patterns come from the workspace: text only (../common/dom.ts).
import '../common/litNonce';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { el, replaceChildren, uniqueId, type Child } from '../common/dom';
import { HostConnection } from '../common/hostConnection';
import * as l10n from '@vscode/l10n';
import '../common/l10n'; // the host's translations, loaded before this page draws
import {
  UploadPreviewHostMessage,
  UploadPreviewPageState,
  ruleText,
  secretKindText,
  sizeText,
  type ExcludedRow,
  type SortKey,
  type UploadPreviewData,
  type UploadPreviewPageMessage,
} from '../../src/shared/uploadPreviewProtocol';

/** Rows drawn per table; the filter narrows the rest (a table of 20,000 rows would make the page sluggish). */
const MAX_DRAWN = 500;

const connection = new HostConnection<UploadPreviewHostMessage, UploadPreviewPageMessage, UploadPreviewPageState>(UploadPreviewHostMessage, UploadPreviewPageState);
const app = document.getElementById('app') as HTMLElement;
let state: UploadPreviewPageState = connection.getState() ?? { sort: 'size', descending: true, filter: '' };
let data: UploadPreviewData | undefined;
/** The tables, redrawn on sort and filter without touching the filter field (it keeps focus and caret). */
const tables = el('div');

replaceChildren(app, loadingText());

connection.start((message) => {
  if (message.type === 'loading') {
    replaceChildren(app, loadingText());
    return;
  }
  if (message.type === 'error') {
    replaceChildren(app, el('h1', { text: l10n.t('Upload preview') }), el('div', { className: 'error-box', attrs: { role: 'alert' } }, el('p', { text: message.message })), refreshButton());
    return;
  }
  data = message.data;
  if (message.data.filter !== undefined) setState({ ...state, filter: message.data.filter });
  render(message.data);
});

function loadingText(): HTMLElement {
  return el('p', { className: 'empty', attrs: { role: 'status' }, text: l10n.t('Listing what would be uploaded…') });
}

function setState(next: UploadPreviewPageState): void {
  state = next;
  connection.setState(state);
}

function refreshButton(): HTMLElement {
  return el('vscode-button', { props: { secondary: true }, text: l10n.t('Refresh'), on: { click: () => connection.post({ type: 'refresh' }) } });
}

function render(preview: UploadPreviewData): void {
  const excludedNote = preview.excludedCount === 1 ? l10n.t('1 entry is not sent') : l10n.t('{0} entries are not sent', preview.excludedCount.toLocaleString());
  replaceChildren(
    app,
    el('div', { className: 'page-header' }, el('h1', { text: l10n.t('Upload preview — {0}', preview.folderName) }), refreshButton()),
    el(
      'p',
      { className: 'totals', attrs: { role: 'status' } },
      l10n.t('{0} files, {1}, would be sent (the archive is at most {2}; deflate makes it smaller); {3}. Nothing has been uploaded.', preview.sentCount.toLocaleString(), sizeText(preview.totalBytes), sizeText(preview.maxArchiveBytes), excludedNote),
    ),
    preview.largeLimitBytes !== undefined
      ? el('div', { className: 'warning-box', attrs: { role: 'alert' } }, el('p', { text: l10n.t('Unusually large: the archive could exceed {0} (simcloud.upload.largeArchiveWarningMB). Look below for folders to exclude.', sizeText(preview.largeLimitBytes)) }))
      : null,
    secretsBox(preview),
    el('p', { className: 'muted setting' }, l10n.t('Setting simcloud.upload.exclude:'), ' ', el('code', { text: preview.excludes.join(', ') || l10n.t('(none)') }), preview.excludesAreDefault ? ` ${l10n.t('(the default)')}` : ''),
    filterField(),
    tables,
  );
  renderTables(preview);
}

function secretsBox(preview: UploadPreviewData): Child {
  if (preview.secrets.length === 0) return null;
  return el(
    'div',
    { className: 'warning-box secrets', attrs: { role: 'alert' } },
    el('p', {
      className: 'warning-title',
      text: preview.secrets.length === 1 ? l10n.t('A file that likely holds secrets would be sent. Submitting asks before uploading it.') : l10n.t('{0} files that likely hold secrets would be sent. Submitting asks before uploading them.', preview.secrets.length),
    }),
    el('ul', {}, ...preview.secrets.map((s) => el('li', {}, el('code', { text: s.path }), ` — ${secretKindText(s.kind)}`))),
  );
}

function filterField(): HTMLElement {
  const id = uniqueId('filter');
  return el(
    'div',
    { className: 'row' },
    el(
      'div',
      { className: 'field filter-field' },
      el('vscode-label', { props: { htmlFor: id }, text: l10n.t('Filter by path') }),
      el('vscode-textfield', {
        id,
        attrs: { placeholder: l10n.t('e.g. node_modules or .env'), type: 'search' },
        props: { value: state.filter },
        on: {
          input: (event) => {
            setState({ ...state, filter: (event.target as HTMLInputElement).value });
            if (data) renderTables(data);
          },
        },
      }),
    ),
  );
}

function matches(path: string): boolean {
  const filter = state.filter.trim().toLowerCase();
  return filter === '' || path.toLowerCase().includes(filter);
}

/** Rows with their index as sent (what the host understands), sorted as the user chose. */
function ordered<T extends { path: string }>(rows: readonly T[], size: (row: T) => number): { row: T; index: number }[] {
  const picked = rows.map((row, index) => ({ row, index })).filter(({ row }) => matches(row.path));
  const sign = state.descending ? -1 : 1;
  picked.sort((a, b) => {
    const byPath = a.row.path < b.row.path ? -1 : a.row.path > b.row.path ? 1 : 0;
    const primary = state.sort === 'size' ? size(a.row) - size(b.row) : byPath;
    return sign * primary || byPath;
  });
  return picked;
}

function renderTables(preview: UploadPreviewData): void {
  const sent = ordered(preview.sent, (row) => row.size);
  const excluded = ordered(preview.excluded, (row) => row.bytes);
  replaceChildren(
    tables,
    section(
      'sent',
      l10n.t('Sent'),
      preview.sentCount,
      sent.length,
      preview.sent.length,
      [l10n.t('Size'), l10n.t('Path')],
      sent.slice(0, MAX_DRAWN).map(({ row, index }) => el('tr', {}, el('td', { className: 'number', text: sizeText(row.size) }), el('td', {}, pathButton(row.path, () => connection.post({ type: 'openFile', list: 'sent', index }))))),
      preview.sentCount === 0 ? l10n.t('Nothing would be sent: every file is excluded.') : l10n.t('No sent file matches the filter.'),
    ),
    section(
      'excluded',
      l10n.t('Not sent'),
      preview.excludedCount,
      excluded.length,
      preview.excluded.length,
      [l10n.t('Size'), l10n.t('Path'), l10n.t('What'), l10n.t('Excluded by')],
      excluded.slice(0, MAX_DRAWN).map(({ row, index }) => excludedRow(row, index)),
      preview.excludedCount === 0 ? l10n.t('Nothing is excluded.') : l10n.t('No excluded entry matches the filter.'),
    ),
  );
}

function section(id: string, title: string, total: number, shown: number, sentRows: number, headers: string[], rows: HTMLElement[], emptyText: string): HTMLElement {
  const headingId = `${id}-heading`;
  const notes: string[] = [];
  if (shown > rows.length) notes.push(l10n.t('Showing the first {0} of {1} matching rows: filter to narrow.', rows.length.toLocaleString(), shown.toLocaleString()));
  if (total > sentRows) notes.push(l10n.t('{0} more are not listed here (too many to show).', (total - sentRows).toLocaleString()));
  return el(
    'section',
    { attrs: { 'aria-labelledby': headingId } },
    el('h2', { id: headingId }, title, ' ', el('vscode-badge', { text: total.toLocaleString() })),
    ...notes.map((note) => el('p', { className: 'muted', text: note })),
    rows.length === 0
      ? el('p', { className: 'empty', text: emptyText })
      : el('div', { className: 'table-wrap' }, el('table', { className: `preview-table ${id}` }, el('thead', {}, el('tr', {}, ...headers.map((header, i) => headerCell(id, header, i)))), el('tbody', {}, ...rows))),
  );
}

/** Size and Path sort (click or Enter/Space on the header button); the other columns do not. */
function headerCell(table: string, text: string, column: number): HTMLElement {
  const key: SortKey | undefined = column === 0 ? 'size' : column === 1 ? 'path' : undefined;
  if (!key) return el('th', { attrs: { scope: 'col' }, text });
  const active = state.sort === key;
  const sortState = active ? (state.descending ? 'descending' : 'ascending') : 'none';
  return el(
    'th',
    { className: column === 0 ? 'number' : '', attrs: { scope: 'col', 'aria-sort': sortState } },
    el(
      'button',
      {
        className: 'sort',
        attrs: { type: 'button', title: l10n.t('Sort by {0}', text) },
        on: {
          click: () => {
            setState({ ...state, sort: key, descending: active ? !state.descending : key === 'size' });
            if (data) renderTables(data);
            // Redrawn: the pressed header is a new element, so focus goes back to it (Enter again reverses the order).
            (document.querySelector(`table.${table} th[aria-sort]:not([aria-sort="none"]) button.sort`) as HTMLElement | null)?.focus();
          },
        },
      },
      text,
      el('span', { className: 'sort-mark', attrs: { 'aria-hidden': 'true' }, text: active ? (state.descending ? ' ▼' : ' ▲') : '' }),
    ),
  );
}

function pathButton(path: string, open: () => void): HTMLElement {
  return el('button', { className: 'link path', attrs: { type: 'button', title: l10n.t('Open {0}', path) }, text: path, on: { click: open } });
}

function excludedRow(row: ExcludedRow, index: number): HTMLElement {
  const shownPath = row.kind === 'directory' ? `${row.path}/` : row.path;
  const size = `${row.complete ? '' : '≥ '}${sizeText(row.bytes)}`;
  const what =
    row.kind === 'directory'
      ? row.complete
        ? row.files === 1
          ? l10n.t('folder, 1 file')
          : l10n.t('folder, {0} files', row.files.toLocaleString())
        : l10n.t('folder, more than {0} files (not counted further)', row.files.toLocaleString())
      : row.kind === 'file'
        ? l10n.t('file')
        : row.kind === 'symlink'
          ? l10n.t('link')
          : l10n.t('special file');
  const text = ruleText(row.rule);
  const rule = row.rule.openable
    ? el('button', { className: 'link rule', attrs: { type: 'button', title: row.rule.source === 'setting' ? l10n.t('Open the setting') : l10n.t('Open {0} at this line', row.rule.location ?? '') }, text, on: { click: () => connection.post({ type: 'openRule', index }) } })
    : el('span', { className: 'rule', text });
  return el(
    'tr',
    { className: `source-${row.rule.source.replace(/^\./, '')}` },
    el('td', { className: 'number', text: size }),
    el('td', {}, row.kind === 'file' ? pathButton(shownPath, () => connection.post({ type: 'openFile', list: 'excluded', index })) : el('code', { className: 'path', text: shownPath })),
    el('td', { className: 'muted', text: what }),
    el('td', {}, rule),
  );
}
