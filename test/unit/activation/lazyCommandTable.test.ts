import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LazyCommandTable } from '../../../src/ui/activation/lazyCommandTable';

describe('LazyCommandTable (commands registered before the features load)', () => {
  it('holds the real handler behind a proxy until it is disposed', () => {
    const table = new LazyCommandTable();
    table.addProxy('simcloud.jobs.refresh');
    assert.equal(table.hasProxy('simcloud.jobs.refresh'), true);
    assert.equal(table.hasProxy('simcloud.showLog'), false);
    assert.equal(table.handlerFor('simcloud.jobs.refresh'), undefined);
    const handler = () => 'refreshed';
    const dispose = table.fill('simcloud.jobs.refresh', handler);
    assert.equal(table.handlerFor('simcloud.jobs.refresh')?.(), 'refreshed');
    dispose();
    assert.equal(table.handlerFor('simcloud.jobs.refresh'), undefined);
  });

  it('refuses a second handler for one id, as VS Code would', () => {
    const table = new LazyCommandTable();
    table.addProxy('simcloud.job.cancel');
    table.fill('simcloud.job.cancel', () => 1);
    assert.throws(() => table.fill('simcloud.job.cancel', () => 2), /registered the command simcloud\.job\.cancel twice/);
  });

  it('removing the proxy (deactivation) drops its handler too', () => {
    const table = new LazyCommandTable();
    const removeProxy = table.addProxy('simcloud.job.copyId');
    table.fill('simcloud.job.copyId', () => 1);
    removeProxy();
    assert.equal(table.hasProxy('simcloud.job.copyId'), false);
    assert.equal(table.handlerFor('simcloud.job.copyId'), undefined);
  });
});
