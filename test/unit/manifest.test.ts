import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROVIDER_IDS } from '../../src/core/providers/providerCatalog';
import { UPLOADING_COMMANDS } from '../../src/ui/trust/uploadingCommands';

const root = path.resolve(__dirname, '../..');
const rawManifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8')) as Record<string, string>;
/** Every `%key%` placeholder found while resolving, so the localisation tests below can check both directions. */
const placeholders = new Set<string>();
/** The manifest as an English-speaking user sees it: `%key%` strings replaced by package.nls.json's text. */
function resolveNls(value: unknown): unknown {
  if (typeof value === 'string') {
    const key = /^%(.+)%$/.exec(value)?.[1];
    if (key === undefined) return value;
    placeholders.add(key);
    return nls[key] ?? value;
  }
  if (Array.isArray(value)) return value.map(resolveNls);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveNls(v)]));
  return value;
}
const manifest = resolveNls(rawManifest) as typeof rawManifest;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : [],
  );
}

describe('extension manifest', () => {
  it('activates lazily: only views and commands activate it, nothing at startup', () => {
    const events: string[] = manifest.activationEvents ?? [];
    assert.ok(!events.includes('*'));
    assert.ok(!events.includes('onStartupFinished'));
    assert.match(manifest.engines.vscode, /^\^1\.100\.0$/);
  });

  it('puts every command under the "Sim Cloud" category', () => {
    for (const command of manifest.contributes.commands) assert.equal(command.category, 'Sim Cloud', command.command);
  });

  it('registers every contributed command in the extension code', () => {
    const code = sourceFiles(path.join(root, 'src')).map((file) => readFileSync(file, 'utf8')).join('\n');
    for (const { command } of manifest.contributes.commands as { command: string }[]) {
      const perProvider = PROVIDER_IDS.find((provider) => command.startsWith(`simcloud.${provider}.`));
      const literal = code.includes(`'${command}'`);
      const templated = perProvider !== undefined && code.includes(`\`simcloud.\${provider}.${command.slice(`simcloud.${perProvider}.`.length)}\``);
      assert.ok(literal || templated, `${command} is contributed but never registered`);
    }
  });

  it('scopes every host setting to the application and restricts it in untrusted workspaces', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string }>;
    const restricted: string[] = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
    const hostSettings = Object.keys(properties).filter((key) => /\.(baseUrl|tokenUrl)$/.test(key));
    assert.deepEqual(hostSettings.sort(), [...PROVIDER_IDS.map((p) => `simcloud.${p}.baseUrl`), 'simcloud.simulacra.tokenUrl'].sort());
    for (const key of hostSettings) {
      assert.equal(properties[key].scope, 'application', key);
      assert.ok(restricted.includes(key), `${key} is not in restrictedConfigurations`);
    }
  });

  it('keeps the cost warning in user settings: a cloned repo cannot silence it', () => {
    const properties = manifest.contributes.configuration.properties as Record<string, { scope?: string }>;
    assert.equal(properties['simcloud.cybernetic.runtimeWarningMinutes']?.scope, 'application');
  });

  it('offers a sign-in and a sign-out command for each provider, with welcome content linking the sign-ins', () => {
    const ids = (manifest.contributes.commands as { command: string }[]).map((command) => command.command);
    const welcome: string = manifest.contributes.viewsWelcome[0].contents;
    for (const provider of PROVIDER_IDS) {
      assert.ok(ids.includes(`simcloud.${provider}.signIn`));
      assert.ok(ids.includes(`simcloud.${provider}.signOut`));
      assert.ok(welcome.includes(`command:simcloud.${provider}.signIn`));
    }
  });
});

describe('tree menus', () => {
  it('never offer provider actions (sign in, submit) on job rows, nor job actions on provider rows', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { menus: Record<string, { command: string; when?: string }[]> } };
    const jobRow = 'resource from-simulacrum kind-job status-running cancelable hasLog hasDetails';
    const sweepRow = 'resource from-simulacrum kind-sweep status-running cancelable hasLog hasDetails';
    const providerRow = 'provider provider-simulacrum signedIn';
    const matches = (when: string, viewItem: string) =>
      [...when.matchAll(/viewItem =~ \/(.+?)\/(?= |$)/g)].every(([, pattern]) => new RegExp(pattern.replace(/\\\\/g, '\\')).test(viewItem));
    for (const entry of manifest.contributes.menus['view/item/context']) {
      const when = entry.when ?? '';
      const providerCommand = /^simcloud\.(account|simulacrum)\./.test(entry.command);
      for (const row of [jobRow, sweepRow]) assert.equal(providerCommand && matches(when, row), false, `${entry.command} shows on a job row (${when})`);
      assert.equal(entry.command.startsWith('simcloud.job.') && matches(when, providerRow), false, `${entry.command} shows on a provider row`);
    }
  });
});

