import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notificationText } from '../../../src/core/util/notificationText';

/** VS Code's notification link pattern (notificationsViewer / linkedText), simplified to what makes a link. */
const LINK = /\[[^\]]+\]\((?:https?:\/\/|command:|file:)[^)\s]+\)/;

describe('notificationText', () => {
  for (const hostile of [
    '[See fix](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%22%7D)',
    'job failed: [click](https://evil.example/steal)',
    '[x]( command:workbench.action.openSettings)',
    '[a](file:///etc/passwd) and [b](command:x)',
  ]) {
    it(`leaves no link in ${JSON.stringify(hostile.slice(0, 30))}…, and keeps the words`, () => {
      const shown = notificationText(hostile);
      assert.doesNotMatch(shown, LINK);
      assert.equal(shown.replace(/\s/g, ''), hostile.replace(/\s/g, ''));
    });
  }

  it('leaves ordinary text alone', () => {
    assert.equal(notificationText('render-20261127-abc failed: GPU node lost (node-3)'), 'render-20261127-abc failed: GPU node lost (node-3)');
  });
});
