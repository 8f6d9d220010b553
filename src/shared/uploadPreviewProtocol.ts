/**
 * Messages between the Preview Upload panel (`src/ui/upload/UploadPreviewPanel.ts`) and its page
 * (`webview/uploadPreview/main.ts`). The host sends plain, already-explained rows; the page sorts, filters and draws
 * them. A click on a rule or a path comes back as an index into the host's own rows: the page never names a file to open.
 */
import * as l10n from '@vscode/l10n';
import { z } from 'zod';
import { formatBytes } from './formatBytes';

export const UPLOAD_PREVIEW_VIEW_TYPE = 'simcloud.upload.preview';

/** Rows per list the host sends (the rest are counted, and the page says so); the page draws fewer at a time. */
export const MAX_SENT_ROWS = 20_000;
export const MAX_EXCLUDED_ROWS = 5_000;

const Path = z.string().max(4096);

export const SecretKind = z.enum(['env-file', 'private-key', 'token-config', 'cloud-credentials', 'kubeconfig']);
export type SecretKind = z.infer<typeof SecretKind>;

/** Why an entry is not sent, already resolved by the host. */
export const PreviewRule = z.object({
  source: z.enum(['.gitignore', '.simcloudignore', 'setting', 'builtin', 'symlink', 'unreadable']),
  /** `sub/.gitignore:3` for an ignore file; absent otherwise. */
  location: z.string().max(4200).optional(),
  pattern: z.string().max(4096).optional(),
  detail: z.string().max(1000).optional(),
  /** For 'setting': the pattern comes from the setting's default value (the user set none). */
  isDefault: z.boolean().optional(),
  /** The host can open where the rule is (an ignore file at its line, or the setting). */
  openable: z.boolean(),
});
export type PreviewRule = z.infer<typeof PreviewRule>;

export const SentRow = z.object({ path: Path, size: z.number().nonnegative() });
export type SentRow = z.infer<typeof SentRow>;

export const ExcludedRow = z.object({
  path: Path,
  kind: z.enum(['directory', 'file', 'symlink', 'other']),
  bytes: z.number().nonnegative(),
  files: z.number().int().nonnegative(),
  /** False when a folder held more than the host counted: bytes/files are lower bounds. */
  complete: z.boolean(),
  rule: PreviewRule,
});
export type ExcludedRow = z.infer<typeof ExcludedRow>;

export const UploadPreviewData = z.object({
  folderName: z.string().max(1000),
  /** Largest first; at most MAX_SENT_ROWS. */
  sent: z.array(SentRow).max(MAX_SENT_ROWS),
  sentCount: z.number().int().nonnegative(),
  totalBytes: z.number().nonnegative(),
  maxArchiveBytes: z.number().nonnegative(),
  /** Largest first; at most MAX_EXCLUDED_ROWS. */
  excluded: z.array(ExcludedRow).max(MAX_EXCLUDED_ROWS),
  excludedCount: z.number().int().nonnegative(),
  secrets: z.array(z.object({ path: Path, kind: SecretKind })).max(1000),
  excludes: z.array(z.string().max(4096)).max(1000),
  excludesAreDefault: z.boolean(),
  /** `simcloud.upload.largeArchiveWarningMB` in bytes when the archive could exceed it. */
  largeLimitBytes: z.number().nonnegative().optional(),
  /** A narrowing the host asks for (a folder right-clicked in the Explorer). */
  filter: z.string().max(4096).optional(),
});
export type UploadPreviewData = z.infer<typeof UploadPreviewData>;

/** Host → page. */
export const UploadPreviewHostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('show'), data: UploadPreviewData }),
  z.object({ type: z.literal('loading') }),
  z.object({ type: z.literal('error'), message: z.string().max(10_000) }),
]);
export type UploadPreviewHostMessage = z.infer<typeof UploadPreviewHostMessage>;

const Index = z.number().int().nonnegative().max(1_000_000);

/** Page → host. */
export const UploadPreviewPageMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('refresh') }),
  /** The rule of excluded row `index` (as sent): open its ignore file at its line, or the setting. */
  z.object({ type: z.literal('openRule'), index: Index }),
  /** A sent file (`list: 'sent'`) or an excluded file, by its index in the rows as sent. */
  z.object({ type: z.literal('openFile'), list: z.enum(['sent', 'excluded']), index: Index }),
]);
export type UploadPreviewPageMessage = z.infer<typeof UploadPreviewPageMessage>;

export const SortKey = z.enum(['size', 'path']);
export type SortKey = z.infer<typeof SortKey>;

export const UploadPreviewPageState = z.object({
  sort: SortKey,
  descending: z.boolean(),
  filter: z.string().max(4096),
});
export type UploadPreviewPageState = z.infer<typeof UploadPreviewPageState>;

/** The same words in the page's warning box and in the submit flow's modal. */
export function secretKindText(kind: SecretKind): string {
  switch (kind) {
    case 'env-file':
      return l10n.t('environment file (often holds API keys and passwords)');
    case 'private-key':
      return l10n.t('private key or certificate store');
    case 'token-config':
      return l10n.t('configuration with a token or password');
    case 'cloud-credentials':
      return l10n.t('cloud credentials');
    case 'kubeconfig':
      return l10n.t('Kubernetes configuration (cluster credentials)');
  }
}

/** "sub/.gitignore:3 node_modules/", "simcloud.upload.exclude (default) /sim-results/", "built-in: .git never uploaded". */
export function ruleText(rule: PreviewRule): string {
  switch (rule.source) {
    case '.gitignore':
    case '.simcloudignore':
      return `${rule.location ?? rule.source} ${rule.pattern ?? ''}`.trim();
    case 'setting':
      return `${rule.isDefault ? l10n.t('simcloud.upload.exclude (default)') : 'simcloud.upload.exclude'} ${rule.pattern ?? ''}`.trim();
    case 'builtin':
      return l10n.t('built-in: {0}', `${rule.pattern ?? ''} ${rule.detail ?? ''}`.trim());
    case 'symlink':
      return l10n.t('symbolic link: {0}', rule.detail ?? '');
    case 'unreadable':
      return l10n.t('unreadable: {0}', rule.detail ?? '');
  }
}

/** "12.3 MB": decimal units, the same as the host's notifications. */
export const sizeText = formatBytes;
