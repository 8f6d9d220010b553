import * as path from 'node:path';
import { showOperationError } from '../errors/showOperationError';
import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { HttpClient } from '../../core/http/HttpClient';
import type { JobSubmission, ResultsDownload } from '../../core/inflight/InFlightOperation';
import type { InFlightOperations } from '../../core/inflight/InFlightOperations';
import { findSubmittedJob, type ResumeDecision } from '../../core/inflight/resumeDecision';
import type { JobStore } from '../../core/jobs/JobStore';
import type { Resource } from '../../core/jobs/Resource';
import type { CancelOptions } from '../jobs/JobCommands';
import type { RenderRequest } from '../../providers/simulacrum/SimulacrumApi';
import type { Logger } from '../../core/log/Logger';
import type { BlockBlobUploader } from '../../core/transfer/BlockBlobUploader';
import type { UploadRecords } from '../../core/submit/UploadRecords';
import type { WorkspacePackager } from '../../core/submit/WorkspacePackager';
import { WorkspaceJobSubmitter, type SubmissionProgress } from '../../providers/simulacrum/WorkspaceJobSubmitter';
import { notificationText } from '../../core/util/notificationText';
import { isInside, safeFileName } from '../../core/transfer/safePath';
import type { DownloadFile, DownloadResult } from '../../core/transfer/downloadFiles';
import { isCancellation } from '../commands/registerCommand';
import { downloadResultsWithProgress } from '../jobs/downloadResultsWithProgress';
import type { JobLogChannels } from '../jobs/JobLogChannels';
import type { JobNotifier } from '../jobs/JobNotifier';
import { askRenderJobForm, type RenderJobForm } from './askRenderJobForm';
import { askSweepForm, type SweepForm } from './askSweepForm';
import type { JobOrigin, JobOrigins } from '../../core/jobs/JobOrigins';
import type { SimulacrumJobSpec } from '../../core/spec/simulacrumJobSpec';
import { SpecProblemsError } from '../../core/spec/parseSpec';
import { renderFormFromSpec, renderJobSpec, sweepFormFromSpec, sweepSpec } from './simulacrumSpecs';
import { formatBytes, formatRate } from '../format';
import type { SimulacrumConnection, SimulacrumSession } from './SimulacrumSession';
import type { UploadPreflight } from '../upload/UploadPreflight';

export interface SimulacrumCommandDeps {
  readonly session: SimulacrumSession;
  readonly store: JobStore;
  readonly packager: WorkspacePackager;
  readonly uploader: BlockBlobUploader;
  readonly records: UploadRecords;
  readonly logChannels: JobLogChannels;
  readonly notifier: JobNotifier;
  readonly workspaceState: vscode.Memento;
  readonly log: Logger;
  readonly journal: InFlightOperations;
  /** For SAS URLs: no credential, no provider rate limit. */
  readonly storageHttp: HttpClient;
  readonly origins: JobOrigins;
  /** Asks before an upload holding likely secrets or unusually large; undefined when the user cancelled. */
  readonly preflight: Pick<UploadPreflight, 'check'>;
  reveal(resource: Resource): Thenable<void>;
  /** Writes a spec file for a request and opens it (src/ui/spec). */
  saveSpec(spec: SimulacrumJobSpec, folder: vscode.WorkspaceFolder): Promise<void>;
}

/** How a submission is recorded and whether the upload may be reused. */
export interface SubmitOptions {
  readonly forceUpload?: boolean;
  readonly origin: JobOrigin;
}

function formOrigin(): JobOrigin {
  return { via: 'form', submittedAt: new Date().toISOString() };
}

const TITLE = vscode.l10n.t('Submit Workspace Job — Simulacrum Labs');
const SWEEP_TITLE = vscode.l10n.t('Submit Sweep — Simulacrum Labs');

/** Thin handlers for Simulacrum Labs' commands: ask, then run the work with progress and cancel, then report. */
export class SimulacrumCommands {
  constructor(private readonly deps: SimulacrumCommandDeps) {}

  async submitJob(options: { forceUpload?: boolean } = {}): Promise<void> {
    const connected = await this.deps.session.api();
    const folder = await pickWorkspaceFolder();
    if (!folder) return;
    const form = await askRenderJobForm(this.deps.workspaceState, folder, TITLE);
    if (!form) return;
    await this.submitRenderJob(connected, folder, form, { forceUpload: options.forceUpload, origin: formOrigin() });
  }

