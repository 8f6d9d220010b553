import { randomUUID } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { workspaceTrust } from '../trust/workspaceTrustGate';
import type { AccountsModel } from '../../core/accounts/AccountsModel';
import type { JobOrigin, JobOrigins } from '../../core/jobs/JobOrigins';
import type { Resource } from '../../core/jobs/Resource';
import type { CredentialClaim, DatasetUpload } from '../../core/inflight/InFlightOperation';
import type { InFlightOperations } from '../../core/inflight/InFlightOperations';
import { claimOutcome, type ResumeDecision } from '../../core/inflight/resumeDecision';
import type { KeyValueStore } from '../../core/jobs/KeyValueStore';
import type { Logger } from '../../core/log/Logger';
import { SpecProblemsError } from '../../core/spec/parseSpec';
import type { SimulacraGenerationSpec } from '../../core/spec/simulacraGenerationSpec';
import { safeFileName } from '../../core/transfer/safePath';
import { systemClock } from '../../core/util/clock';
import { notificationText } from '../../core/util/notificationText';
import type { ProviderClientFactory } from '../../providers/ProviderClientFactory';
import { AccessDeclinedError, requestAndClaimAccess, resumeAccessRequest, type SimulacraCredential } from '../../providers/simulacra/accessFlow';
import { buildCleaningReport, readSeedColumns } from '../../providers/simulacra/cleaningReport';
import { SimulacraApi, simulacraProblem, type DatasetSchema } from '../../providers/simulacra/SimulacraApi';
import { readTable } from '../../providers/simulacra/tableReader';
import { compareArtifact, type Cell } from '../../shared/compareArtifact';
import type { CleaningReport as PanelCleaning } from '../../shared/datasetSchema';
import { Scenario, type GenerationRequest } from '../../shared/scenario';
import { toGenerationBody } from '../../shared/scenarioConditions';
import { askInput } from '../accounts/askInput';
import { showOperationError, type ErrorAction } from '../errors/showOperationError';
import { formatBytes } from '../format';
import { ArtifactPreviewPanel } from './ArtifactPreviewPanel';
import { checkGenerationSpec, generationRequestFromSpec, panelSchemaOf } from './generationSpecs';
import { SchemaPanel, type SchemaPanelRestore } from './SchemaPanel';
import type { SimulacraConnection } from './SimulacraSession';
import type { ProviderSession } from '../session/ProviderSession';

type Session = ProviderSession<Omit<SimulacraConnection, 'poller' | 'accountId' | 'endpoints' | 'signal'>>;

const PENDING_ACCESS_KEY = 'simcloud.simulacra.pendingAccessRequest';
const SEED_EXTENSIONS = ['csv', 'parquet', 'xlsx', 'sav'];
/** Codes after which the user's next step is the schema (the guide: rebuild conditions from the cleaned schema). */
const SCHEMA_CODES = /unknown_condition_(column|level)|unknown_column|unknown_level/;

export interface SimulacraCommandDeps {
  readonly session: Session;
  readonly accounts: AccountsModel;
  readonly clients: ProviderClientFactory;
  readonly state: KeyValueStore;
  readonly journal: InFlightOperations;
  readonly extensionUri: vscode.Uri;
  readonly log: Logger;
  readonly origins: JobOrigins;
  reveal(resource: Resource): Thenable<void>;
}

/**
 * Simulacra's commands: request access and claim the one-time secret, rotate it, upload a seed, open the schema
 * inspector and scenario builder, generate, download and preview artifacts, delete a dataset. Problem errors carry
 * their code and request id and offer the error's documentation (and the schema, for unknown columns or levels).
 */
export class SimulacraCommands {
  constructor(private readonly deps: SimulacraCommandDeps) {}