describe('untrusted workspaces (Restricted Mode uploads nothing)', () => {
  type MenuEntry = { command?: string; when?: string };
  const menus = manifest.contributes.menus as Record<string, MenuEntry[]>;
  const commands = manifest.contributes.commands as { command: string; title: string }[];

  /** The top-level `&&` terms of a when clause; undefined when an `||` outside parentheses could bypass one of them. */
  const conjuncts = (when: string): string[] | undefined => {
    const terms: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < when.length; i += 1) {
      const c = when[i];
      if (c === '/' && /=~\s*$/.test(when.slice(0, i))) {
        // A regular expression literal: its parentheses and bars are not the clause's.
        i = when.indexOf('/', i + 1);
        if (i < 0) return undefined;
      } else if (c === '(') depth += 1;
      else if (c === ')') depth -= 1;
      else if (depth === 0 && when.startsWith('||', i)) return undefined;
      else if (depth === 0 && when.startsWith('&&', i)) {
        terms.push(when.slice(start, i).trim());
        start = i + 2;
        i += 1;
      }
    }
    terms.push(when.slice(start).trim());
    return terms;
  };

  it('lists uploading commands that the manifest contributes, and every command that says it uploads or submits', () => {
    const ids = commands.map((command) => command.command);
    for (const id of UPLOADING_COMMANDS) assert.ok(ids.includes(id), `${id} is not contributed`);
    // A new command whose title says it sends files must be added to the list (src/ui/trust/uploadingCommands.ts).
    for (const { command, title } of commands) {
      if (/\b(upload|submit|reconstruct)/i.test(title)) assert.ok(UPLOADING_COMMANDS.has(command), `"${title}" (${command}) looks like it uploads but is not gated`);
    }
  });

  it('shows no uploading command in an untrusted workspace: every menu entry requires isWorkspaceTrusted', () => {
    for (const id of UPLOADING_COMMANDS) {
      const palette = menus.commandPalette.filter((entry) => entry.command === id);
      assert.ok(palette.length > 0, `${id} has no commandPalette entry, so the palette shows it always`);
      for (const [location, entries] of Object.entries(menus)) {
        for (const entry of entries.filter((e) => e.command === id)) {
          const terms = conjuncts(entry.when ?? '');
          assert.ok(terms?.includes('isWorkspaceTrusted'), `${location} shows ${id} without "&& isWorkspaceTrusted": when = ${JSON.stringify(entry.when)}`);
        }
      }
    }
    const welcome = JSON.stringify(manifest.contributes.viewsWelcome);
    for (const id of UPLOADING_COMMANDS) assert.ok(!welcome.includes(`command:${id}`), `the welcome content links ${id}`);
  });

  it('reads the trust clause correctly (a clause with a top-level || does not count)', () => {
    assert.deepEqual(conjuncts('a && (b || c) && isWorkspaceTrusted'), ['a', '(b || c)', 'isWorkspaceTrusted']);
    assert.deepEqual(conjuncts('a && x =~ /^(p|q)$/ && isWorkspaceTrusted'), ['a', 'x =~ /^(p|q)$/', 'isWorkspaceTrusted']);
    assert.equal(conjuncts('a || b && isWorkspaceTrusted'), undefined);
  });

  it('says in the capabilities what Restricted Mode limits', () => {
    const { supported, description } = manifest.capabilities.untrustedWorkspaces as { supported: string; description: string };
    assert.equal(supported, 'limited');
    assert.match(description, /uploads nothing/);
  });
});