  /** The second half of Submit Workspace Job, shared by the form and a spec file: upload, submit, record, reveal, announce. */
  async submitRenderJob(connected: SimulacrumConnection, folder: vscode.WorkspaceFolder, form: RenderJobForm, options: SubmitOptions): Promise<string> {
    let request: RenderRequest | undefined;
    const { result: job, upload } = await this.runSubmission(connected, folder, options.forceUpload ?? false, vscode.l10n.t('Submitting a {0} job to Simulacrum Labs', form.render_mode), (projectId, signal) =>
      connected.api.submitRender((request = { project_id: projectId, ...form }), signal),
    );
    await this.deps.origins.record('simulacrum', job.job_id, options.origin);
    // Watched before it is shown, so even a job that finishes before the next poll is announced.
    await this.deps.notifier.watch('simulacrum', job.job_id);
    const channel = this.deps.logChannels.channel('simulacrum', job.job_id);
    channel.info(`Submitted ${form.render_mode} job ${job.job_id} from ${options.origin.specFile ?? folder.name} (project ${upload.projectId}, ${upload.reused ? 'unchanged workspace: upload reused' : `uploaded ${formatBytes(upload.zipBytes ?? 0)}`}).`);
    // Signed out or switched keys meanwhile: the job exists on the old account, but the view now shows another one.
    const resource = this.deps.session.isCurrent(connected) ? connected.source.afterSubmit(job, request) : undefined;
    if (resource) this.deps.logChannels.channel('simulacrum', job.job_id, resource);
    this.deps.session.refresh();
    if (resource) void this.deps.reveal(resource);
    const id = notificationText(job.job_id);
    this.announce(upload.reused ? vscode.l10n.t('Submitted {0} (workspace unchanged, nothing uploaded).', id) : vscode.l10n.t('Submitted {0}.', id), options.origin, folder, renderJobSpec(form));
    return job.job_id;
  }

  async submitSweep(): Promise<void> {
    const connected = await this.deps.session.api();
    const folder = await pickWorkspaceFolder();
    if (!folder) return;
    const form = await askSweepForm(this.deps.workspaceState, folder, SWEEP_TITLE);
    if (!form) return;
    const { variants, ...sweep } = form;
    await this.submitSweepRequest(connected, folder, sweep, variants, { origin: formOrigin() });
  }

  /**
   * The second half of Submit Sweep, shared by the form and a spec file: the cost confirmation (unless the caller
   * already asked), upload, submit, record, reveal, announce. Undefined when the user declined.
   */
  async submitSweepRequest(connected: SimulacrumConnection, folder: vscode.WorkspaceFolder, form: SweepForm, variants: number, options: SubmitOptions & { confirmed?: boolean }): Promise<string | undefined> {
    if (!options.confirmed) {
      const submit = vscode.l10n.t('Submit {0} Variants', variants);
      const confirmed = await vscode.window.showWarningMessage(
        vscode.l10n.t('Submit a sweep of {0} variants?', variants),
        { modal: true, detail: vscode.l10n.t('Each variant runs {0} on its own GPU and is billed separately. Parameters: {1}', form.python_script, Object.keys(form.parameter_grid).join(', ')) },
        submit,
      );
      if (confirmed !== submit) return undefined;
    }
    const request = form;
    const { result: sweep, upload } = await this.runSubmission(connected, folder, false, vscode.l10n.t('Submitting a sweep of {0} variants to Simulacrum Labs', variants), (projectId, signal) =>
      connected.api.submitSweep({ project_id: projectId, ...request }, signal),
    );
    await this.deps.origins.record('simulacrum', sweep.sweep_id, options.origin);
    for (const variant of sweep.variant_job_ids) await this.deps.origins.record('simulacrum', variant, options.origin);
    // One announcement for the sweep when all its variants are done, not one per variant.
    await this.deps.notifier.watch('simulacrum', sweep.sweep_id);
    for (const variant of sweep.variant_job_ids) this.deps.logChannels.channel('simulacrum', variant).info(`Submitted as a variant of sweep ${sweep.sweep_id} (project ${upload.projectId}).`);
    const resource = this.deps.session.isCurrent(connected) ? await connected.source.afterSweep(sweep, { project_id: upload.projectId, ...request }) : undefined;
    const total = sweep.total_variants ?? sweep.variant_job_ids.length;
    this.deps.log.info(`Submitted sweep ${sweep.sweep_id}: ${total} variants, ${sweep.dispatched ?? '?'} dispatched, ${sweep.queued ?? '?'} queued.`);
    this.deps.session.refresh();
    if (resource) void this.deps.reveal(resource);
    const sweepId = notificationText(sweep.sweep_id);
    this.announce(
      sweep.queued !== undefined && sweep.queued !== null ? vscode.l10n.t('Submitted sweep {0}: {1} variants ({2} waiting for a GPU).', sweepId, total, sweep.queued) : vscode.l10n.t('Submitted sweep {0}: {1} variants.', sweepId, total),
      options.origin,
      folder,
      sweepSpec(form),
    );
    return sweep.sweep_id;
  }

