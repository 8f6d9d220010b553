import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ApiError } from '../../../core/http/ApiError';
import { readAll } from '../../../core/http/responseBody';
import type { JobOrigin } from '../../../core/jobs/JobOrigins';
import type { Resource } from '../../../core/jobs/Resource';
import { SpecProblemsError } from '../../../core/spec/parseSpec';
import type { CancelOptions } from '../../jobs/JobCommands';
import { notificationText } from '../../../core/util/notificationText';
import { parseExpiresAt } from '../../../core/transfer/presignedExpiry';
import { PresignedUploader } from '../../../core/transfer/PresignedUploader';
import { probeDownloadSize } from '../../../core/transfer/probeDownloadSize';
import { urlFileName } from '../../../core/transfer/urlFileName';
import type { CyberneticJob, CyberneticUploadPresign } from '../../../providers/cybernetic/CyberneticApi';
import { formatUsd } from '../../../providers/cybernetic/cyberneticResources';
import { showOperationError } from '../../errors/showOperationError';
import { formatBytes, formatRate } from '../../format';
import { downloadResultsWithProgress } from '../../jobs/downloadResultsWithProgress';
import { defaultResultsFolder } from '../../simulacrum/SimulacrumCommands';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import type { CyberneticConnection } from '../CyberneticSession';
import { lookForStartedAction, sendOnce } from '../sendOnce';
import { withCancellableProgress } from '../withCancellableProgress';
import { askReconstructionSettings } from './askReconstructionSettings';
import { classifyReconstructionInput, IMAGE_EXTENSIONS, VIDEO_EXTENSIONS, type InputFile, type ReconstructionInput } from './reconstructionInput';
import { reconstructionRequestParts, restoreSettings, worstCaseUsd, type ReconstructionSettings } from './reconstructionSettings';

const SETTINGS_KEY = 'simcloud.cybernetic.reconstructionSettings';
/** The artifacts Download Results fetches, and the file name each gets when its link names none. */
const DOWNLOADED_ARTIFACTS: Readonly<Record<string, string>> = { usdz: 'scene.usdz', colmapSparse: 'colmap_sparse.zip' };
/** A reconstruction log is a few hundred lines; anything far larger is not shown in an output channel. */
const MAX_LOG_BYTES = 8 * 1024 * 1024;

interface SizedInput {
  readonly kind: 'photos' | 'video';
  readonly files: readonly (InputFile & { readonly size: number })[];
  readonly totalBytes: number;
}

/** Reconstruct 3D Asset, and the job commands (cancel, download, show log) for reconstruction rows. */
export class ReconstructionCommands {
  /** Jobs whose log was already written into their channel in this window: a second Show Log only shows it. */
  private readonly logsShown = new Set<string>();

  constructor(private readonly feature: CyberneticFeatureContext) {}

  /** From the Explorer: `(uri, uris)` with the whole selection in `uris`; from the palette: asks for files. */
  async reconstruct(uri?: unknown, uris?: unknown): Promise<void> {
    const selected = (Array.isArray(uris) && uris.length > 0 ? uris : uri ? [uri] : []).filter((u): u is vscode.Uri => u instanceof vscode.Uri).map((u) => u.fsPath);
    const paths = selected.length > 0 ? selected : await askForInputs();
    if (!paths) return;
    const input = await withSizes(classifyReconstructionInput(paths));
    if (!input) return;
    const connection = await this.feature.session.connection();
    const state = this.feature.context.workspaceState;
    const settings = await askReconstructionSettings(restoreSettings(state.get(SETTINGS_KEY)), { kind: input.kind, count: input.files.length, bytes: formatBytes(input.totalBytes) });
    if (!settings) return;
    await state.update(SETTINGS_KEY, settings);
    await this.submit(connection, input, settings, { via: 'form', submittedAt: new Date().toISOString() }, true);
  }

