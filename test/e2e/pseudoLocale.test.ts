// Sim Cloud in a translated VS Code: code-server started with `--locale qps-ploc` and a pseudo-language pack built
// here (code-server cannot download one offline; VS Code resolves a display language only when a pack provides it),
// Sim Cloud's translations pseudo-localised from the committed package.nls.json and l10n bundle by @vscode/l10n-dev,
// as a translator would ship them: the Jobs view title, the welcome text, a command in the palette (package.nls) and
// a message from the code (the l10n bundle) must all show the pseudo text.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe } from 'node:test';
import { getL10nPseudoLocalized } from '@vscode/l10n-dev';
import { repoRoot } from '../../scripts/lib/codeServer.cjs';
import { screenshot } from './support/artifacts';
import { journey } from './support/journey';
import { EXTENSION_ID } from './support/session';

const LOCALE = 'qps-ploc';
type Messages = Record<string, string | { message: string; comment: string[] }>;
const text = (value: Messages[string] | undefined): string => (typeof value === 'string' ? value : (value?.message ?? ''));
const packageNls = getL10nPseudoLocalized(JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Messages) as Messages;
const bundle = getL10nPseudoLocalized(JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.json'), 'utf8')) as Messages) as Messages;
const pseudo = (key: string) => text(packageNls[key]);

/** A language pack for qps-ploc: no core translations (VS Code falls back to English), Sim Cloud's manifest strings. */
function buildPseudoLanguagePack(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'simcloud-pseudo-pack-'));
  mkdirSync(path.join(dir, 'translations', 'extensions'), { recursive: true });
  writeFileSync(path.join(dir, 'translations', 'main.i18n.json'), JSON.stringify({ version: '1.0.0', contents: {} }));
  writeFileSync(path.join(dir, 'translations', 'extensions', `${EXTENSION_ID}.i18n.json`), JSON.stringify({ version: '1.0.0', contents: { package: packageNls, bundle } }));
  writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'pseudo-language-pack',
      publisher: 'simcloudtest',
      version: '0.0.1',
      engines: { vscode: '^1.100.0' },
      categories: ['Language Packs'],
      contributes: {
        localizations: [
          {
            languageId: LOCALE,
            languageName: 'Pseudo Language',
            localizedLanguageName: 'Pseudo Language',
            translations: [
              { id: 'vscode', path: './translations/main.i18n.json' },
              { id: EXTENSION_ID, path: `./translations/extensions/${EXTENSION_ID}.i18n.json` },
            ],
          },
        ],
      },
    }),
  );
  const vsce = createRequire(__filename).resolve('@vscode/vsce/vsce');
  const out = path.join(dir, 'pseudo.vsix');
  execFileSync(process.execPath, [vsce, 'package', '--no-dependencies', '--skip-license', '--allow-missing-repository', '--out', out], { cwd: dir, stdio: 'pipe' });
  return out;
}

describe('Sim Cloud in a pseudo-localised VS Code', { timeout: 600_000 }, () => {
  const { step, session: current } = journey('pseudo-locale', { extraExtensions: [buildPseudoLanguagePack()], codeServerArgs: ['--locale', LOCALE] });
  const simCloudTab = () => current().page.locator(`.part.activitybar li.action-item[role="tab"]:has(a.action-label[aria-label^=${JSON.stringify(pseudo('viewsContainer.simcloud.title'))}])`);

  step('shows the manifest in the pseudo-locale: the Sim Cloud container, the Jobs view title, its welcome text, commands in the palette', async () => {
    const { workbench, codeServer, page } = current();
    const extensions = readdirSync(codeServer.dirs.extensions);
    const pack = extensions.find((name) => name.startsWith('simcloudtest.pseudo-language-pack-'));
    const simCloud = extensions.find((name) => name.startsWith(`${EXTENSION_ID}-`));
    assert.ok(pack && simCloud, `both extensions are installed (${extensions.join(', ')})`);
    // code-server installs the pack from the command line, which leaves VS Code's language-pack index empty (it is
    // filled when the server itself installs one): write the entry the server would, before the first page load.
    const translations = (file: string) => path.join(codeServer.dirs.extensions, pack, 'translations', file);
    writeFileSync(
      path.join(codeServer.dirs.userData, 'languagepacks.json'),
      JSON.stringify({
        [LOCALE]: {
          hash: 'simcloud-pseudo',
          extensions: [{ extensionIdentifier: { id: 'simcloudtest.pseudo-language-pack' }, version: '0.0.1' }],
          translations: { vscode: translations('main.i18n.json'), [EXTENSION_ID]: translations(`extensions/${EXTENSION_ID}.i18n.json`) },
          label: 'Pseudo Language',
        },
      }),
    );
    // Sim Cloud's runtime strings for the locale, next to its code, where a translated release ships them.
    writeFileSync(path.join(codeServer.dirs.extensions, simCloud, 'l10n', `bundle.l10n.${LOCALE}.json`), JSON.stringify(bundle));

    await page.goto(codeServer.url, { timeout: 120_000 });
    await simCloudTab().waitFor({ timeout: 120_000 });
    await simCloudTab().click();
    await page.mouse.move(700, 300);
    await page.locator('.part.sidebar .composite.title h2').filter({ hasText: `${pseudo('viewsContainer.simcloud.title')}: ${pseudo('view.jobs.name')}` }).waitFor();
    await workbench.welcomeButton(pseudo('command.simulacrum.signIn.title')).waitFor();
    await screenshot(page, 'pseudo-locale-01-jobs-view');
    await page.keyboard.press('F1');
    await workbench.quickInputBox().fill(`>${pseudo('command.category')}`);
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ hasText: `${pseudo('command.category')}: ${pseudo('command.openSettings.title')}` }).first().waitFor();
    await screenshot(page, 'pseudo-locale-02-palette');
    await page.keyboard.press('Escape');
  });

  step('shows runtime strings (vscode.l10n.t) in the pseudo-locale: the sign-in box title', async () => {
    const { workbench, page } = current();
    await workbench.welcomeButton(pseudo('command.simulacrum.signIn.title')).click();
    await workbench.inputBox(text(bundle['Sign In to {0}']).replace('{0}', 'Simulacrum Labs'));
    await screenshot(page, 'pseudo-locale-03-sign-in-box');
    await page.keyboard.press('Escape');
  });
});
