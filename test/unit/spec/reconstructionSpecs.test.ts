// cybernetic.reconstruction specs: photos or a video named relative to the spec file, uploaded only from inside the
// workspace folder (no "..", absolute path or symbolic link reaches out), with the form's guardrails.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseSpec, type ParsedSpec } from '../../../src/core/spec/parseSpec';
import { RECONSTRUCTION_SPEC_LIMITS, type CyberneticReconstructionSpec } from '../../../src/core/spec/cyberneticReconstructionSpec';
import { SETTING_LIMITS } from '../../../src/ui/cybernetic/reconstruction/reconstructionSettings';
import { reconstructionSettingsFromSpec, resolveReconstructionInput } from '../../../src/ui/cybernetic/reconstruction/reconstructionSpecs';

const problems = (parsed: ParsedSpec) => ('problems' in parsed ? parsed.problems : assert.fail(`expected problems, got ${JSON.stringify(parsed)}`));
const reconstruction = (value: unknown): CyberneticReconstructionSpec => {
  const parsed = parseSpec(JSON.stringify(value));
  if (!('spec' in parsed) || parsed.spec.kind !== 'cybernetic.reconstruction') return assert.fail(`expected a reconstruction spec, got ${JSON.stringify(parsed)}`);
  return parsed.spec;
};
const guardrails = { maxRuntimeMinutes: 60, maxHourlyPrice: 1.5, gpuMinVram: 16 };

describe('cybernetic.reconstruction specs', () => {
  it('accepts photos or a video with guardrails, and fills the form\'s defaults for the config left out', () => {
    const photos = reconstruction({ kind: 'cybernetic.reconstruction', photos: ['captures', '../shared/extra.jpg'], costGuardrails: guardrails });
    assert.deepEqual(reconstructionSettingsFromSpec(photos), { extractFps: 3, maxResolution: 2000, exportUsdz: true, ...guardrails });
    const video = reconstruction({ kind: 'cybernetic.reconstruction', video: 'walk.mp4', config: { extractFps: 2, exportUsdz: false }, costGuardrails: guardrails });
    assert.deepEqual(reconstructionSettingsFromSpec(video), { extractFps: 2, maxResolution: 2000, exportUsdz: false, ...guardrails });
  });

  it('names what is wrong: both or neither input, extractFps for photos, missing guardrails, an absolute path', () => {
    assert.deepEqual(problems(parseSpec(JSON.stringify({ kind: 'cybernetic.reconstruction', photos: ['a'], video: 'b.mp4', costGuardrails: guardrails }))).map((p) => p.field), ['video']);
    assert.deepEqual(problems(parseSpec(JSON.stringify({ kind: 'cybernetic.reconstruction', costGuardrails: guardrails }))).map((p) => p.field), ['photos']);
    assert.deepEqual(problems(parseSpec(JSON.stringify({ kind: 'cybernetic.reconstruction', photos: ['a'], config: { extractFps: 2 }, costGuardrails: guardrails }))), [{ field: 'config.extractFps', message: 'extractFps is for a video only.' }]);
    assert.deepEqual(problems(parseSpec(JSON.stringify({ kind: 'cybernetic.reconstruction', photos: ['a'] }))).map((p) => p.field), ['costGuardrails']);
    for (const escape of ['/etc/passwd', 'C:/x.jpg', 'a\\b.jpg', '~/x.jpg']) {
      const [problem] = problems(parseSpec(JSON.stringify({ kind: 'cybernetic.reconstruction', video: escape, costGuardrails: guardrails })));
      assert.equal(problem.field, 'video', escape);
      assert.match(problem.message, /relative to the spec file/, escape);
    }
    assert.equal(problems(parseSpec(JSON.stringify({ kind: 'cybernetic.reconstruction', video: 'v.mp4', costGuardrails: { ...guardrails, maxHourlyPrice: 500 } })))[0].field, 'costGuardrails.maxHourlyPrice');
  });

  it('has the same bounds as the form', () => {
    for (const [name, limits] of Object.entries(RECONSTRUCTION_SPEC_LIMITS)) {
      const form = SETTING_LIMITS[name as keyof typeof SETTING_LIMITS];
      assert.deepEqual({ min: limits.min, max: limits.max }, { min: form.min, max: form.max }, name);
    }
  });
});