  /** A `simulacrum.job` spec: the workspace folder holding it is uploaded, as the form uploads the chosen folder. */
  async submitSpec(spec: SimulacrumJobSpec, folder: vscode.WorkspaceFolder, options: SubmitOptions & { sweep: boolean; confirmed: boolean }): Promise<string | undefined> {
    if (options.sweep) {
      const sweep = sweepFormFromSpec(spec);
      if ('problem' in sweep) throw new SpecProblemsError([sweep.problem]);
      const connected = await this.deps.session.api();
      return this.submitSweepRequest(connected, folder, sweep.form, sweep.variants, options);
    }
    const connected = await this.deps.session.api();
    return this.submitRenderJob(connected, folder, renderFormFromSpec(spec), options);
  }

  /** "Submitted …", with "Save as Spec File" after a form: the same request, reproducible from the workspace. */
  private announce(message: string, origin: JobOrigin, folder: vscode.WorkspaceFolder, spec: SimulacrumJobSpec): void {
    if (origin.via !== 'form') {
      void vscode.window.showInformationMessage(message);
      return;
    }
    const save = vscode.l10n.t('Save as Spec File');
    void vscode.window.showInformationMessage(message, save).then((choice) => {
      if (choice === save) void this.deps.saveSpec(spec, folder).catch((error: unknown) => showOperationError(error, this.deps.log));
    });
  }

  /**
   * A submission the last window did not finish. Never sent again on its own (the API takes no Idempotency-Key, so a
   * second POST could start and bill a second job): the job list says whether it was created, and the user decides.
   */
  async resumeSubmission(entry: JobSubmission, decision: ResumeDecision): Promise<void> {
    const again = vscode.l10n.t('Submit Again');
    const offerAgain = (message: string) =>
      void vscode.window.showWarningMessage(notificationText(message), again).then((choice) => choice === again && vscode.commands.executeCommand('simcloud.simulacrum.submitJob'));
    if (decision.action === 'report') {
      offerAgain(
        decision.outcome === 'not-submitted'
          ? vscode.l10n.t('The submission of {0} was interrupted by a window reload while the workspace was uploading; no job was created.', entry.label)
          : vscode.l10n.t('The submission of {0} was interrupted by a window reload, and you are no longer signed in to the same Simulacrum Labs account, so whether a job was created cannot be checked here. Look in the Simulacrum dashboard before submitting again.', entry.label),
      );
      return;
    }
    const connected = await this.deps.session.api();
    const jobs = await connected.api.listJobs(AbortSignal.timeout(60_000));
    const job = findSubmittedJob(entry, jobs.map((j) => ({ jobId: j.job_id, projectId: j.project_id ?? undefined, createdAt: j.created_at ?? undefined })));
    this.deps.log.info(`Submission of ${entry.label} (project ${entry.projectId ?? '?'}) interrupted by a window reload: ${job ? `created as ${job.jobId}` : 'no job was created'}.`);
    this.deps.session.refresh();
    if (!job) {
      offerAgain(vscode.l10n.t('The submission of {0} was interrupted by a window reload; it was not created.', entry.label));
      return;
    }
    await this.deps.notifier.watch('simulacrum', job.jobId);
    const show = vscode.l10n.t('Show Job');
    void vscode.window.showInformationMessage(notificationText(vscode.l10n.t('The submission of {0} was interrupted by a window reload; it was created as {1}.', entry.label, job.jobId)), show).then((choice) => {
      const resource = choice === show ? this.deps.store.get('simulacrum', job.jobId) : undefined;
      if (resource) void this.deps.reveal(resource);
    });
  }

  cancel(resource: Resource, options?: CancelOptions): Promise<void> {
    return this.loggedFor(resource, 'Cancel', () => this.cancelNow(resource, options));
  }

  complete(resource: Resource): Promise<void> {
    return this.loggedFor(resource, 'Complete', () => this.completeNow(resource));
  }

  /** Undefined when the user dismissed the folder choice. */
  download(resource: Resource): Promise<DownloadResult | undefined> {
    return this.loggedFor(resource, 'Download Results', () => this.downloadNow(resource));
  }