  /**
   * A spec file's reconstruction, its files already resolved inside the workspace: the same sizes check, a
   * confirmation of the guardrails' bound (unless the caller already asked), then the form's second half. A guardrail
   * refusal is an error here: the guardrails are the spec's to change. The job id, or undefined when declined.
   */
  async submitSpec(files: ReconstructionInput & { ok: true }, settings: ReconstructionSettings, options: { confirmed: boolean; origin: JobOrigin }): Promise<string | undefined> {
    const input = await sized(files);
    if ('empty' in input) throw new SpecProblemsError([{ field: input.kind === 'video' ? 'video' : 'photos', message: vscode.l10n.t('{0} is empty.', path.basename(input.empty)) }]);
    if (!options.confirmed) {
      const start = vscode.l10n.t('Upload and Start');
      const what = input.kind === 'video' ? vscode.l10n.t('1 video, {0}', formatBytes(input.totalBytes)) : vscode.l10n.t('{0} photos, {1}', input.files.length, formatBytes(input.totalBytes));
      const detail = vscode.l10n.t('At most {0}: the guardrails cap it at {1} min × {2}/h. The files are uploaded to Cybernetic Physics; the estimate comes with the job, with a way to cancel it.', formatUsd(worstCaseUsd(settings)), settings.maxRuntimeMinutes, formatUsd(settings.maxHourlyPrice));
      const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Start a 3D reconstruction ({0})?', what), { modal: true, detail }, start);
      if (choice !== start) return undefined;
    }
    return this.submit(await this.feature.session.connection(), input, settings, options.origin, false);
  }

  /** Reconstruct's second half, shared by the form and a spec file: upload, start once, record, show. */
  private async submit(connection: CyberneticConnection, input: SizedInput, settings: ReconstructionSettings, origin: JobOrigin, mayChangeSettings: boolean): Promise<string | undefined> {
    const presign = await this.upload(connection, input);
    const job = await this.createJob(connection, input, presign, settings, mayChangeSettings);
    if (!job) return undefined;
    await this.feature.origins.record('cybernetic', job.jobId, origin);
    const channel = this.feature.logChannels.channel('cybernetic', job.jobId);
    channel.info(`Reconstruction ${job.jobId} started from ${input.files.length} ${input.kind === 'video' ? 'video' : 'photos'} (upload ${presign.uploadId}); estimate ${typeof job.costEstimateUsd === 'number' ? formatUsd(job.costEstimateUsd) : 'not given'}.`);
    if (this.feature.session.isCurrent(connection)) {
      const resource = await connection.source.track('reconstruction', job);
      this.feature.reveal(resource);
    }
    this.feature.session.refresh();
    this.announce(connection, job);
    return job.jobId;
  }

  async cancel(resource: Resource, options?: CancelOptions): Promise<void> {
    const connection = await this.feature.session.connection();
    if (!options?.confirmed) {
      const yes = vscode.l10n.t('Cancel Reconstruction');
      const confirmed = await vscode.window.showWarningMessage(vscode.l10n.t('Cancel {0}?', resource.displayName), { modal: true, detail: vscode.l10n.t('The job stops now; GPU time used so far is billed and no artifacts are produced.') }, yes);
      if (confirmed !== yes) return;
    }
    await this.cancelNow(connection, resource.id);
  }

  async download(resource: Resource): Promise<void> {
    const connection = await this.feature.session.connection();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const storage = this.feature.clients.storageClient('cybernetic');
    const result = await downloadResultsWithProgress({
      jobName: resource.id,
      defaultFolder: folder && defaultResultsFolder(folder, resource.id),
      http: storage,
      log: this.feature.log,
      listFiles: async (signal) => {
        const artifacts = await connection.api.getReconstructionArtifacts(resource.id, signal);
        const wanted = Object.entries(DOWNLOADED_ARTIFACTS).filter(([name]) => artifacts[name]);
        if (wanted.length === 0) throw new Error(vscode.l10n.t('{0} has no USDZ or sparse cloud to download yet: wait until it has completed.', resource.id));
        return Promise.all(
          wanted.map(async ([name, fallback]) => {
            const url = artifacts[name] as string;
            // Artifact links carry no size, and downloadFiles verifies every length: ask the link for it.
            const size = await probeDownloadSize(storage, url, signal);
            return { name: urlFileName(url) ?? fallback, sizeBytes: size ?? -1, url };
          }),
        );
      },
    });
    if (result) this.feature.logChannels.channel('cybernetic', resource.id, resource).info(`Artifacts: ${result.downloaded.length} downloaded, ${result.skipped.length} already present, ${result.refused.length} refused, ${result.failed.length} failed.`);
  }

