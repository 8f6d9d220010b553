// The commands that read files of the workspace to send them to a cloud. In a workspace the user has not trusted
// (Restricted Mode) they are hidden (`isWorkspaceTrusted` in every `when` clause of package.json that shows them) and
// refused when run anyway (a keybinding, another extension, a button of an earlier notification): a cloned repository
// must not get its files zipped and uploaded before its author is trusted. vscode-free so the manifest test reads it.

export const UPLOADING_COMMANDS: ReadonlySet<string> = new Set([
  // Zips the workspace folder and uploads it as the job's project.
  'simcloud.simulacrum.submitJob',
  'simcloud.simulacrum.submitJobForceUpload',
  'simcloud.simulacrum.submitSweep',
  // Uploads a seed dataset file (Explorer context menu or a file dialog opening in the workspace).
  'simcloud.simulacra.uploadDataset',
  // Zips a USD folder or uploads a stage, images or video from the workspace.
  'simcloud.cybernetic.uploadEnvironmentVersion',
  'simcloud.cybernetic.reconstruct',
  // Lists (and reads .npmrc-like files to flag tokens in) what an upload would send: nothing is prepared for an upload
  // from a workspace that is not trusted.
  'simcloud.upload.preview',
  // Submits a *.simjob.json through its provider, which uploads what that provider's form would (the workspace folder).
  'simcloud.spec.submit',
]);

export function isUploadingCommand(id: string): boolean {
  return UPLOADING_COMMANDS.has(id);
}
