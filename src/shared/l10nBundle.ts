/**
 * The extension's translated strings as the host hands them to a page (`vscode.l10n.bundle`: the contents of
 * l10n/bundle.l10n.<locale>.json, undefined in English). Pages check it with this schema before `l10n.config`:
 * anything malformed leaves the page in English rather than half-translated.
 */
import { z } from 'zod';

/** The `<meta name>` the HTML shell carries the bundle in (read before the page draws anything). */
export const L10N_META_NAME = 'simcloud-l10n';

export const L10nBundle = z.record(
  z.string().max(10_000),
  z.union([z.string().max(20_000), z.object({ message: z.string().max(20_000), comment: z.array(z.string().max(2_000)).max(20) })]),
);
export type L10nBundle = z.infer<typeof L10nBundle>;
