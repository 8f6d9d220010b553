import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { withTempZip, type ZipInput } from '../../../core/archive/createZip';
import { selectWorkspaceFiles } from '../../../core/archive/selectWorkspaceFiles';
import { notificationText } from '../../../core/util/notificationText';
import { PresignedUploader } from '../../../core/transfer/PresignedUploader';
import { parseExpiresAt } from '../../../core/transfer/presignedExpiry';
import type { CyberneticEnvironment } from '../../../providers/cybernetic/CyberneticApi';
import { environmentId } from '../../../providers/cybernetic/cyberneticResources';
import { formatBytes, formatRate } from '../../format';
import { uploadSettings } from '../../settings/uploadSettings';
import type { CyberneticFeatureContext } from '../CyberneticFeatureContext';
import type { CyberneticConnection } from '../CyberneticSession';
import { withCancellableProgress } from '../withCancellableProgress';
import { isUsdPath, rootStageCandidates, USD_EXTENSIONS } from './usdStages';

/** The sandbox's rule, which the reference's example name follows; a name outside it would be refused later anyway. */
const ENV_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** What goes into one version's bundle: files relative to `root`, and which of them opens the scene. */
interface BundlePlan {
  readonly root: string;
  readonly entries: readonly ZipInput[];
  readonly rootStage: string;
  readonly totalBytes: number;
  /** Shown in titles: the folder's or file's name. */
  readonly label: string;
}

/** Create Environment, Show Environments and Upload Environment Version. */
export class EnvironmentCommands {
  constructor(private readonly feature: CyberneticFeatureContext) {}

  async create(): Promise<void> {
    const connection = await this.feature.session.connection();
    const created = await this.askAndCreate(connection);
    if (!created) return;
    const upload = vscode.l10n.t('Upload a Version…');
    void vscode.window.showInformationMessage(notificationText(vscode.l10n.t('Created environment {0}. Upload a USD folder or file as its first version.', created.name)), upload).then((choice) => {
      if (choice === upload) void vscode.commands.executeCommand('simcloud.cybernetic.uploadEnvironmentVersion');
    });
  }

  async show(): Promise<void> {
    const connection = await this.feature.session.connection();
    const environments = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing environments…') }, () => connection.api.listEnvironments(AbortSignal.any([connection.signal, AbortSignal.timeout(60_000)])));
    if (this.feature.session.isCurrent(connection)) connection.source.showEnvironments(environments);
    const first = environments.map(environmentId).find((id): id is string => id !== undefined);
    const resource = first ? this.feature.store.get('cybernetic', first) : undefined;
    if (!resource) {
      const create = vscode.l10n.t('Create Environment');
      const choice = await vscode.window.showInformationMessage(vscode.l10n.t('There are no environments in this Cybernetic Physics workspace yet.'), create);
      if (choice === create) await this.create();
      return;
    }
    await vscode.commands.executeCommand('simcloud.jobs.focus');
    this.feature.reveal(resource);
    vscode.window.setStatusBarMessage(vscode.l10n.t('{0} environments, shown under Cybernetic Physics in the Jobs view', environments.length), 5000);
  }

  /** From the Explorer (a folder or a USD file), the palette (asks for one), or an environment's row in the Jobs view. */
  async uploadVersion(arg?: unknown): Promise<void> {
    const connection = await this.feature.session.connection();
    const fromTree = this.feature.resourceOf(arg);
    const presetEnvId = fromTree?.kind === 'environment' ? (fromTree.parentId ?? fromTree.id) : undefined;
    const target = arg instanceof vscode.Uri ? arg : await askForTarget();
    if (!target) return;
    const plan = await this.planBundle(target);
    if (!plan) return;
    const env = presetEnvId ? { envId: presetEnvId, name: this.feature.store.get('cybernetic', presetEnvId)?.displayName ?? presetEnvId } : await this.pickEnvironment(connection);
    if (!env) return;
    const notes = await vscode.window.showInputBox({
      title: vscode.l10n.t('Upload Environment Version — notes'),
      prompt: vscode.l10n.t('What changed in this version (optional). Root stage: {0}; {1} files, {2} before zipping.', plan.rootStage, plan.entries.length, formatBytes(plan.totalBytes)),
      placeHolder: vscode.l10n.t('e.g. Added new shelf geometry'),
      ignoreFocusOut: true,
    });
    if (notes === undefined) return;
    const version = await this.zipAndUpload(connection, env, plan, notes.trim() || undefined);
    await this.publishAndReveal(connection, env.envId);
    const number = version.version !== undefined ? vscode.l10n.t('version {0}', version.version) : vscode.l10n.t('a new version');
    const show = vscode.l10n.t('Show Environments');
    void vscode.window
      .showInformationMessage(notificationText(vscode.l10n.t('Uploaded {0} ({1}) of {2}: {3}, root stage {4}.', number, version.versionId, env.name, formatBytes(version.bytes), plan.rootStage)), show)
      .then((choice) => {
        if (choice === show) void vscode.commands.executeCommand('simcloud.cybernetic.showEnvironments');
      });
  }

