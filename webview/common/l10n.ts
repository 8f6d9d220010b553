/**
 * Loads the host's translations (src/shared/l10nBundle.ts) before any page code draws. Pages import this module for
 * its effect and call `l10n.t('English text', …)` from `@vscode/l10n` directly (the exporter behind `npm run l10n`
 * finds calls by that import). Without a bundle (English, or one that fails the schema) `l10n.t` gives the English
 * text with its arguments filled in.
 */
import * as l10n from '@vscode/l10n';
import { L10N_META_NAME, L10nBundle } from '../../src/shared/l10nBundle';

function hostBundle(): L10nBundle | undefined {
  const text = document.querySelector(`meta[name="${L10N_META_NAME}"]`)?.getAttribute('content');
  if (!text) return undefined;
  try {
    const parsed = L10nBundle.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    console.warn('ignored a malformed l10n bundle', parsed.error.issues.slice(0, 3).map((issue) => issue.path.join('.')).join(', '));
  } catch {
    console.warn('ignored an l10n bundle that is not JSON');
  }
  return undefined;
}

const bundle = hostBundle();
if (bundle) l10n.config({ contents: bundle });