  async showLog(resource: Resource): Promise<void> {
    const channel = this.feature.logChannels.channel('cybernetic', resource.id, resource);
    if (this.logsShown.has(resource.id) || !resource.actions.includes('log')) {
      channel.show();
      return;
    }
    const connection = await this.feature.session.connection();
    const text = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Fetching the log of {0}…', resource.id) }, async () => {
      const signal = AbortSignal.any([connection.signal, AbortSignal.timeout(60_000)]);
      const url = (await connection.api.getReconstructionArtifacts(resource.id, signal)).logs;
      if (!url) return undefined;
      const response = await this.feature.clients.storageClient('cybernetic').request({ method: 'GET', url, response: 'stream', authenticate: false, signal });
      return (await readAll(response.body, MAX_LOG_BYTES)).toString('utf8');
    });
    if (text !== undefined) {
      channel.info(`--- log of ${resource.id} (the logs artifact) ---`);
      for (const line of text.split(/\r?\n/)) if (line !== '') channel.info(line);
      channel.info('--- end of log ---');
      this.logsShown.add(resource.id);
    }
    channel.show();
  }

  private async upload(connection: CyberneticConnection, input: SizedInput): Promise<CyberneticUploadPresign> {
    const uploader = new PresignedUploader({ http: this.feature.clients.storageClient('cybernetic'), logger: this.feature.log, redactor: this.feature.redactor });
    const title = input.kind === 'video' ? vscode.l10n.t('Uploading the video for reconstruction') : vscode.l10n.t('Uploading {0} photos for reconstruction', input.files.length);
    return withCancellableProgress(connection, title, async (signal, progress) => {
      progress.report({ message: vscode.l10n.t('Asking for upload links…') });
      const presign = await connection.api.presignUploads(input.kind, input.files.map((f) => ({ name: f.uploadName, size: f.size, contentType: f.contentType })), signal);
      if (presign.presignedUrls.length !== input.files.length) throw new Error(vscode.l10n.t('Cybernetic Physics gave {0} upload links for {1} files (upload {2}). Try again; if it keeps happening, report it.', presign.presignedUrls.length, input.files.length, presign.uploadId));
      let shown = 0;
      await uploader.postAll(
        input.files.map((file, index) => {
          const link = presign.presignedUrls[index];
          return { filePath: file.filePath, url: link?.url ?? '', fields: link?.fields ?? {}, fileName: file.uploadName, contentType: file.contentType, expiresAt: parseExpiresAt(link?.expiresAt) };
        }),
        signal,
        (p) => {
          const percent = (100 * p.bytesDone) / Math.max(1, p.totalBytes);
          progress.report({ message: vscode.l10n.t('{0} of {1} at {2}', formatBytes(p.bytesDone), formatBytes(p.totalBytes), formatRate(p.bytesPerSecond)), increment: Math.max(0, percent - shown) });
          shown = Math.max(shown, percent);
        },
      );
      return presign;
    });
  }

  /** POST /v1/jobs; a guardrail refusal offers to change the settings and try again on the same upload. */
  private async createJob(connection: CyberneticConnection, input: SizedInput, presign: CyberneticUploadPresign, initial: ReconstructionSettings, mayChangeSettings: boolean): Promise<CyberneticJob | undefined> {
    let settings = initial;
    for (;;) {
      try {
        const inputUri = presign.inputUri ?? presign.uploadId;
        const sentAt = Date.now();
        return await sendOnce(
          this.feature.log,
          {
            title: vscode.l10n.t('Starting the reconstruction…'),
            unknown: vscode.l10n.t('It is not known whether the reconstruction of upload {0} started.', presign.uploadId),
            check: vscode.l10n.t('It may be running (and billed) already: look for it before you start it again.'),
            actions: [lookForStartedAction(this.feature, connection, 'reconstruction', sentAt)],
          },
          (signal) => connection.api.createReconstruction({ inputUri, inputKind: input.kind, ...reconstructionRequestParts(input.kind, settings) }, signal),
        );
      } catch (error) {
        if (!mayChangeSettings || !(ApiError.is(error) && error.status === 422 && /guardrail/i.test(error.code))) throw error;
        const change = vscode.l10n.t('Change Settings');
        const choice = await vscode.window.showErrorMessage(notificationText(vscode.l10n.t('The reconstruction was refused by its cost guardrails. {0} The photos stay uploaded: change the settings to try again.', error.message)), change);
        if (choice !== change) return undefined;
        const changed = await askReconstructionSettings(settings, { kind: input.kind, count: input.files.length, bytes: formatBytes(input.totalBytes) });
        if (!changed) return undefined;
        settings = changed;
        await this.feature.context.workspaceState.update(SETTINGS_KEY, settings);
      }
    }
  }

  /** The estimate arrives with the job: shown at once, with Cancel next to it. */
  private announce(connection: CyberneticConnection, job: CyberneticJob): void {
    const extra = job as CyberneticJob & { estimatedRuntimeMinutes?: number; gpuSpec?: string };
    const estimate = typeof job.costEstimateUsd === 'number' ? formatUsd(job.costEstimateUsd) : undefined;
    const runtime = typeof extra.estimatedRuntimeMinutes === 'number' ? vscode.l10n.t(', about {0} min', extra.estimatedRuntimeMinutes) : '';
    const gpu = typeof extra.gpuSpec === 'string' ? vscode.l10n.t(' on {0}', extra.gpuSpec) : '';
    const message = estimate
      ? vscode.l10n.t('Reconstruction {0} started: estimated {1}{2}{3}. Cancel now if that is more than you want to spend.', job.jobId, estimate, runtime, gpu)
      : vscode.l10n.t('Reconstruction {0} started; Cybernetic Physics gave no cost estimate.', job.jobId);
    const cancel = vscode.l10n.t('Cancel Job');
    void vscode.window.showInformationMessage(notificationText(message), cancel).then(async (choice) => {
      if (choice !== cancel) return;
      try {
        await this.cancelNow(connection, job.jobId);
      } catch (error) {
        // Not a command (a toast's button): the error is shown here, with its request id, next step and Show Log.
        showOperationError(error, this.feature.log, vscode.l10n.t('Could not cancel reconstruction {0}.', job.jobId));
      }
    });
  }

  private async cancelNow(connection: CyberneticConnection, id: string): Promise<void> {
    const answer = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Cancelling {0}', notificationText(this.feature.store.get('cybernetic', id)?.displayName ?? id)) }, () =>
      connection.api.cancelReconstruction(id, AbortSignal.any([connection.signal, AbortSignal.timeout(60_000)])),
    );
    this.feature.logChannels.channel('cybernetic', id).info(`Cancel requested${answer ? `: the service answered "${answer.status}"` : ''}.`);
    if (answer && this.feature.session.isCurrent(connection)) await connection.source.track('reconstruction', answer);
    this.feature.session.refresh();
  }
}

