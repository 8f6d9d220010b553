import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eurekaResultFiles } from '../../../src/ui/cybernetic/eureka/eurekaResultFiles';
import { safeFilename } from '../../../src/ui/cybernetic/eureka/rewardFunctionSource';

describe('Eureka results to download', () => {
  it('lists checkpoints under checkpoints/ and the reward function by its file name', () => {
    const files = eurekaResultFiles({
      rewardFunction: { language: 'python', filename: 'reward.py', source: 'def f(): ...', url: 'https://s3.example/eureka/r/reward.py?X-Amz-Signature=abc' },
      checkpoints: [
        { iteration: 1, url: 'https://s3.example/eureka/r/checkpoints/iter_1.pth?sig=1' },
        { iteration: 2, url: 'https://s3.example/eureka/r/checkpoints/iter_2.pth?sig=2' },
        'https://s3.example/eureka/r/checkpoints/final.pth?sig=3',
        { iteration: 3, url: null },
      ],
    });
    assert.deepEqual(
      files.map((f) => f.name),
      ['checkpoints/iter_1.pth', 'checkpoints/iter_2.pth', 'checkpoints/final.pth', 'reward.py'],
    );
    assert.ok(files.every((f) => f.sizeBytes === -1 && f.url.startsWith('https://s3.example/')));
  });

  it('never lets a server name climb out of the folder or pick an odd editor name', () => {
    const files = eurekaResultFiles({ checkpoints: [{ name: '../../etc/passwd', url: 'https://s3.example/a' }, { name: 'x.pth', url: 'https://s3.example/b' }, { name: 'x.pth', url: 'https://s3.example/c' }] });
    assert.deepEqual(
      files.map((f) => f.name),
      ['checkpoints/passwd', 'checkpoints/x.pth', 'checkpoints/x-2.pth'],
    );
    assert.equal(safeFilename('../evil.py'), 'evil.py');
    assert.equal(safeFilename('.hidden.py'), 'reward.py');
    assert.equal(safeFilename('reward.sh'), 'reward.py');
    assert.equal(safeFilename(undefined), 'reward.py');
  });
});