  /** A failed action on a job also lands in that job's channel, with its request id, next to the job's history. */
  private async loggedFor<T>(resource: Resource, action: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (!isCancellation(error)) this.deps.logChannels.channel(resource.provider, resource.id, resource).error(`${action} failed`, error);
      throw error;
    }
  }

  private async cancelNow(resource: Resource, options?: CancelOptions): Promise<void> {
    const connected = await this.deps.session.api();
    const targets = resource.kind === 'sweep' ? this.deps.store.children('simulacrum', resource.id).filter((variant) => variant.actions.includes('cancel')).map((variant) => variant.id) : [resource.id];
    if (!options?.confirmed) {
      const yes = vscode.l10n.t('Cancel Job');
      const confirmed = await vscode.window.showWarningMessage(
        resource.kind === 'sweep' ? vscode.l10n.t('Cancel the {0} unfinished variants of {1}?', targets.length, resource.displayName) : vscode.l10n.t('Cancel {0}?', resource.displayName),
        { modal: true, detail: vscode.l10n.t('The job stops now and its outputs are discarded. You are not charged for cancelled compute.') },
        yes,
      );
      if (confirmed !== yes) return;
    }
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Cancelling {0}', notificationText(resource.displayName)), cancellable: targets.length > 1 }, async (progress, token) => {
      const controller = new AbortController();
      const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
      try {
        for (const [index, id] of targets.entries()) {
          if (targets.length > 1) progress.report({ message: `${index + 1}/${targets.length}`, increment: 100 / targets.length });
          const answer = await connected.api.cancelJob(id, AbortSignal.any([controller.signal, AbortSignal.timeout(60_000)]));
          // Only once the service took the cancel: a cancel that failed leaves the completion notification in place.
          await this.deps.notifier.unwatch('simulacrum', id);
          if (this.deps.session.isCurrent(connected)) connected.source.afterStatusChange(id, answer);
          this.deps.logChannels.channel('simulacrum', id).info(`Cancel requested: the service answered "${answer.status}".`);
        }
        if (resource.kind === 'sweep') await this.deps.notifier.unwatch('simulacrum', resource.id);
      } finally {
        onCancel.dispose();
        this.deps.session.refresh();
      }
    });
  }

  private async completeNow(resource: Resource): Promise<void> {
    const connected = await this.deps.session.api();
    const yes = vscode.l10n.t('Complete Now');
    const confirmed = await vscode.window.showWarningMessage(
      vscode.l10n.t('Complete {0} early?', resource.displayName),
      { modal: true, detail: vscode.l10n.t('Training stops gracefully and the results produced so far are kept for download.') },
      yes,
    );
    if (confirmed !== yes) return;
    const answer = await connected.api.completeJob(resource.id, AbortSignal.timeout(60_000));
    if (this.deps.session.isCurrent(connected)) connected.source.afterStatusChange(resource.id, answer);
    this.deps.logChannels.channel('simulacrum', resource.id).info(`Complete requested: the service answered "${answer.status}".`);
    this.deps.session.refresh();
  }

  /** A results download the last window did not finish: into the same folder; complete files there are kept. */
  async resumeDownload(entry: ResultsDownload): Promise<void> {
    await this.downloadNow({ id: entry.resourceId }, entry);
  }

  /** The signed-in account's list of a job's result files (signed URLs: never logged or stored). */
  async resultFiles(connected: SimulacrumConnection, jobId: string, signal: AbortSignal): Promise<DownloadFile[]> {
    const manifest = await connected.api.getDownloadManifest(jobId, signal);
    return manifest.frames.map((file) => ({ name: file.filename, sizeBytes: file.size_bytes ?? -1, url: file.download_url }));
  }

  private async downloadNow(resource: Pick<Resource, 'id'> & Partial<Resource>, resuming?: ResultsDownload): Promise<DownloadResult | undefined> {
    const connected = await this.deps.session.api();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const channel = this.deps.logChannels.channel('simulacrum', resource.id, resource.provider ? (resource as Resource) : undefined);
    const result = await downloadResultsWithProgress({
      jobName: resource.id,
      defaultFolder: folder && defaultResultsFolder(folder, resource.id),
      http: this.deps.storageHttp,
      log: this.deps.log,
      journal: { operations: this.deps.journal, provider: 'simulacrum', resourceId: resource.id },
      resuming,
      listFiles: (signal) => this.resultFiles(connected, resource.id, signal),
    });
    if (result) channel.info(`Results: ${result.downloaded.length} downloaded, ${result.skipped.length} already present, ${result.refused.length} refused, ${result.failed.length} failed.`);
    return result;
  }

  async refreshBalance(): Promise<void> {
    await this.deps.session.refreshBalance();
  }

  private async runSubmission<T>(connected: SimulacrumConnection, folder: vscode.WorkspaceFolder, forceUpload: boolean, title: string, send: (projectId: string, signal: AbortSignal) => Promise<T>) {
    const submitter = new WorkspaceJobSubmitter(connected.api, this.deps.packager, this.deps.uploader, this.deps.records, this.deps.log);
    const reuseUnchanged = !forceUpload && vscode.workspace.getConfiguration('simcloud.upload', folder).get<boolean>('reuseUnchangedWorkspace', true);
    const plan = await this.deps.preflight.check(folder);
    if (!plan) throw new vscode.CancellationError();
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const onCancel = token.onCancellationRequested(() => controller.abort(new vscode.CancellationError()));
      // Signing out (or switching keys) stops a submission for the old account mid-way.
      const onSignOut = () => controller.abort(connected.signal.reason);
      connected.signal.addEventListener('abort', onSignOut, { once: true });
      const reporter = new StageReporter(progress);
      // Journaled: after a window reload the job list tells whether the POST (sent once: no Idempotency-Key) made a job.
      const entry = await this.deps.journal.begin<JobSubmission>({
        id: randomUUID(),
        kind: 'job-submission',
        provider: 'simulacrum',
        accountId: connected.accountId,
        stage: 'uploading',
        root: folder.uri.fsPath,
        label: folder.name,
        startedAt: new Date().toISOString(),
        ownerPid: this.deps.journal.ownerPid,
      });
      try {
        return await submitter.submit(
          { root: folder.uri.fsPath, projectName: folder.name, accountId: connected.accountId, reuseUnchanged, extraExcludes: plan.extraExcludes },
          controller.signal,
          (update) => reporter.report(update),
          async (projectId) => {
            await this.deps.journal.update<JobSubmission>(entry.id, { stage: 'submitting', projectId });
            return send(projectId, controller.signal);
          },
        );
      } finally {
        onCancel.dispose();
        connected.signal.removeEventListener('abort', onSignOut);
        await this.deps.journal.finish(entry.id);
      }
    });
  }
}