describe('reconstruction spec paths', () => {
  let root: string;
  let workspace: string;
  let specFile: string;
  const resolve = (value: Partial<CyberneticReconstructionSpec>) => resolveReconstructionInput({ kind: 'cybernetic.reconstruction', costGuardrails: guardrails, ...value }, specFile, workspace);

  before(async () => {
    root = await realpath(await mkdtemp(path.join(tmpdir(), 'simcloud-recon-spec-')));
    workspace = path.join(root, 'project');
    await mkdir(path.join(workspace, 'experiments'), { recursive: true });
    await mkdir(path.join(workspace, 'captures', 'nested'), { recursive: true });
    await mkdir(path.join(root, 'outside'), { recursive: true });
    specFile = path.join(workspace, 'experiments', 'scan.simjob.json');
    for (const name of ['img_2.jpg', 'img_10.jpg', 'img_1.png', 'notes.txt', 'nested/deep.jpg']) await writeFile(path.join(workspace, 'captures', name), 'x');
    await writeFile(path.join(workspace, 'walk.mp4'), 'x');
    await writeFile(path.join(root, 'outside', 'secret.jpg'), 'x');
    await symlink(path.join(root, 'outside'), path.join(workspace, 'linked'));
  });
  after(() => rm(root, { recursive: true, force: true }));

  it('resolves entries relative to the spec file; a folder gives its own images, in natural order', async () => {
    const resolved = await resolve({ photos: ['../captures'] });
    assert.ok('input' in resolved, JSON.stringify(resolved));
    assert.deepEqual(resolved.input.files.map((f) => path.relative(workspace, f.filePath)), ['captures/img_1.png', 'captures/img_2.jpg', 'captures/img_10.jpg'].map((p) => p.split('/').join(path.sep)));
    const video = await resolve({ video: '../walk.mp4' });
    assert.ok('input' in video && video.input.kind === 'video', JSON.stringify(video));
  });

  it('refuses a path outside the workspace folder, through ".." or a symbolic link, and a link inside a photos folder', async () => {
    assert.deepEqual(await resolve({ photos: ['../captures', '../../outside/secret.jpg'] }), { problems: [{ field: 'photos[1]', message: '"../../outside/secret.jpg" is outside the workspace folder; only files inside it are uploaded.' }] });
    assert.deepEqual(await resolve({ video: '../linked/secret.jpg' }), { problems: [{ field: 'video', message: '"../linked/secret.jpg" is a link to a place outside the workspace folder; only files inside it are uploaded.' }] });
    await symlink(path.join(root, 'outside', 'secret.jpg'), path.join(workspace, 'captures', 'img_3.jpg'));
    try {
      assert.deepEqual(await resolve({ photos: ['../captures'] }), { problems: [{ field: 'photos[0]', message: '"img_3.jpg" in "../captures" is a link to a place outside the workspace folder; only files inside it are uploaded.' }] });
    } finally {
      await rm(path.join(workspace, 'captures', 'img_3.jpg'));
    }
  });

  it('says what is missing or wrong: a file that does not exist, too few photos, a folder as the video, a video under photos', async () => {
    assert.deepEqual(await resolve({ photos: ['../captures/img_99.jpg'] }), { problems: [{ field: 'photos[0]', message: '"../captures/img_99.jpg" does not exist (paths are relative to the spec file).' }] });
    assert.deepEqual(await resolve({ photos: ['../captures/img_1.png', '../captures/img_2.jpg'] }), { problems: [{ field: 'photos', message: 'A reconstruction from photos needs at least 3 images; these paths give 2.' }] });
    assert.deepEqual(await resolve({ video: '../captures' }), { problems: [{ field: 'video', message: '"../captures" is a folder: name the video file.' }] });
    assert.deepEqual(await resolve({ photos: ['../walk.mp4'] }), { problems: [{ field: 'photos', message: 'photos lists a video: put it under video instead.' }] });
    assert.deepEqual(await resolve({ video: '../captures/img_1.png' }), { problems: [{ field: 'video', message: '"../captures/img_1.png" is not a video: use one mp4/mov/m4v/webm file, or list images under photos.' }] });
  });
});
