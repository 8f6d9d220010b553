import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SchemaPageMessage } from '../../../src/shared/simulacraPanelProtocol';
import { filterPageMessage, MAX_PAGE_MESSAGE_CHARS } from '../../../src/ui/webview/filterPageMessage';

describe('page messages reaching a panel host', () => {
  it('passes ready and valid messages, and drops one with a field the panel never defined, at any depth', () => {
    assert.deepEqual(filterPageMessage({ type: 'ready' }, SchemaPageMessage), { kind: 'ready' });
    assert.deepEqual(filterPageMessage({ type: 'loadScenario', requestId: 'r1' }, SchemaPageMessage), { kind: 'message', message: { type: 'loadScenario', requestId: 'r1' } });
    assert.deepEqual(filterPageMessage({ type: 'loadScenario', requestId: 'r1', sneaky: 'x' }, SchemaPageMessage), { kind: 'dropped', reason: 'invalid message (loadScenario): unexpected field sneaky' });
    const generate = { type: 'generate', requestId: 'r2', request: { rowCount: 10, format: 'csv', conditions: { categorical: [], numeric: [] } } };
    assert.equal(filterPageMessage(generate, SchemaPageMessage).kind, 'message');
    const nested = { ...generate, request: { ...generate.request, conditions: { ...generate.request.conditions, extra: 1 } } };
    assert.deepEqual(filterPageMessage(nested, SchemaPageMessage), { kind: 'dropped', reason: 'invalid message (generate): unexpected field request.conditions.extra' });
    assert.equal(filterPageMessage({ type: 'loadScenario', requestId: 'r1', optional: undefined }, SchemaPageMessage).kind, 'message', 'an undefined field is no field');
  });

  it('drops unknown types, wrong shapes and oversized messages, logging the type but never the content', () => {
    const secretish = 'customer-value-42';
    const unknown = filterPageMessage({ type: 'executeCommand', command: 'workbench.action.terminal.new', arg: secretish }, SchemaPageMessage);
    assert.equal(unknown.kind, 'dropped');
    const big = filterPageMessage({ type: 'saveScenario', requestId: 'r', scenario: { note: 'x'.repeat(MAX_PAGE_MESSAGE_CHARS) } }, SchemaPageMessage);
    assert.equal(big.kind, 'dropped');
    assert.match(big.kind === 'dropped' ? big.reason : '', /^oversized message \(saveScenario/);
    const hostileType = filterPageMessage({ type: '<img src=x onerror=alert(1)>' }, SchemaPageMessage);
    for (const result of [unknown, big, hostileType, filterPageMessage('ready', SchemaPageMessage), filterPageMessage(null, SchemaPageMessage)]) {
      assert.equal(result.kind, 'dropped');
      assert.ok(result.kind === 'dropped' && !result.reason.includes(secretish) && !result.reason.includes('<img'));
    }
    const circular: Record<string, unknown> = { type: 'ready' };
    circular.self = circular;
    assert.equal(filterPageMessage(circular, SchemaPageMessage).kind, 'dropped');
  });
});
