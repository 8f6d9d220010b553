import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { IgnoreLayer } from '../../../src/core/archive/IgnoreLayer';
import { appendIgnoreLines, findLikelySecrets, gitignoreLiteral, likelySecretKind } from '../../../src/core/archive/likelySecrets';
import { buildUploadPreview, ruleLocation, type UploadPreview } from '../../../src/core/archive/uploadPreview';
import { createWorkspacePackager } from '../../../src/core/submit/createWorkspacePackager';
import { writeTree } from './writeTree';

describe('buildUploadPreview: why each path is or is not sent', () => {
  let base: string;
  let root: string;
  let preview: UploadPreview;
  const ruleOf = (relPath: string) => {
    const entry = preview.excluded.find((e) => e.relPath === relPath);
    return entry && { at: ruleLocation(entry.reason), source: entry.reason.source, pattern: entry.reason.pattern };
  };

  before(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-preview-'));
    root = path.join(base, 'ws');
    await writeTree(root, {
      '.gitignore': '# deps\nnode_modules/\n*.log\n/out\n',
      '.simcloudignore': 'renders/\n',
      '.env': 'API_KEY=sentinel\n',
      'main.py': 'print(1)\n',
      'node_modules/a/index.js': 'x'.repeat(1000),
      'node_modules/a/package.json': 'y'.repeat(500),
      'node_modules/b/c/d.js': 'z'.repeat(250),
      'renders/frame1.png': 'p'.repeat(4000),
      'debug.log': 'l'.repeat(30),
      'out/result.bin': 'r'.repeat(20),
      'sub/.gitignore': '!keep.log\ncache/\n',
      'sub/keep.log': 'nested negation wins over the parent *.log',
      'sub/other.log': 'still excluded by the parent',
      'sub/out/file.txt': '/out is anchored to the root, so this one is sent',
      'sub/cache/blob': 'c'.repeat(100),
      'sim-results/job/out.txt': 'downloaded results',
      'big.bin': 'b'.repeat(5000),
    });
    preview = await buildUploadPreview({ root });
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('lists every file sent with its size, largest first, and the totals', () => {
    assert.deepEqual(
      preview.sent.map((f) => [f.relPath, f.size]),
      [
        ['big.bin', 5000],
        ['sub/out/file.txt', 49],
        ['sub/keep.log', 42],
        ['.gitignore', 32],
        ['.env', 17],
        ['sub/.gitignore', 17],
        ['.simcloudignore', 9],
        ['main.py', 9],
      ],
    );
    assert.equal(preview.totalBytes, 5000 + 49 + 42 + 32 + 17 + 17 + 9 + 9);
    assert.ok(preview.maxArchiveBytes > preview.totalBytes, 'the bound includes the zip headers');
  });

  it('names the ignore file, line and pattern for each exclusion: nested negation, nested precedence, anchoring', () => {
    assert.deepEqual(ruleOf('node_modules'), { at: '.gitignore:2', source: '.gitignore', pattern: 'node_modules/' });
    assert.deepEqual(ruleOf('debug.log'), { at: '.gitignore:3', source: '.gitignore', pattern: '*.log' });
    assert.deepEqual(ruleOf('sub/other.log'), { at: '.gitignore:3', source: '.gitignore', pattern: '*.log' });
    assert.equal(ruleOf('sub/keep.log'), undefined, 'the nested !keep.log re-includes it');
    assert.deepEqual(ruleOf('sub/cache'), { at: 'sub/.gitignore:2', source: '.gitignore', pattern: 'cache/' });
    assert.deepEqual(ruleOf('out'), { at: '.gitignore:4', source: '.gitignore', pattern: '/out' });
    assert.equal(ruleOf('sub/out'), undefined, '/out is anchored at the root');
    assert.deepEqual(ruleOf('renders'), { at: '.simcloudignore:1', source: '.simcloudignore', pattern: 'renders/' });
  });

  it('says when the setting excluded a path and whether it is the built-in default', () => {
    assert.deepEqual(ruleOf('sim-results'), { at: undefined, source: 'setting', pattern: '/sim-results/' });
    assert.equal(preview.excludesAreDefault, true);
    assert.deepEqual(preview.excludes, ['/sim-results/']);
  });

  it('counts what a pruned folder holds as one entry, and sorts the excluded largest first', () => {
    const modules = preview.excluded.find((e) => e.relPath === 'node_modules');
    assert.deepEqual(modules && { kind: modules.kind, files: modules.files, bytes: modules.bytes, complete: modules.complete }, { kind: 'directory', files: 3, bytes: 1750, complete: true });
    assert.equal(preview.excluded.filter((e) => e.relPath.startsWith('node_modules')).length, 1, 'nothing inside it is listed');
    assert.deepEqual(
      preview.excluded.map((e) => e.relPath),
      ['renders', 'node_modules', 'sub/cache', 'debug.log', 'sub/other.log', 'out', 'sim-results'],
    );
  });

  it('stops counting inside pruned folders at the budget and says the counts are partial', async () => {
    const partial = await buildUploadPreview({ root, countBudget: 2 });
    const modules = partial.excluded.find((e) => e.relPath === 'node_modules');
    assert.equal(modules?.complete, false);
    assert.ok((modules?.files ?? 0) < 3);
  });

  it('flags the .env that would be sent, and with a user setting says it is not the default', async () => {
    assert.deepEqual(preview.secrets, [{ relPath: '.env', kind: 'env-file' }]);
    const custom = await buildUploadPreview({ root, excludes: ['/big.bin'] });
    assert.equal(custom.excludesAreDefault, false);
    const big = custom.excluded.find((e) => e.relPath === 'big.bin');
    assert.deepEqual(big && { source: big.reason.source, line: big.reason.line, pattern: big.reason.pattern, bytes: big.bytes }, { source: 'setting', line: 1, pattern: '/big.bin', bytes: 5000 });
  });
});

describe('likely secrets', () => {
  it('flags env files, private keys, credential files and kubeconfigs, not their templates or public keys', () => {
    const flagged = findLikelySecrets([
      '.env', '.env.local', 'config/prod.env', '.env.example', '.env.sample', 'environment.yml',
      'keys/server.pem', 'tls/site.key', '.ssh/id_rsa', '.ssh/id_rsa.pub', 'id_ed25519', 'cert.p12', 'keyboard.py',
      'credentials.json', 'credentials-prod.json', '.aws/credentials', 'home/.aws/credentials', 'aws/credentials.md',
      '.kube/config', 'kubeconfig.yaml', 'src/config.py',
    ]);
    assert.deepEqual(
      flagged.map((s) => `${s.relPath}:${s.kind}`),
      [
        '.env:env-file', '.env.local:env-file', 'config/prod.env:env-file',
        'keys/server.pem:private-key', 'tls/site.key:private-key', '.ssh/id_rsa:private-key', 'id_ed25519:private-key', 'cert.p12:private-key',
        'credentials.json:cloud-credentials', 'credentials-prod.json:cloud-credentials', '.aws/credentials:cloud-credentials', 'home/.aws/credentials:cloud-credentials',
        '.kube/config:kubeconfig', 'kubeconfig.yaml:kubeconfig',
      ],
    );
  });

  it('flags .npmrc and .pypirc only when they hold a token or password line', () => {
    const texts: Record<string, string> = {
      '.npmrc': 'registry=https://registry.example/\n//registry.example/:_authToken=abc123\n',
      'web/.npmrc': 'registry=https://registry.example/\n# _authToken=commented out\n',
      '.pypirc': '[pypi]\nusername = __token__\npassword = pypi-abc\n',
    };
    assert.equal(likelySecretKind('.npmrc', (p) => texts[p]), 'token-config');
    assert.equal(likelySecretKind('web/.npmrc', (p) => texts[p]), undefined);
    assert.equal(likelySecretKind('.pypirc', (p) => texts[p]), 'token-config');
    assert.equal(likelySecretKind('.npmrc', () => undefined), 'token-config', 'unreadable counts as possibly holding one');
    assert.equal(likelySecretKind('.git-credentials'), 'token-config');
  });

  it('writes an ignore line that matches exactly that path, whatever characters its name has', () => {
    for (const relPath of ['.env', 'a/b/.env', '#notes.env', '!x.pem', 'keys/a[1].key', 'k*y?.pem', 'sp ace.env ']) {
      const layer = IgnoreLayer.fromFile('.simcloudignore', '.simcloudignore', `${gitignoreLiteral(relPath)}\n`, false);
      assert.equal(layer.test(relPath, false)?.verdict, 'ignored', `${relPath} → ${gitignoreLiteral(relPath)}`);
      for (const other of [`x/${relPath}`, `${relPath}x`, 'a1.key', 'kxy.pem']) if (other !== relPath) assert.equal(layer.test(other, false), undefined, `${gitignoreLiteral(relPath)} must not match ${other}`);
    }
  });
});

describe('WorkspacePackager: extra excludes for one upload', () => {
  let base: string;
  before(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-extra-'));
    await writeTree(base, { '.env': 'SECRET=1\n', 'main.py': 'x\n' });
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('leaves the extra patterns out of that scan only, with its own fingerprint', async () => {
    const packager = createWorkspacePackager({ scanWorkerPath: path.join(base, 'no-worker.js'), settings: () => ({}) });
    try {
      const signal = new AbortController().signal;
      const plain = await packager.scan(base, signal);
      const without = await packager.scan(base, signal, { extraExcludes: [gitignoreLiteral('.env')] });
      const again = await packager.scan(base, signal);
      assert.deepEqual([plain.fileCount, without.fileCount, again.fileCount], [2, 1, 2]);
      assert.notEqual(without.fingerprint, plain.fingerprint);
      assert.equal(again.fingerprint, plain.fingerprint);
      const files = await (without.listing as { files(): Promise<readonly { relPath: string }[]> }).files();
      assert.deepEqual(files.map((f) => f.relPath), ['main.py']);
    } finally {
      await packager.dispose();
    }
  });
});

describe('Add to .simcloudignore', () => {
  let base: string;
  before(async () => {
    base = await mkdtemp(path.join(tmpdir(), 'simcloud-append-'));
    await writeTree(base, { '.simcloudignore': 'renders/', '.env': 'A=1\n', 'keys/a[1].pem': 'k', 'main.py': 'x\n' });
  });
  after(() => rm(base, { recursive: true, force: true }));

  it('appends the flagged paths on lines of their own, once, and the next preview leaves them out by that line', async () => {
    const file = path.join(base, '.simcloudignore');
    const lines = ['.env', 'keys/a[1].pem'].map(gitignoreLiteral);
    await appendIgnoreLines(file, lines);
    await appendIgnoreLines(file, lines); // asked twice: written once
    assert.equal(await readFile(file, 'utf8'), 'renders/\n# Likely secrets, excluded from Sim Cloud uploads\n/.env\n/keys/a\\[1].pem\n');
    const preview = await buildUploadPreview({ root: base });
    assert.deepEqual(preview.sent.map((f) => f.relPath).sort(), ['.simcloudignore', 'main.py']);
    assert.deepEqual(preview.secrets, []);
    const env = preview.excluded.find((e) => e.relPath === '.env');
    assert.equal(env && ruleLocation(env.reason), '.simcloudignore:3');
  });
});
