import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUsdPath, rootStageCandidates } from '../../../src/ui/cybernetic/environments/usdStages';

describe('rootStageCandidates', () => {
  it('offers only USD files, shallowest first, usual stage names before others', () => {
    const files = ['assets/shelf.usd', 'textures/wood.png', 'props.usda', 'scene.usdc', 'README.md', 'layers/sub/lights.usda', 'Main.USD'];
    assert.deepEqual(rootStageCandidates(files), ['scene.usdc', 'Main.USD', 'props.usda', 'assets/shelf.usd', 'layers/sub/lights.usda']);
  });

  it('is empty when the folder holds no stage', () => {
    assert.deepEqual(rootStageCandidates(['a.txt', 'usd/readme.md', 'x.usdx']), []);
  });

  it('knows the four USD extensions in any case', () => {
    for (const name of ['a.usd', 'a.USDA', 'a.usdc', 'a.usdz']) assert.ok(isUsdPath(name), name);
    assert.ok(!isUsdPath('a.usd.bak'));
  });
});
