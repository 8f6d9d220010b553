// The seven webview panels as the extension builds them (the real panel classes and WebviewPanelHost, on a stand-in for
// the `vscode` API): each loads resources only from the extension's media/ and dist/webview/ folders, each host
// validates every message its page posts with the panel's zod schema and drops and logs anything else (acting on
// none of it), each host message passes the schema the page parses it with, and each page listens to the host only
// through HostConnection with that schema.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { z } from 'zod';
import type { Logger } from '../../../src/core/log/Logger';
import { createdPanels, registerWebviewStandIn, Uri, type FakeWebviewPanel } from './support/webviewVscodeStandIn';

const root = path.resolve(__dirname, '../../..');
const extensionUri = Uri.file('/ext/sim-cloud');
const hostile = '<img src=x onerror=alert(1)>';

class CapturingLog implements Logger {
  readonly lines: { level: string; message: string }[] = [];
  trace(): void {}
  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }
  redact(text: string): string {
    return text;
  }
  drops(): string[] {
    return this.lines.filter((line) => line.level === 'warn' && line.message.includes('dropped an')).map((line) => line.message);
  }
}

/** One panel under test: how to open it, and page messages its host must act on or drop. */
interface PanelCase {
  name: string;
  bundle: string;
  /** The protocol's host → page schema, which the page parses every message with. */
  hostMessages: z.ZodType<unknown>;
  hostSchemaName: string;
  /** Opens the panel; `calls` records what the host asked of its owner. */
  open(log: Logger, calls: string[]): void | Promise<void>;
  /** A message the host must act on, and the call it makes. */
  valid: { message: unknown; call: string };
  /** Messages of the panel's own types with wrong fields, dropped before any handler runs. */
  malformed: unknown[];
}

