import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as dom from '../../../webview/common/dom';

/** Just enough of a DOM to run ../../../webview/common/dom.ts: it records what the helper does to nodes. */
class FakeText {
  constructor(readonly data: string) {}
}
class FakeElement {
  readonly children: (FakeElement | FakeText)[] = [];
  readonly attributes = new Map<string, string>();
  readonly listeners = new Map<string, unknown>();
  className = '';
  id = '';
  private text = '';
  constructor(readonly tagName: string) {}
  set textContent(value: string) {
    this.children.length = 0;
    this.text = value;
  }
  get textContent(): string {
    return this.text + this.children.map((c) => (c instanceof FakeText ? c.data : c.textContent)).join('');
  }
  set innerHTML(_value: string) {
    throw new Error('innerHTML used');
  }
  setAttribute(name: string, value: string): void {
    this.attributes.set(name, value);
  }
  addEventListener(name: string, listener: unknown): void {
    this.listeners.set(name, listener);
  }
  appendChild(child: FakeElement | FakeText): void {
    this.children.push(child);
  }
  replaceChildren(): void {
    this.children.length = 0;
    this.text = '';
  }
}

const hostile = '<img src=x onerror=alert(1)></td><script>alert(2)</script>';

describe('page DOM helper', () => {
  // dom.ts touches `document` only when called, so the fake can be installed after the import.
  before(() => {
    (globalThis as Record<string, unknown>).document = { createElement: (tag: string) => new FakeElement(tag), createTextNode: (data: string) => new FakeText(data) };
  });
  after(() => {
    delete (globalThis as Record<string, unknown>).document;
  });

  it('puts provider strings in as text: the text option and string children become textContent and text nodes', () => {
    const cell = dom.el('td', { text: hostile }) as unknown as FakeElement;
    assert.equal(cell.textContent, hostile);
    assert.equal(cell.children.length, 0);
    const row = dom.el('tr', {}, hostile, 42, null, false) as unknown as FakeElement;
    assert.deepEqual(row.children.map((child) => (child as FakeText).data), [hostile, '42']);
    assert.ok(row.children.every((child) => child instanceof FakeText));
  });

  it('refuses event-handler attributes and sets values as properties', () => {
    assert.throws(() => dom.el('img', { attrs: { onerror: 'alert(1)' } }), /event handler attributes/);
    assert.throws(() => dom.el('a', { attrs: { OnClick: 'x' } }), /event handler attributes/);
    const field = dom.el('input', { props: { value: hostile }, attrs: { 'aria-label': hostile } }) as unknown as FakeElement & { value: string };
    assert.equal(field.value, hostile);
    assert.equal(field.attributes.get('aria-label'), hostile);
  });
});
