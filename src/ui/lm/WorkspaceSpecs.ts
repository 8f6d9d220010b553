import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SpecSubmitOptions, SubmittedJob } from '../../core/spec/SubmittedJob';
import type { SpecSummary } from './SimCloudToolContext';

/** Larger than any real spec; a bigger file is not read into a confirmation. */
const MAX_SPEC_BYTES = 1024 * 1024;

/**
 * Spec files named by a language model: only `*.simjob.json` inside the workspace folder, read as JSON for the
 * confirmation's summary, and submitted through `simcloud.spec.submit` (the spec engineer's code parses and checks).
 */
export class WorkspaceSpecs {
  constructor(
    private readonly folder: () => string | undefined,
    private readonly submitFile: (fsPath: string, options: SpecSubmitOptions) => Promise<SubmittedJob | undefined>,
  ) {}

  async read(relativePath: string): Promise<SpecSummary & { readonly fsPath: string }> {
    const folder = this.folder();
    if (!folder) throw new Error(vscode.l10n.t('No folder is open: open the workspace that holds the spec file.'));
    const fsPath = path.resolve(folder, relativePath);
    const relative = path.relative(folder, fsPath);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) throw new Error(vscode.l10n.t('{0} is outside the workspace folder; give a workspace-relative path.', relativePath));
    if (!fsPath.endsWith('.simjob.json')) throw new Error(vscode.l10n.t('{0} is not a spec file (*.simjob.json).', relativePath));
    const size = await stat(fsPath).then((s) => (s.isFile() ? s.size : -1), () => -1);
    if (size < 0) throw new Error(vscode.l10n.t('{0} does not exist in the workspace.', relativePath));
    if (size > MAX_SPEC_BYTES) throw new Error(vscode.l10n.t('{0} is too large to be a spec file.', relativePath));
    let json: unknown;
    try {
      json = JSON.parse(await readFile(fsPath, 'utf8'));
    } catch {
      throw new Error(vscode.l10n.t('{0} is not valid JSON.', relativePath));
    }
    const fields = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : {};
    const kind = typeof fields.kind === 'string' ? fields.kind.slice(0, 100) : undefined;
    // A spec's `kind` is `<provider>.<job kind>` ("simulacrum.job"): the provider is its first part.
    const provider = kind?.includes('.') ? kind.slice(0, kind.indexOf('.')) : undefined;
    return { fsPath, path: relative.split(path.sep).join('/'), ...(provider ? { provider } : {}), ...(kind ? { kind } : {}) };
  }

  /** The tool's confirmation was the user's consent: `confirmed: true`, recorded as submitted by a tool. */
  async submit(relativePath: string, options: { sweep?: boolean }): Promise<SubmittedJob | undefined> {
    const { fsPath } = await this.read(relativePath);
    return this.submitFile(fsPath, { confirmed: true, via: 'tool', ...(options.sweep ? { sweep: true } : {}) });
  }
}
