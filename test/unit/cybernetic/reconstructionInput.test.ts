import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sizeFromHeaders } from '../../../src/core/transfer/probeDownloadSize';
import { classifyReconstructionInput } from '../../../src/ui/cybernetic/reconstruction/reconstructionInput';
import { DEFAULT_RECONSTRUCTION_SETTINGS, parseSetting, reconstructionRequestParts, restoreSettings, worstCaseUsd } from '../../../src/ui/cybernetic/reconstruction/reconstructionSettings';

describe('classifyReconstructionInput', () => {
  it('takes three or more images as photos, in natural order, with content types', () => {
    const input = classifyReconstructionInput(['/w/img_10.jpg', '/w/img_2.JPG', '/w/img_1.png']);
    assert.ok(input.ok);
    assert.equal(input.kind, 'photos');
    assert.deepEqual(input.files.map((f) => [f.uploadName, f.contentType]), [['img_1.png', 'image/png'], ['img_2.jpg', 'image/jpeg'], ['img_10.jpg', 'image/jpeg']]);
  });

  it('takes exactly one video', () => {
    const input = classifyReconstructionInput(['/w/walkaround.MOV']);
    assert.ok(input.ok);
    assert.equal(input.kind, 'video');
    assert.equal(input.files[0]?.contentType, 'video/quicktime');
  });

  it('says which rule a selection breaks', () => {
    const problem = (paths: string[]) => {
      const input = classifyReconstructionInput(paths);
      return input.ok ? 'ok' : input.problem;
    };
    assert.equal(problem([]), 'nothing');
    assert.equal(problem(['/a.jpg', '/b.jpg']), 'too-few-photos');
    assert.equal(problem(['/a.mp4', '/b.mp4']), 'several-videos');
    assert.equal(problem(['/a.jpg', '/b.jpg', '/c.jpg', '/d.mp4']), 'mixed');
    assert.equal(problem(['/a.jpg', '/b.jpg', '/c.jpg', '/notes.txt']), 'unsupported');
    // The explorer passes the right-clicked file in the selection too: counted once.
    assert.equal(problem(['/a.jpg', '/a.jpg', '/a.jpg']), 'too-few-photos');
  });

  it('gives plain, unique upload names to files from different folders and with odd characters', () => {
    const input = classifyReconstructionInput(['/x/img 001.jpg', '/y/img 001.jpg', '/z/..été ☀.jpg']);
    assert.ok(input.ok);
    assert.deepEqual(input.files.map((f) => f.uploadName), ['img_001.jpg', 'img_001-2.jpg', 'ete_.jpg']);
    for (const file of input.files) assert.match(file.uploadName, /^[A-Za-z0-9][A-Za-z0-9._-]*$/);
  });
});

describe('reconstruction settings', () => {
  it('parses numbers inside their bounds only', () => {
    assert.equal(parseSetting('maxResolution', '4000'), 4000);
    assert.equal(parseSetting('maxResolution', '4000.5'), undefined);
    assert.equal(parseSetting('maxResolution', '100'), undefined);
    assert.equal(parseSetting('extractFps', '0.5'), 0.5);
    assert.equal(parseSetting('maxHourlyPrice', ''), undefined);
    assert.equal(parseSetting('gpuMinVram', 'lots'), undefined);
  });

  it('restores remembered values, falling back per field for stale or edited ones', () => {
    assert.deepEqual(restoreSettings(undefined), DEFAULT_RECONSTRUCTION_SETTINGS);
    const restored = restoreSettings({ maxResolution: 4000, maxHourlyPrice: -3, exportUsdz: false, gpuMinVram: '48' });
    assert.equal(restored.maxResolution, 4000);
    assert.equal(restored.maxHourlyPrice, DEFAULT_RECONSTRUCTION_SETTINGS.maxHourlyPrice);
    assert.equal(restored.exportUsdz, false);
    assert.equal(restored.gpuMinVram, 24);
  });

  it('bounds the cost by the guardrails before the service states its estimate', () => {
    assert.equal(worstCaseUsd(DEFAULT_RECONSTRUCTION_SETTINGS), 8);
    assert.equal(worstCaseUsd({ ...DEFAULT_RECONSTRUCTION_SETTINGS, maxRuntimeMinutes: 30, maxHourlyPrice: 1.4 }), 0.7);
  });

  it('sends extractFps for a video only', () => {
    assert.equal('extractFps' in reconstructionRequestParts('photos', DEFAULT_RECONSTRUCTION_SETTINGS).config, false);
    assert.equal(reconstructionRequestParts('video', DEFAULT_RECONSTRUCTION_SETTINGS).config.extractFps, 3);
    assert.deepEqual(reconstructionRequestParts('photos', DEFAULT_RECONSTRUCTION_SETTINGS).costGuardrails, { maxRuntimeMinutes: 240, maxHourlyPrice: 2, gpuMinVram: 24 });
  });
});

describe('sizeFromHeaders', () => {
  it('reads the total from a 206 Content-Range, or a 200 Content-Length', () => {
    assert.equal(sizeFromHeaders(206, { 'content-range': 'bytes 0-0/12345' }), 12345);
    assert.equal(sizeFromHeaders(200, { 'content-length': '77' }), 77);
    assert.equal(sizeFromHeaders(206, { 'content-range': 'bytes 0-0/*' }), undefined);
    assert.equal(sizeFromHeaders(200, {}), undefined);
  });
});