/** Turns pipeline stages into one notification's text and bar: zipping fills the first 40 %, uploading up to 95 %. */
class StageReporter {
  private shown = 0;

  constructor(private readonly progress: vscode.Progress<{ message?: string; increment?: number }>) {}

  report(update: SubmissionProgress): void {
    const t = update.transfer;
    const fraction = t && t.totalBytes > 0 ? t.bytesDone / t.totalBytes : 0;
    let at: number;
    let message: string;
    switch (update.stage) {
      case 'scanning':
        at = 0;
        message = vscode.l10n.t('Looking for changes in the workspace…');
        break;
      case 'zipping':
        at = 40 * fraction;
        message = t ? vscode.l10n.t('Zipping {0} of {1} at {2}', formatBytes(t.bytesDone), formatBytes(t.totalBytes), formatRate(t.bytesPerSecond)) : vscode.l10n.t('Zipping…');
        break;
      case 'requesting-upload':
        at = 40;
        message = vscode.l10n.t('Asking for an upload link…');
        break;
      case 'uploading':
        at = 40 + 55 * fraction;
        message = t ? vscode.l10n.t('Uploading {0} of {1} at {2}', formatBytes(t.bytesDone), formatBytes(t.totalBytes), formatRate(t.bytesPerSecond)) : vscode.l10n.t('Uploading…');
        break;
      case 'submitting':
        at = 95;
        message = vscode.l10n.t('Submitting the job…');
        break;
    }
    const increment = Math.max(0, at - this.shown);
    this.shown = Math.max(this.shown, at);
    this.progress.report({ message, increment });
  }
}

async function pickWorkspaceFolder(): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) {
    const open = vscode.l10n.t('Open Folder');
    void vscode.window.showErrorMessage(vscode.l10n.t('Open the folder of your simulation project first: Sim Cloud zips a workspace folder and submits it.'), open).then((choice) => {
      if (choice === open) void vscode.commands.executeCommand('vscode.openFolder');
    });
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder: vscode.l10n.t('Which folder should be zipped and submitted?') });
}

/**
 * `<workspace>/<simcloud.download.folder>/<job id>`: the job id comes from the server and becomes one safe path segment;
 * a folder setting that would lead outside the workspace folder (a repository's settings can set it) is ignored.
 */
export function defaultResultsFolder(folder: vscode.WorkspaceFolder, jobId: string): string {
  const root = folder.uri.fsPath;
  const configured = vscode.workspace.getConfiguration('simcloud.download', folder).get<string>('folder', 'sim-results');
  const base = path.resolve(root, configured || 'sim-results');
  const inside = base === root || isInside(root, base) ? base : path.join(root, 'sim-results');
  return path.join(inside, safeFileName(jobId));
}