describe('manifest localisation (package.nls.json)', () => {
  it('resolves every %key% in package.json from package.nls.json, and package.nls.json holds no key nothing uses', () => {
    for (const key of placeholders) assert.ok(key in nls, `package.json uses %${key}% but package.nls.json has no "${key}"`);
    for (const key of Object.keys(nls)) assert.ok(placeholders.has(key), `package.nls.json has "${key}" but package.json never uses %${key}%`);
  });

  it('writes every user-visible manifest string as %key%, never as English in package.json', () => {
    const visible: [string, unknown][] = [
      ['displayName', rawManifest.displayName],
      ['description', rawManifest.description],
      ['capabilities.untrustedWorkspaces.description', rawManifest.capabilities.untrustedWorkspaces.description],
    ];
    const c = rawManifest.contributes;
    for (const list of Object.values(c.viewsContainers ?? {}) as { id: string; title: string }[][]) for (const v of list) visible.push([`viewsContainer ${v.id}`, v.title]);
    for (const list of Object.values(c.views ?? {}) as { id: string; name: string; contextualTitle?: string }[][]) {
      for (const v of list) visible.push([`view ${v.id}`, v.name], ...(v.contextualTitle ? [[`view ${v.id} contextualTitle`, v.contextualTitle] as [string, unknown]] : []));
    }
    for (const w of c.viewsWelcome ?? []) visible.push([`viewsWelcome ${w.view}`, w.contents]);
    for (const cmd of c.commands ?? []) visible.push([`${cmd.command} title`, cmd.title], [`${cmd.command} category`, cmd.category], ...(cmd.shortTitle ? [[`${cmd.command} shortTitle`, cmd.shortTitle] as [string, unknown]] : []));
    for (const menu of c.submenus ?? []) visible.push([`submenu ${menu.id}`, menu.label]);
    const configurations = Array.isArray(c.configuration) ? c.configuration : [c.configuration];
    for (const configuration of configurations) {
      visible.push(['configuration title', configuration.title]);
      for (const [id, property] of Object.entries(configuration.properties ?? {}) as [string, Record<string, unknown>][]) {
        for (const field of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) if (property[field] !== undefined) visible.push([`${id} ${field}`, property[field]]);
        for (const field of ['enumDescriptions', 'markdownEnumDescriptions', 'enumItemLabels']) for (const text of (property[field] as unknown[] | undefined) ?? []) visible.push([`${id} ${field}`, text]);
      }
    }
    for (const walkthrough of c.walkthroughs ?? []) {
      visible.push([`walkthrough ${walkthrough.id} title`, walkthrough.title], [`walkthrough ${walkthrough.id} description`, walkthrough.description]);
      for (const step of walkthrough.steps ?? []) {
        visible.push([`step ${step.id} title`, step.title], [`step ${step.id} description`, step.description]);
        if (step.media?.altText !== undefined) visible.push([`step ${step.id} altText`, step.media.altText]);
      }
    }
    for (const tool of c.languageModelTools ?? []) for (const field of ['displayName', 'userDescription']) if (tool[field] !== undefined) visible.push([`tool ${tool.name} ${field}`, tool[field]]);
    for (const [where, text] of visible) assert.match(String(text), /^%[\w.-]+%$/, `${where} is ${JSON.stringify(text)}: write it as %key% with the English in package.nls.json`);
  });
});

describe('Get started walkthrough', () => {
  type Step = { id: string; description: string; media: { svg?: string; markdown?: string; image?: string }; completionEvents?: string[] };
  const walkthrough = (manifest.contributes.walkthroughs as { id: string; steps: Step[] }[]).find((w) => w.id === 'getStarted');
  const contextKeys = readFileSync(path.join(root, 'src/ui/ContextKeys.ts'), 'utf8');

  it('has the five steps, each completing on its own event, with media that exists and uses theme colours', () => {
    assert.ok(walkthrough, 'no getStarted walkthrough');
    assert.deepEqual(walkthrough.steps.map((step) => step.id), ['signIn', 'sandbox', 'submit', 'watch', 'download']);
    for (const step of walkthrough.steps) {
      assert.ok((step.completionEvents ?? []).length > 0, `${step.id} never completes by itself`);
      const media = step.media.svg ?? step.media.markdown ?? step.media.image ?? '';
      assert.ok(existsSync(path.join(root, media)), `${step.id}: ${media} is missing`);
      if (media.endsWith('.svg')) assert.doesNotMatch(readFileSync(path.join(root, media), 'utf8'), /#[0-9a-f]{3,6}\b|fill="(?!var|none)[a-z]/i, `${media} hard-codes a colour`);
    }
  });

  it('waits only for context keys Sim Cloud sets and links only contributed commands', () => {
    const ids = new Set((manifest.contributes.commands as { command: string }[]).map((command) => command.command));
    for (const step of walkthrough?.steps ?? []) {
      for (const event of step.completionEvents ?? []) {
        const key = /^onContext:(.+)$/.exec(event)?.[1];
        if (key === 'simcloud.anySignedIn') assert.match(contextKeys, /'simcloud\.anySignedIn'/);
        else if (key) assert.ok(key.startsWith('simcloud.walkthrough.') && contextKeys.includes('simcloud.walkthrough.') && new RegExp(`'${key.slice('simcloud.walkthrough.'.length)}'`).test(contextKeys), `${step.id} waits for ${key}, which nothing sets`);
        else assert.match(event, /^onSettingChanged:simcloud\.|^onView:simcloud\.|^onCommand:simcloud\./, `${step.id}: ${event}`);
      }
      for (const [, command] of step.description.matchAll(/\(command:([\w.]+)/g)) assert.ok(ids.has(command), `${step.id} links ${command}, which is not contributed`);
    }
  });
});
