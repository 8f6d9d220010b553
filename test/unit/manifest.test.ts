import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PROVIDER_IDS } from '../../src/core/providers/providerCatalog';

const root = path.resolve(__dirname, '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

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