/** The selection's sizes; a rule it breaks or an empty file is said in a message, and undefined returned. */
async function withSizes(input: ReconstructionInput): Promise<SizedInput | undefined> {
  if (!input.ok) {
    void vscode.window.showWarningMessage(selectionProblem(input));
    return undefined;
  }
  const result = await sized(input);
  if ('empty' in result) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is empty. Select files that hold images or video.', path.basename(result.empty)));
    return undefined;
  }
  return result;
}

/** Each file's size, or the first empty one (nothing to reconstruct from it). */
async function sized(input: ReconstructionInput & { ok: true }): Promise<SizedInput | { empty: string; kind: SizedInput['kind'] }> {
  const files = await Promise.all(input.files.map(async (file) => ({ ...file, size: (await stat(file.filePath)).size })));
  const empty = files.find((file) => file.size === 0);
  if (empty) return { empty: empty.filePath, kind: input.kind };
  return { kind: input.kind, files, totalBytes: files.reduce((sum, file) => sum + file.size, 0) };
}

function selectionProblem(input: Extract<ReconstructionInput, { ok: false }>): string {
  const select = vscode.l10n.t('Select 3 or more images (Ctrl/Cmd-click in the Explorer), or exactly one video, then choose Reconstruct 3D Asset.');
  switch (input.problem) {
    case 'nothing':
      return select;
    case 'too-few-photos':
      return vscode.l10n.t('A reconstruction from photos needs at least 3 images; {0} selected. {1}', input.images, select);
    case 'several-videos':
      return vscode.l10n.t('A reconstruction takes one video; {0} are selected. {1}', input.videos, select);
    case 'mixed':
      return vscode.l10n.t('Images and videos cannot be mixed ({0} images and {1} videos selected). {2}', input.images, input.videos, select);
    case 'unsupported':
      return vscode.l10n.t('{0} cannot be reconstructed: use {1} images or one {2} video.', input.others.slice(0, 3).join(', '), IMAGE_EXTENSIONS.join('/'), VIDEO_EXTENSIONS.join('/'));
  }
}

async function askForInputs(): Promise<string[] | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: true,
    canSelectFiles: true,
    canSelectFolders: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Reconstruct'),
    title: vscode.l10n.t('Choose 3 or more photos, or one video'),
    filters: { [vscode.l10n.t('Photos and videos')]: [...IMAGE_EXTENSIONS, ...VIDEO_EXTENSIONS] },
  });
  return picked?.map((uri) => uri.fsPath);
}