/** Lets the host's promise chains (load, onMessage) run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

describe('webview panel hosts (all seven)', () => {
  const cases: PanelCase[] = [];

  before(async () => {
    registerWebviewStandIn();
    const { SchemaPanel } = await import('../../../src/ui/simulacra/SchemaPanel.js');
    const { ArtifactPreviewPanel } = await import('../../../src/ui/simulacra/ArtifactPreviewPanel.js');
    const { ResultsPanel } = await import('../../../src/ui/simulix/ResultsPanel.js');
    const { ViewerPanel } = await import('../../../src/ui/cybernetic/sessions/ViewerPanel.js');
    const { EurekaRunPanel } = await import('../../../src/ui/cybernetic/eureka/EurekaRunPanel.js');
    const { BudgetPanel } = await import('../../../src/ui/cybernetic/budget/BudgetPanel.js');
    const { SchemaHostMessage } = await import('../../../src/shared/simulacraPanelProtocol.js');
    const { ArtifactHostMessage } = await import('../../../src/shared/artifactPreviewProtocol.js');
    const { ResultsHostMessage } = await import('../../../src/shared/simulixResultsProtocol.js');
    const { ViewerHostMessage } = await import('../../../src/shared/cyberneticViewerProtocol.js');
    const { EurekaRunHostMessage } = await import('../../../src/shared/eurekaRunProtocol.js');
    const { BudgetHostMessage } = await import('../../../src/shared/cyberneticBudgetProtocol.js');
    const { SweepComparisonPanel } = await import('../../../src/ui/simulacrum/SweepComparisonPanel.js');
    const { SweepHostMessage } = await import('../../../src/shared/sweepComparisonProtocol.js');
    const { UploadPreviewPanel } = await import('../../../src/ui/upload/UploadPreviewPanel.js');
    const { UploadPreviewHostMessage } = await import('../../../src/shared/uploadPreviewProtocol.js');
    const { resultsData } = await import('./simulixResultsFixture.js');
    const uri = extensionUri as never;
    const noStore = { get: () => undefined, onDidChangeResources: () => ({ dispose() {} }) };

    cases.push(
      {
        name: 'Simulacra schema',
        bundle: 'simulacra',
        hostMessages: SchemaHostMessage,
        hostSchemaName: 'SchemaHostMessage',
        open: (log, calls) => {
          const data = { dataset: { id: 'ds_1', displayName: hostile }, schema: { columns: [{ name: hostile, type: 'categorical', levels: [hostile] }] }, cleaning: { renamed: [], droppedColumns: [], droppedLevels: [] } };
          SchemaPanel.createOrShow(uri, 'acct/ds_1', data as never, {
            onGenerate: () => calls.push('generate'),
            onSaveScenario: () => calls.push('saveScenario'),
            onLoadScenario: () => (calls.push('loadScenario'), Promise.resolve(undefined)),
            onOpenErrorDocs: (code: string) => calls.push(`openErrorDocs ${code}`),
          }, log);
        },
        valid: { message: { type: 'openErrorDocs', code: 'simio_unknown_condition_column' }, call: 'openErrorDocs simio_unknown_condition_column' },
        malformed: [{ type: 'openErrorDocs', code: `x/../${hostile}` }, { type: 'generate', requestId: 'r1' }, { type: 'saveScenario', requestId: 'r2', scenario: hostile }, { type: 'loadScenario' }],
      },
      {
        name: 'Artifact preview',
        bundle: 'artifactPreview',
        hostMessages: ArtifactHostMessage,
        hostSchemaName: 'ArtifactHostMessage',
        open: (log) => {
          ArtifactPreviewPanel.createOrShow(uri, 'art_1', { title: hostile, columns: [hostile], rows: [[hostile]], totalRows: 1, comparisons: [] }, log);
        },
        // The preview asks nothing of its host: `ready` is its only message.
        valid: { message: { type: 'ready' }, call: '' },
        malformed: [{ type: 'show', artifactKey: 'a', data: {} }, { type: 'error', message: hostile }],
      },
      {
        name: 'Simulix results',
        bundle: 'simulixResults',
        hostMessages: ResultsHostMessage,
        hostSchemaName: 'ResultsHostMessage',
        open: (log, calls) => {
          ResultsPanel.show({ extensionUri: uri, log, loadResults: () => (calls.push('loadResults'), Promise.resolve(resultsData(5))) }, { simulationId: 'sim_1', title: hostile });
        },
        valid: { message: { type: 'retry' }, call: 'loadResults' },
        // The last one is dropped for its size, before parsing.
        malformed: [{ type: 'export', requestId: 'r1', format: 'exe', filter: {} }, { type: 'export', requestId: 'r1', format: 'csv' }, { type: 'export', requestId: 'x'.repeat(2_000_000), format: 'csv', filter: {} }],
      },
      {
        name: 'Isaac Sim viewer',
        bundle: 'cyberneticViewer',
        hostMessages: ViewerHostMessage,
        hostSchemaName: 'ViewerHostMessage',
        open: (log, calls) => {
          ViewerPanel.open(
            {
              extensionUri: uri,
              store: noStore as never,
              log,
              fetchSession: () => (calls.push('fetchSession'), Promise.reject(new Error(`offline ${hostile}`))),
              stop: () => (calls.push('stop'), Promise.resolve(false)),
              publish: () => (calls.push('publish'), Promise.resolve()),
              showError: () => calls.push('showError'),
            },
            'sess_1',
          );
        },
        valid: { message: { type: 'stop' }, call: 'stop' },
        malformed: [{ type: 'navigate', url: `javascript:alert(1)` }, { type: 'openExternal ' }],
      },
      {
        name: 'Eureka run',
        bundle: 'eurekaRun',
        hostMessages: EurekaRunHostMessage,
        hostSchemaName: 'EurekaRunHostMessage',
        open: (log, calls) => {
          EurekaRunPanel.createOrShow(
            { extensionUri: uri, store: noStore as never, history: { points: () => [] } as never, log, showLog: () => calls.push('showLog'), openRewardFunction: () => calls.push('openRewardFunction') },
            'eureka_1',
            hostile,
          );
        },
        valid: { message: { type: 'showLog' }, call: 'showLog' },
        malformed: [{ type: 'runCommand', command: 'workbench.action.terminal.new' }, { type: 'showlog' }],
      },
      {
        name: 'Cybernetic Physics budget',
        bundle: 'cyberneticBudget',
        hostMessages: BudgetHostMessage,
        hostSchemaName: 'BudgetHostMessage',
        open: (log, calls) => {
          const feature = {
            context: { extensionUri: uri },
            log,
            accounts: { status: () => (calls.push('accounts.status'), { state: 'signedOut' }), onDidChangeAccounts: () => ({ dispose() {} }) },
            session: { connection: () => Promise.reject(new Error('not signed in')) },
          };
          BudgetPanel.createOrShow(feature as never, { onDidChange: () => ({ dispose() {} }), accept: () => undefined } as never);
        },
        valid: { message: { type: 'refresh' }, call: 'accounts.status' },
        malformed: [{ type: 'setRange', range: 365 }, { type: 'save', requestId: 7, update: {} }, { type: 'save', update: {} }],
      },
      {
        name: 'Sweep comparison',
        bundle: 'sweepComparison',
        hostMessages: SweepHostMessage,
        hostSchemaName: 'SweepHostMessage',
        open: (log, calls) => {
          const common = { provider: 'simulacrum', rawStatus: 'completed', status: 'succeeded', facts: [], details: [], startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:10:00Z' };
          const sweep = { ...common, id: 'sweep_1', kind: 'sweep', displayName: 'sweep_1', actions: ['details'], raw: { parameterGrid: { [hostile]: [1] } } };
          const variant = { ...common, id: 'sweep_1-v0', kind: 'job', displayName: `v0 ${hostile}=1`, parentId: 'sweep_1', actions: ['download'], raw: { parameters: { [hostile]: hostile } } };
          const store = { get: (_: string, id: string) => (id === 'sweep_1' ? sweep : id === variant.id ? variant : undefined), children: () => [variant], onDidChangeResources: () => ({ dispose() {} }) };
          SweepComparisonPanel.show(
            {
              extensionUri: uri,
              log,
              store: store as never,
              loadMetrics: () => (calls.push('loadMetrics'), Promise.resolve({ kind: 'found', file: hostile, series: { [hostile]: [1], loss: [2, 1] } })),
              download: () => (calls.push('download'), Promise.resolve(undefined)),
            },
            'sweep_1',
          );
        },
        valid: { message: { type: 'downloadBest', requestId: 'r1', metric: 'loss:last', direction: 'min' }, call: 'download' },
        malformed: [{ type: 'downloadBest', requestId: 'r1', metric: 'loss:last', direction: 'sideways' }, { type: 'downloadVariant', id: 'sweep_1-v0' }, { type: 'downloadBest', requestId: 'r1' }, { type: 'retryMetrics', all: 'yes' }],
      },
      {
        name: 'Upload preview',
        bundle: 'uploadPreview',
        hostMessages: UploadPreviewHostMessage,
        hostSchemaName: 'UploadPreviewHostMessage',
        open: (log, calls) => {
          const panel = UploadPreviewPanel.open(uri, `/ws/${hostile}`, log, () => calls.push('refresh'));
          panel.show({
            root: `/ws/${hostile}`,
            sent: [{ relPath: hostile, size: 3 }],
            totalBytes: 3,
            maxArchiveBytes: 200,
            excluded: [{ relPath: `${hostile}dir`, kind: 'directory', bytes: 0, files: 0, complete: true, reason: { source: '.gitignore', file: '.gitignore', line: 1, pattern: hostile } }],
            secrets: [{ relPath: `.env${hostile}`, kind: 'env-file' }],
            excludes: [hostile],
            excludesAreDefault: false,
          });
        },
        valid: { message: { type: 'refresh' }, call: 'refresh' },
        // The page names rows by index only: a path, a negative or fractional index, or an unknown list is dropped.
        malformed: [{ type: 'openRule', index: -1 }, { type: 'openRule', index: 0.5 }, { type: 'openFile', list: 'sent', path: '/etc/passwd' }, { type: 'openFile', list: 'secrets', index: 0 }],
      },
    );
  });

  it('covers every page bundle under webview/', () => {
    const pages = readdirSync(path.join(root, 'webview'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'common').map((entry) => entry.name);
    assert.deepEqual(cases.map((c) => c.bundle).sort(), pages.sort());
  });

  /** A panel left open by a failed test would be revealed instead of created: close every one first. */
  const closeAll = () => {
    for (const panel of createdPanels) panel.dispose();
  };

  it('load resources only from the extension\'s media/ and dist/webview/ folders, with command URIs and forms off', async () => {
    closeAll();
    for (const panelCase of cases) {
      const before = createdPanels.length;
      await panelCase.open(new CapturingLog(), []);
      const panel = createdPanels[before] as FakeWebviewPanel | undefined;
      assert.ok(panel, `${panelCase.name}: a panel was created`);
      for (const options of [panel.createOptions, panel.webview.options]) {
        const roots = (options.localResourceRoots as Uri[]).map((r) => r.toString());
        assert.deepEqual(roots, ['file:///ext/sim-cloud/media', 'file:///ext/sim-cloud/dist/webview'], `${panelCase.name}: localResourceRoots`);
        assert.equal(options.enableCommandUris, false, `${panelCase.name}: command URIs`);
        assert.equal(options.enableForms, false, `${panelCase.name}: forms`);
      }
      const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(panel.webview.html)?.[1] ?? '';
      assert.match(csp, /script-src 'nonce-[A-Za-z0-9+/=]{20,}'/, `${panelCase.name}: script nonce`);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/, `${panelCase.name}: CSP`);
      assert.match(panel.webview.html, new RegExp(`dist/webview/${panelCase.bundle}\\.js`), `${panelCase.name}: loads its own bundle`);
      panel.dispose();
    }
  });

  it('validate every page message: anything unknown or malformed is dropped, logged by type only, and acted on never', async () => {
    closeAll();
    for (const panelCase of cases) {
      const log = new CapturingLog();
      const calls: string[] = [];
      const before = createdPanels.length;
      await panelCase.open(log, calls);
      const panel = createdPanels[before] as FakeWebviewPanel;
      panel.webview.fromPage({ type: 'ready' });
      await settle();
      const callsAfterReady = [...calls];
      const postedAfterReady = panel.webview.posted.length;
      assert.ok(postedAfterReady > 0, `${panelCase.name}: the host sent the page its state on ready`);

      const junk: unknown[] = [{ type: 'evil' }, { type: hostile }, { kind: 'ready' }, null, 'ready', 42, [{ type: 'ready' }], ...panelCase.malformed];
      for (const message of junk) panel.webview.fromPage(message);
      await settle();
      assert.deepEqual(calls, callsAfterReady, `${panelCase.name}: the host acted on a dropped message`);
      assert.equal(panel.webview.posted.length, postedAfterReady, `${panelCase.name}: the host answered a dropped message`);
      const drops = log.drops();
      assert.equal(drops.length, junk.length, `${panelCase.name}: each dropped message is logged once:\n${drops.join('\n')}`);
      for (const line of drops) {
        assert.ok(line.startsWith(`webview ${panelCase.bundle}: dropped an `), line);
        assert.ok(!line.includes('<') && !line.includes('javascript:') && !line.includes('xxxx'), `${panelCase.name}: the log line carries page content: ${line}`);
      }

      if (panelCase.valid.call) {
        panel.webview.fromPage(panelCase.valid.message);
        await settle();
        assert.ok(calls.length > callsAfterReady.length && calls.includes(panelCase.valid.call), `${panelCase.name}: a valid ${JSON.stringify(panelCase.valid.message)} reached the host (calls: ${calls.join(', ')})`);
      }
      for (const message of panel.webview.posted) {
        const parsed = panelCase.hostMessages.safeParse(message);
        assert.ok(parsed.success, `${panelCase.name}: the host posted ${message.type}, which its page would drop: ${parsed.error?.issues.map((i) => i.path.join('.')).join(', ')}`);
      }
      panel.dispose();
    }
  });

  it('pages hear the host only through HostConnection, parsing with their protocol\'s host schema', () => {
    for (const panelCase of cases) {
      const page = readFileSync(path.join(root, 'webview', panelCase.bundle, 'main.ts'), 'utf8');
      assert.match(page, new RegExp(`new HostConnection<${panelCase.hostSchemaName},[^>]*>\\(${panelCase.hostSchemaName},`), `${panelCase.bundle}/main.ts parses host messages with ${panelCase.hostSchemaName}`);
    }
    const connection = readFileSync(path.join(root, 'webview/common/hostConnection.ts'), 'utf8');
    assert.match(connection, /this\.hostMessages\.safeParse\(event\.data\)/);
    for (const dir of readdirSync(path.join(root, 'webview'))) {
      for (const file of readdirSync(path.join(root, 'webview', dir)).filter((name) => name.endsWith('.ts'))) {
        if (dir === 'common' && file === 'hostConnection.ts') continue;
        const code = readFileSync(path.join(root, 'webview', dir, file), 'utf8');
        // A page may filter messages out before the connection sees them (the viewer drops its frame's), never read one.
        assert.doesNotMatch(code, /acquireVsCodeApi|\bonmessage\b|MessageEvent|\bevent\.data\b/, `webview/${dir}/${file} talks to the host around HostConnection`);
      }
    }
  });
});