  async requestAccess(): Promise<void> {
    const endpoints = this.deps.accounts.endpoints('simulacra');
    const api = new SimulacraApi(this.deps.clients.publicClient('simulacra', endpoints.baseUrl), endpoints.baseUrl);
    const pending = this.deps.state.get<{ requestId: string; origin: string }>(PENDING_ACCESS_KEY);
    let start: (options: Parameters<typeof requestAndClaimAccess>[1]) => Promise<SimulacraCredential>;
    if (pending && pending.origin === endpoints.origin) {
      start = (options) => resumeAccessRequest(pending.requestId, options);
    } else {
      const title = vscode.l10n.t('Request Access to Simulacra');
      const company = await askInput({ title, step: 1, totalSteps: 2, prompt: vscode.l10n.t('Company name (Simulacra approves access per company)'), validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter your company name.')) });
      if (company === undefined) return;
      const email = await askInput({ title, step: 2, totalSteps: 2, prompt: vscode.l10n.t('Contact email for the request'), validate: (v) => (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.trim()) ? undefined : vscode.l10n.t('Enter an email address, e.g. data-science@acme.example.')) });
      if (email === undefined) return;
      start = (options) => requestAndClaimAccess({ company: company.trim(), email: email.trim() }, options);
    }
    let entry: CredentialClaim | undefined;
    const credential = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Simulacra access request'), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
        try {
          return await start({
            api,
            clock: systemClock,
            signal: controller.signal,
            onStatus: (request) => {
              void this.deps.state.update(PENDING_ACCESS_KEY, { requestId: request.request_id, origin: endpoints.origin });
              if (!entry) {
                entry = { id: randomUUID(), kind: 'credential-claim', provider: 'simulacra', origin: endpoints.origin, requestId: request.request_id, stage: 'waiting', label: request.request_id, startedAt: new Date().toISOString(), ownerPid: this.deps.journal.ownerPid };
                void this.deps.journal.begin(entry);
              }
              progress.report({ message: request.status === 'pending' ? vscode.l10n.t('{0}: waiting for Simulacra to approve (you can cancel and run Request Access again later to keep waiting)', request.request_id) : (request.status ?? undefined) });
            },
            onClaiming: async (requestId) => {
              entry ??= { id: randomUUID(), kind: 'credential-claim', provider: 'simulacra', origin: endpoints.origin, requestId, stage: 'waiting', label: requestId, startedAt: new Date().toISOString(), ownerPid: this.deps.journal.ownerPid };
              await this.deps.journal.begin<CredentialClaim>({ ...entry, stage: 'claiming' });
            },
            // The secret exists exactly once: it goes to SecretStorage before anything else can fail.
            persist: async (claimed) => {
              await this.deps.accounts.signIn('simulacra', endpoints, { kind: 'clientCredentials', clientId: claimed.clientId, clientSecret: claimed.clientSecret });
            },
          });
        } catch (error) {
          if (error instanceof AccessDeclinedError) await this.deps.state.update(PENDING_ACCESS_KEY, undefined);
          throw error;
        } finally {
          onCancel.dispose();
          if (entry) await this.deps.journal.finish(entry.id);
        }
      },
    );
    await this.deps.state.update(PENDING_ACCESS_KEY, undefined);
    this.deps.log.info(`Simulacra access approved: signed in as client ${credential.clientId}; the secret is in secret storage.`);
    if (credential.tokenUrl && endpoints.tokenUrl && credential.tokenUrl !== endpoints.tokenUrl) {
      this.deps.log.warn(`The claim names token URL ${credential.tokenUrl}, but simcloud.simulacra.tokenUrl is ${endpoints.tokenUrl}.`);
    }
    void vscode.window.showInformationMessage(vscode.l10n.t('Simulacra approved your access. Signed in as {0}; the client secret is stored in VS Code secret storage.', notificationText(credential.clientId)));
  }

  /**
   * An access request the last window was following. Still waiting: follow it again. Mid-claim: the request tells
   * whether the one-time token was redeemed; unused, it is claimed now (the first and only claim); redeemed, the
   * answer carrying the secret died with the window and only Simulacra support can issue a new one.
   */
  async resumeAccessClaim(entry: CredentialClaim, decision: ResumeDecision): Promise<void> {
    const endpoints = this.deps.accounts.endpoints('simulacra');
    if (endpoints.origin !== entry.origin) return;
    if (decision.action === 'check-claim') {
      const api = new SimulacraApi(this.deps.clients.publicClient('simulacra', endpoints.baseUrl), endpoints.baseUrl);
      const request = await api.getAccessRequest(entry.requestId, AbortSignal.timeout(60_000));
      const outcome = claimOutcome(entry, request);
      this.deps.log.info(`Simulacra access request ${entry.requestId} was being claimed when the window reloaded: ${outcome}.`);
      if (outcome !== 'claim') {
        await this.deps.state.update(PENDING_ACCESS_KEY, undefined);
        // The reload may have come after the secret was stored and before the journal entry was removed.
        const stored = await this.deps.accounts.credential('simulacra');
        if (outcome === 'secret-lost' && stored?.credential.kind === 'clientCredentials' && stored.credential.clientId === request.client_id) return;
        const message =
          outcome === 'secret-lost'
            ? vscode.l10n.t('The Simulacra client secret of access request {0} was claimed, but the window reloaded before it arrived, so it was never stored. Email support@simulacra-data.com with client id {1}: Simulacra rotates it and sends a new claim token.', entry.requestId, request.client_id ?? '?')
            : outcome === 'declined'
              ? vscode.l10n.t('Simulacra declined access request {0}. Contact Simulacra sales or support with this request id.', entry.requestId)
              : vscode.l10n.t('The claim token of access request {0} expired before it was claimed. Email support@simulacra-data.com with this request id.', entry.requestId);
        void vscode.window.showErrorMessage(notificationText(message));
        return;
      }
      void vscode.window.showInformationMessage(vscode.l10n.t('The claim of the Simulacra credential for access request {0} was interrupted by a window reload; it was not redeemed, claiming it now.', entry.requestId));
    }
    // The pending request id is kept in global state: Request Access picks it up where it was.
    void vscode.commands.executeCommand('simcloud.simulacra.requestAccess');
  }

  async rotateCredentials(): Promise<void> {
    const connection = await this.deps.session.connection();
    const loaded = await this.deps.accounts.credential('simulacra');
    if (loaded?.credential.kind !== 'clientCredentials') return;
    const yes = vscode.l10n.t('Rotate Secret');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Rotate the Simulacra client secret of {0}?', loaded.credential.clientId),
      { modal: true, detail: vscode.l10n.t('The current secret stops working and a new one is stored in VS Code secret storage. Simulacra allows three rotations per 24 hours.') },
      yes,
    );
    if (choice !== yes) return;
    // One key for this rotation: a retry after a lost answer returns the same claim token instead of rotating again.
    const idempotencyKey = randomUUID();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Rotating the Simulacra client secret') }, async () => {
      const rotation = await connection.api.rotateCredential(idempotencyKey, connection.signal);
      const endpoints = connection.endpoints;
      const claimApi = new SimulacraApi(this.deps.clients.publicClient('simulacra', endpoints.baseUrl), endpoints.baseUrl);
      const claimed = await claimApi.claimCredential(rotation.credential_claim_token, connection.signal);
      const clientId = claimed.client_id ?? (loaded.credential.kind === 'clientCredentials' ? loaded.credential.clientId : '');
      await this.deps.accounts.signIn('simulacra', endpoints, { kind: 'clientCredentials', clientId, clientSecret: claimed.client_secret });
    });
    void vscode.window.showInformationMessage(vscode.l10n.t('The Simulacra client secret was rotated; the new one is in VS Code secret storage.'));
  }

  async uploadDataset(target?: unknown): Promise<void> {
    const connection = await this.deps.session.connection();
    const file = target instanceof vscode.Uri ? target : (await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: vscode.l10n.t('Upload Seed'), filters: { [vscode.l10n.t('Seed datasets')]: SEED_EXTENSIONS } }))?.[0];
    if (!file) return;
    const displayName = await askInput({ title: vscode.l10n.t('Upload Seed Dataset to Simulacra'), prompt: vscode.l10n.t('Display name for the dataset'), value: path.parse(file.fsPath).name, validate: (v) => (v.trim() ? undefined : vscode.l10n.t('Enter a name.')) });
    if (displayName === undefined) return;
    // One key per upload, kept in the in-flight journal: every retry of it (by the HTTP client, or after a window
    // reload) replays the first answer instead of training twice.
    const entry = await this.deps.journal.begin<DatasetUpload>({
      id: randomUUID(),
      kind: 'dataset-upload',
      provider: 'simulacra',
      accountId: connection.accountId,
      idempotencyKey: randomUUID(),
      filePath: file.fsPath,
      displayName: displayName.trim(),
      label: path.basename(file.fsPath),
      startedAt: new Date().toISOString(),
      ownerPid: this.deps.journal.ownerPid,
    });
    try {
      await this.sendDataset(connection, entry, vscode.l10n.t('Uploading {0} to Simulacra', entry.label), false);
    } finally {
      await this.deps.journal.finish(entry.id);
    }
  }

  /**
   * An upload the last window did not finish: sent again with its stored Idempotency-Key, so Simulacra answers the
   * first upload's result if it arrived (no second dataset, no second training) and trains it once if it did not.
   */
  async resumeDatasetUpload(entry: DatasetUpload, decision: ResumeDecision): Promise<void> {
    if (decision.action !== 'resume') {
      const why = decision.action === 'report' && decision.outcome === 'file-gone' ? vscode.l10n.t('the file is gone') : decision.action === 'report' && decision.outcome === 'key-expired' ? vscode.l10n.t('it is too old to be sent again safely') : vscode.l10n.t('you are no longer signed in to the same Simulacra account');
      const again = vscode.l10n.t('Upload Again');
      const choice = vscode.window.showWarningMessage(notificationText(vscode.l10n.t('The upload of {0} to Simulacra was interrupted by a window reload and was not resumed: {1}. Check the Sim Cloud view for the dataset before uploading again.', entry.label, why)), again);
      void choice.then((picked) => picked === again && vscode.commands.executeCommand('simcloud.simulacra.uploadDataset', vscode.Uri.file(entry.filePath)));
      return;
    }
    const connection = await this.deps.session.connection();
    await this.sendDataset(connection, entry, vscode.l10n.t('Resuming the upload of {0} to Simulacra (interrupted by a window reload)', entry.label), true);
  }

  private async sendDataset(connection: Awaited<ReturnType<Session['connection']>>, entry: DatasetUpload, title: string, resumed: boolean): Promise<void> {
    const { filePath, displayName, idempotencyKey } = entry;
    const response = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
        const onSignOut = () => controller.abort(connection.signal.reason);
        connection.signal.addEventListener('abort', onSignOut, { once: true });
        let shown = 0;
        try {
          return await connection.api.uploadDataset(
            {
              filePath,
              displayName,
              idempotencyKey,
              onProgress: (sent, total) => {
                const percent = total > 0 ? (100 * sent) / total : 0;
                progress.report({ message: vscode.l10n.t('{0} of {1}', formatBytes(sent), formatBytes(total)), increment: Math.max(0, percent - shown) });
                shown = Math.max(shown, percent);
              },
            },
            controller.signal,
          );
        } finally {
          onCancel.dispose();
          connection.signal.removeEventListener('abort', onSignOut);
        }
      },
    );
    if (!this.deps.session.isCurrent(connection)) return;
    const resource = await connection.source.afterUpload(response, { filePath, displayName });
    this.deps.log.info(`Uploaded ${path.basename(filePath)} to Simulacra${resumed ? ' (resumed after a window reload, same Idempotency-Key)' : ''}: ${response.dataset_id ? `dataset ${response.dataset_id}` : `training job ${response.job_id ?? '?'}`}.`);
    this.deps.session.refresh();
    if (resource) void this.deps.reveal(resource);
    const open = vscode.l10n.t('Open Schema Inspector');
    const ready = response.dataset_id && (response.status === 'ready' || !response.job_id);
    const message = resumed
      ? ready
        ? vscode.l10n.t('The upload of {0} was interrupted by a window reload and has been resumed: dataset {1} is trained and ready.', entry.label, notificationText(displayName))
        : vscode.l10n.t('The upload of {0} was interrupted by a window reload and has been resumed: Simulacra is training {1}. The view shows when it is ready.', entry.label, notificationText(displayName))
      : ready
        ? vscode.l10n.t('Dataset {0} is trained and ready.', notificationText(displayName))
        : vscode.l10n.t('Uploaded {0}; Simulacra is training it. The view shows when it is ready.', notificationText(displayName));
    void vscode.window.showInformationMessage(message, ...(resource && response.dataset_id ? [open] : [])).then((choice) => {
      if (choice === open && resource) void this.openSchema(resource);
    });
  }

  async addDatasetById(): Promise<void> {
    const connection = await this.deps.session.connection();
    const id = await askInput({ title: vscode.l10n.t('Add Simulacra Dataset by ID'), prompt: vscode.l10n.t('Dataset id (from an earlier upload, a notebook, or a colleague in your company)'), validate: (v) => (/^[A-Za-z0-9_.:-]{1,200}$/.test(v.trim()) ? undefined : vscode.l10n.t('Dataset ids are letters, digits and _ . : -')) });
    if (id === undefined) return;
    const resource = await connection.source.addDatasetById(id.trim(), connection.signal);
    if (resource) void this.deps.reveal(resource);
  }

  async deleteDataset(resource: Resource): Promise<void> {
    const connection = await this.deps.session.connection();
    const yes = vscode.l10n.t('Delete Dataset');
    const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Delete dataset {0} from Simulacra?', resource.displayName), { modal: true, detail: vscode.l10n.t('The trained model and its schema are deleted now; generations made from it cannot be repeated.') }, yes);
    if (choice !== yes) return;
    await connection.api.deleteDataset(resource.id, connection.signal);
    await connection.source.afterDelete(resource.id);
    SchemaPanel.get(resource.id)?.dispose();
  }

  /** The schema inspector and scenario builder of a dataset. */
  async openSchema(resource: Resource): Promise<void> {
    const datasetId = resource.kind === 'generation' && resource.parentId ? resource.parentId : resource.id;
    const restore = await this.schemaPanelFor(datasetId);
    SchemaPanel.createOrShow(this.deps.extensionUri, datasetId, restore.data, restore.callbacks, this.deps.log);
  }

  /** What a schema panel needs, fetched again: for opening one, and for bringing one back after a window reload. */
  async schemaPanelFor(datasetId: string): Promise<SchemaPanelRestore> {
    const connection = await this.deps.session.connection();
    const schema = await connection.api.getSchema(datasetId, connection.signal);
    const record = connection.records.dataset(datasetId);
    const cleaning = await this.cleaningFor(record?.fileName, schema);
    return {
      data: { dataset: { id: datasetId, displayName: record?.displayName ?? datasetId, ...(record?.expiresAt ? { retentionEndsAt: record.expiresAt } : {}) }, schema: panelSchemaOf(schema), ...(cleaning ? { cleaning } : {}) },
      callbacks: {
        onGenerate: async (request) => void (await this.generate(connection, datasetId, request, { via: 'form', submittedAt: new Date().toISOString() }, connection.signal)),
        onSaveScenario: (scenario) => saveScenario(scenario, record?.displayName ?? datasetId),
        // A scenario file's parameters go to the service with the next generation: not from an untrusted workspace.
        onLoadScenario: () => (workspaceTrust.allowsReading(vscode.l10n.t('Loading a scenario reads a file to send its parameters.'), this.deps.log) ? loadScenario() : Promise.resolve(undefined)),
        onOpenErrorDocs: async (code) => {
          await vscode.env.openExternal(vscode.Uri.parse(connection.api.errorDocsUrl(code)));
        },
      },
    };
  }

  async downloadArtifact(resource: Resource): Promise<string | undefined> {
    const connection = await this.deps.session.connection();
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error(vscode.l10n.t('Open a folder first: artifacts are saved into the workspace.'));
    const generation = await connection.source.freshGeneration(resource.id, connection.signal);
    if (!generation.artifact_url) throw new Error(vscode.l10n.t('Simulacra has no artifact for {0} (status {1}).', resource.id, generation.status ?? 'unknown'));
    const format = generation.output_format ?? connection.records.generation(resource.id)?.outputFormat ?? 'csv';
    const target = path.join(folder.uri.fsPath, 'sim-results', 'simulacra', `${safeFileName(generation.generation_id ?? resource.id)}.${safeFileName(format)}`);
    await mkdir(path.dirname(target), { recursive: true });
    const bytes = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading the artifact of {0}', notificationText(resource.id)), cancellable: true }, async (_progress, token) => {
      const controller = new AbortController();
      const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
      try {
        // The API decides the bearer rule: relative (managed) URLs get the token, absolute ones on another origin do not.
        return await connection.api.downloadArtifact(generation.artifact_url as string, target, controller.signal);
      } finally {
        onCancel.dispose();
      }
    });
    const rows = generation.rows_generated;
    this.deps.log.info(`Artifact of ${resource.id}: ${bytes} bytes → ${target}${rows !== undefined && rows !== null ? ` (${rows} rows)` : ''}.`);
    const preview = vscode.l10n.t('Preview');
    const open = vscode.l10n.t('Open File');
    void vscode.window.showInformationMessage(vscode.l10n.t('Saved {0} ({1}).', vscode.workspace.asRelativePath(target), formatBytes(bytes)), preview, open).then((choice) => {
      if (choice === preview) void this.previewFile(resource, target);
      if (choice === open) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(target));
    });
    return target;
  }

  async preview(resource: Resource): Promise<void> {
    const target = await this.downloadArtifact(resource);
    if (target) await this.previewFile(resource, target);
  }

  private async previewFile(resource: Resource, filePath: string): Promise<void> {
    const table = await readTable(filePath, { maxRows: 10_000 });
    const jobId = (resource.raw as { jobId?: unknown } | undefined)?.jobId;
    const scenario = this.deps.state.get<unknown>(scenarioKey(resource.id)) ?? (typeof jobId === 'string' ? this.deps.state.get<unknown>(scenarioKey(`job:${jobId}`)) : undefined);
    const parsed = Scenario.safeParse(scenario);
    const rows = table.rows.map((row) => row.map((cell): Cell => (typeof cell === 'boolean' ? String(cell) : cell)));
    const requested = requestedRows(resource);
    ArtifactPreviewPanel.createOrShow(
      this.deps.extensionUri,
      resource.id,
      {
        title: `Preview: ${resource.displayName}`,
        columns: [...table.headers],
        rows: rows.slice(0, 200),
        totalRows: rows.length,
        ...(requested !== undefined ? { requestedRows: requested } : {}),
        comparisons: parsed.success ? compareArtifact(table.headers, rows, parsed.data.conditions) : [],
      },
      this.deps.log,
    );
  }

  /**
   * A spec file's generation: the dataset's schema is fetched first and the conditions checked against it, as the
   * schema inspector does before Generate (an unknown column or level is refused, naming the real ones, and nothing
   * is sent); then the same confirmation of the row quota a Generate press is, unless the caller already asked; then
   * the inspector's own second half. The generation's id, or undefined when declined.
   */
  async submitSpec(spec: SimulacraGenerationSpec, options: { confirmed: boolean; origin: JobOrigin }): Promise<string | undefined> {
    const connection = await this.deps.session.connection();
    const request = generationRequestFromSpec(spec);
    const title = vscode.l10n.t('Simulacra generation from {0}', notificationText(spec.datasetId));
    const { warnings } = await withCancel(title, connection.signal, async (signal, progress) => {
      progress.report({ message: vscode.l10n.t('Checking the conditions against the dataset schema') });
      const checked = checkGenerationSpec(spec, panelSchemaOf(await connection.api.getSchema(spec.datasetId, signal)));
      if (checked.problems.length > 0) throw new SpecProblemsError(checked.problems);
      return checked;
    });
    for (const warning of warnings) this.deps.log.warn(`Spec generation from ${spec.datasetId}: ${warning}`);
    if (!options.confirmed) {
      const generate = vscode.l10n.t('Generate');
      const detail = [vscode.l10n.t('Generated rows count against your Simulacra row quota; a tight scenario may yield fewer rows than asked.'), ...warnings].join('\n\n');
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Generate {0} rows ({1}) from dataset {2}?', request.rowCount.toLocaleString(), request.format, spec.datasetId), { modal: true, detail }, generate);
      if (choice !== generate) return undefined;
    }
    const generated = await withCancel(title, connection.signal, (signal) => this.generate(connection, spec.datasetId, request, options.origin, signal));
    return generated.resource?.id ?? generated.generationId;
  }

  /** Generate's second half, shared by the schema inspector and a spec file: send once, record, show. */
  private async generate(connection: SimulacraConnection, datasetId: string, request: GenerationRequest, origin: JobOrigin, signal: AbortSignal): Promise<{ resource?: Resource; generationId?: string }> {
    const body = toGenerationBody(request);
    // One key per Generate press: the HTTP client's retries replay the first answer instead of generating twice.
    const idempotencyKey = randomUUID();
    // A failure here is shown in the panel (with code and request id) and logged by SchemaPanel.
    const response = await connection.api.createGeneration(datasetId, body, idempotencyKey, signal);
    const resource = await connection.source.afterGeneration(datasetId, response, body);
    // Kept for Preview (targets vs achieved) under every id the generation may be known by: its job's until it has one.
    const keys = new Set([resource?.id, response.generation_id, response.job_id ? `job:${response.job_id}` : undefined].filter((k): k is string => Boolean(k)));
    for (const key of keys) await this.deps.state.update(scenarioKey(key), { version: 1, datasetId, ...request } satisfies Scenario);
    for (const id of new Set([resource?.id, response.generation_id].filter((k): k is string => Boolean(k)))) await this.deps.origins.record('simulacra', id, origin);
    SchemaPanel.get(datasetId)?.postGenerationUpdate({
      status: response.status ?? 'processing',
      rowsGenerated: response.rows_generated ?? 0,
      rowCount: body.row_count,
      partial: response.status === 'partial',
      ...(response.generation_id ? { generationId: response.generation_id } : {}),
    });
    this.deps.session.refresh();
    if (resource) void this.deps.reveal(resource);
    return { resource, generationId: response.generation_id ?? undefined };
  }

  private async cleaningFor(fileName: string | undefined, schema: DatasetSchema): Promise<PanelCleaning | undefined> {
    if (!fileName) return undefined;
    const [seed] = await vscode.workspace.findFiles(`**/${escapeGlob(fileName)}`, '**/{node_modules,.git,sim-results}/**', 1);
    if (!seed) return undefined;
    try {
      const report = buildCleaningReport(await readSeedColumns(seed.fsPath), schema);
      const levels = new Map<string, string[]>();
      for (const dropped of report.droppedLevels) levels.set(dropped.column, [...(levels.get(dropped.column) ?? []), dropped.level]);
      return {
        renamed: report.renamed.map((r) => ({ from: r.original, to: r.cleaned })),
        droppedColumns: [...report.droppedColumns],
        droppedLevels: [...levels].map(([column, dropped]) => ({ column, levels: dropped })),
      };
    } catch (error) {
      this.deps.log.warn(`Could not compare the schema with ${seed.fsPath}: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** A problem error with its code and request id, the error's docs, and the schema when the fix is there. */
  showError(error: unknown, resource?: Resource): void {
    const problem = simulacraProblem(error);
    const actions: ErrorAction[] = [];
    if (problem?.docsUrl) actions.push({ title: vscode.l10n.t('Open Error Docs'), run: () => vscode.env.openExternal(vscode.Uri.parse(problem.docsUrl as string)) });
    if (problem?.code && SCHEMA_CODES.test(problem.code) && resource) actions.push({ title: vscode.l10n.t('Open Schema Inspector'), run: () => this.openSchema(resource) });
    showOperationError(error, this.deps.log, undefined, actions);
  }
}

function requestedRows(resource: Resource): number | undefined {
  const raw = resource.raw as { rowsRequested?: unknown } | undefined;
  return typeof raw?.rowsRequested === 'number' ? raw.rowsRequested : undefined;
}

function scenarioKey(generationKey: string): string {
  return `simcloud.simulacra.generationScenario.${generationKey}`;
}

/** A notification with Cancel around a request: cancelled by the user or by signing out. */
function withCancel<T>(title: string, session: AbortSignal, run: (signal: AbortSignal, progress: vscode.Progress<{ message?: string }>) => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
    try {
      return await run(AbortSignal.any([controller.signal, session]), progress);
    } finally {
      onCancel.dispose();
    }
  });
}

async function saveScenario(scenario: Scenario, datasetName: string): Promise<void> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    defaultUri: folder && vscode.Uri.joinPath(folder, `${safeFileName(datasetName)}.scenario.json`),
    filters: { [vscode.l10n.t('Scenario files')]: ['json'] },
    saveLabel: vscode.l10n.t('Save Scenario'),
  });
  if (!target) return;
  // No $schema key: the extension's jsonValidation checks *.scenario.json files against the shipped schema.
  await writeFile(target.fsPath, `${JSON.stringify(scenario, null, 2)}\n`);
}

async function loadScenario(): Promise<Scenario | undefined> {
  const [file] = (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { [vscode.l10n.t('Scenario files')]: ['json'] }, openLabel: vscode.l10n.t('Load Scenario') })) ?? [];
  if (!file) return undefined;
  const { $schema: _schema, ...content } = JSON.parse(await readFile(file.fsPath, 'utf8')) as Record<string, unknown>;
  const parsed = Scenario.safeParse(content);
  if (!parsed.success) throw new Error(vscode.l10n.t('{0} is not a Sim Cloud scenario: {1}', path.basename(file.fsPath), parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')));
  return parsed.data;
}

function escapeGlob(name: string): string {
  return name.replace(/[[\]{}*?!]/g, (c) => `[${c}]`);
}