  private async askAndCreate(connection: CyberneticConnection): Promise<{ envId: string; name: string } | undefined> {
    const name = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Environment (1/2) — name'),
      prompt: vscode.l10n.t('Letters, digits, dots, dashes and underscores.'),
      placeHolder: 'warehouse-scene', // l10n-exempt: an example name, not prose
      ignoreFocusOut: true,
      validateInput: (value) => (ENV_NAME.test(value.trim()) ? undefined : vscode.l10n.t('Use 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit.')),
    });
    if (name === undefined) return undefined;
    const description = await vscode.window.showInputBox({
      title: vscode.l10n.t('Create Environment (2/2) — description'),
      prompt: vscode.l10n.t('What the scene holds (optional).'),
      placeHolder: vscode.l10n.t('e.g. Franka arm in a warehouse setting'),
      ignoreFocusOut: true,
    });
    if (description === undefined) return undefined;
    const created = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Creating environment {0}…', name.trim()) }, () =>
      connection.api.createEnvironment({ name: name.trim(), description: description.trim() || undefined }, AbortSignal.any([connection.signal, AbortSignal.timeout(60_000)])),
    );
    const envId = environmentId(created);
    if (envId) await this.publishAndReveal(connection, envId);
    return envId ? { envId, name: created.name } : undefined;
  }

  /** After a change: one fresh list into the view (instead of waiting for the poll's turn), and the row selected. */
  private async publishAndReveal(connection: CyberneticConnection, envId: string): Promise<void> {
    if (!this.feature.session.isCurrent(connection)) return;
    try {
      connection.source.showEnvironments(await connection.api.listEnvironments(AbortSignal.any([connection.signal, AbortSignal.timeout(30_000)])));
    } catch (error) {
      // The change itself succeeded; the next poll lists environments again.
      this.feature.log.warn(`Could not list environments after a change: ${error instanceof Error ? error.message : String(error)}`);
      connection.source.environmentsChanged();
      this.feature.session.refresh();
      return;
    }
    const resource = this.feature.store.get('cybernetic', envId);
    if (resource) this.feature.reveal(resource);
  }

  private async pickEnvironment(connection: CyberneticConnection): Promise<{ envId: string; name: string } | undefined> {
    const environments = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Listing environments…') }, () => connection.api.listEnvironments(AbortSignal.any([connection.signal, AbortSignal.timeout(60_000)])));
    type Item = vscode.QuickPickItem & { env?: CyberneticEnvironment };
    const create: Item = { label: `$(add) ${vscode.l10n.t('Create New Environment…')}` };
    const items: Item[] = [
      create,
      ...environments.map((env) => ({
        label: env.name,
        description: vscode.l10n.t('{0} versions', env.versions?.length ?? 0),
        detail: env.description ?? undefined,
        env,
      })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: vscode.l10n.t('Upload Environment Version — environment'), placeHolder: vscode.l10n.t('Which environment gets the new version?'), ignoreFocusOut: true, matchOnDetail: true });
    if (!picked) return undefined;
    if (picked === create) return this.askAndCreate(connection);
    const envId = picked.env && environmentId(picked.env);
    return envId ? { envId, name: picked.env?.name ?? envId } : undefined;
  }

  private async planBundle(target: vscode.Uri): Promise<BundlePlan | undefined> {
    const info = await stat(target.fsPath);
    if (info.isDirectory()) return this.planFolder(target.fsPath);
    if (!isUsdPath(target.fsPath)) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} is not a USD stage. Choose a folder holding your scene, or a .usd, .usda, .usdc or .usdz file.', path.basename(target.fsPath)));
      return undefined;
    }
    const justFile = vscode.l10n.t('Only This File');
    const withFolder = vscode.l10n.t('Its Folder, with This File as Root Stage');
    const choice = await vscode.window.showQuickPick(
      [
        { label: justFile, detail: vscode.l10n.t('A one-file bundle. Layers, references and textures it points to are not included.') },
        { label: withFolder, detail: vscode.l10n.t('Everything in {0} (ignore rules apply), so what the stage references comes along.', path.basename(path.dirname(target.fsPath))) },
      ],
      { title: vscode.l10n.t('Upload Environment Version — what to upload'), placeHolder: vscode.l10n.t('Upload {0} alone or with its folder?', path.basename(target.fsPath)), ignoreFocusOut: true },
    );
    if (!choice) return undefined;
    if (choice.label === withFolder) return this.planFolder(path.dirname(target.fsPath), path.basename(target.fsPath));
    const name = path.basename(target.fsPath);
    return { root: path.dirname(target.fsPath), entries: [{ relPath: name, absPath: target.fsPath, size: info.size, mtimeMs: info.mtimeMs }], rootStage: name, totalBytes: info.size, label: name };
  }

  private async planFolder(root: string, rootStage?: string): Promise<BundlePlan | undefined> {
    const settings = uploadSettings(root);
    const selection = await withCancellableProgress(undefined, vscode.l10n.t('Listing the files of {0}…', path.basename(root)), (signal) => selectWorkspaceFiles({ root, excludes: settings.excludes, signal }));
    const candidates = rootStageCandidates(selection.files.map((file) => file.relPath));
    if (candidates.length === 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} holds no USD stage (.{1}) to open the scene with. Add one, or pick the folder that has it.', path.basename(root), USD_EXTENSIONS.join(', .')));
      return undefined;
    }
    const stage = rootStage ?? (candidates.length === 1 ? candidates[0] : await pickRootStage(candidates));
    if (!stage) return undefined;
    return { root, entries: selection.files, rootStage: stage, totalBytes: selection.totalBytes, label: path.basename(root) };
  }

  private async zipAndUpload(connection: CyberneticConnection, env: { envId: string; name: string }, plan: BundlePlan, notes: string | undefined) {
    const uploader = new PresignedUploader({ http: this.feature.clients.storageClient('cybernetic'), logger: this.feature.log, redactor: this.feature.redactor });
    const settings = uploadSettings(plan.root);
    const title = vscode.l10n.t('Uploading {0} as a version of {1}', notificationText(plan.label), notificationText(env.name));
    return withCancellableProgress(connection, title, async (signal, progress) => {
      let shown = 0;
      const advance = (at: number, message: string) => {
        progress.report({ message, increment: Math.max(0, at - shown) });
        shown = Math.max(shown, at);
      };
      return withTempZip(
        {
          root: plan.root,
          entries: plan.entries,
          storedExtensions: settings.storedExtensions,
          signal: signal,
          workerScript: path.join(this.feature.context.extensionPath, 'dist', 'zipWorker.js'),
          onProgress: (p) => advance(p.totalBytes > 0 ? (30 * p.bytesDone) / p.totalBytes : 0, vscode.l10n.t('Zipping {0} of {1}', formatBytes(p.bytesDone), formatBytes(p.totalBytes))),
        },
        async (zipPath, zip) => {
          advance(30, vscode.l10n.t('Creating the version…'));
          const created = await connection.api.createEnvironmentVersion(env.envId, { notes, rootStageRelpath: plan.rootStage }, signal);
          const version = { versionId: created.versionId ?? created.id ?? '?', version: created.version ?? undefined, putUrl: created.putUrl, contentType: created.putContentType, expiresAt: created.putExpiresAt };
          this.feature.log.info(`Environment ${env.envId}: version ${version.versionId} created (root stage ${plan.rootStage}); uploading ${zip.bytes} bytes`);
          try {
            await uploader.put({ filePath: zipPath, url: version.putUrl, contentType: version.contentType ?? 'application/zip', expiresAt: parseExpiresAt(version.expiresAt) }, signal, (p) =>
              advance(32 + (68 * p.bytesDone) / Math.max(1, p.totalBytes), vscode.l10n.t('Uploading {0} of {1} at {2}', formatBytes(p.bytesDone), formatBytes(p.totalBytes), formatRate(p.bytesPerSecond))),
            );
          } catch (error) {
            // The version exists from here on: say which one, or the user wonders about an empty version in the list.
            this.feature.log.warn(`Environment ${env.envId}: version ${version.versionId} was created but its bundle did not arrive`);
            if (signal.aborted) {
              void vscode.window.showWarningMessage(notificationText(vscode.l10n.t('Version {0} of {1} was created but is empty: the upload was stopped. Upload again to fill a new version.', version.versionId, env.name)));
              throw error;
            }
            const why = this.feature.log.redact(error instanceof Error ? error.message : String(error));
            throw new Error(vscode.l10n.t('Version {0} of {1} was created but is empty: {2}', version.versionId, env.name, why), { cause: error });
          }
          return { ...version, bytes: zip.bytes };
        },
      );
    });
  }
}

async function askForTarget(): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    openLabel: vscode.l10n.t('Upload as Environment Version'),
    title: vscode.l10n.t('Choose the scene folder or a USD file'),
  });
  return picked?.[0];
}

async function pickRootStage(candidates: readonly string[]): Promise<string | undefined> {
  const items = candidates.map((relPath, index) => ({ label: relPath, description: index === 0 ? vscode.l10n.t('suggested') : undefined }));
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Upload Environment Version — root stage'),
    placeHolder: vscode.l10n.t('Which USD file opens the scene? {0} found.', candidates.length),
    ignoreFocusOut: true,
  });
  return picked?.label;
}
