/**
 * The only way pages build DOM: text goes in as text nodes or `textContent`, values as properties, never through
 * an HTML parser. Provider strings (column names, levels, error messages) are therefore always shown as text.
 * (`test/unit/webview/noHtmlSinks.test.ts` fails if a page reaches for an HTML-parsing sink.)
 */
export type Child = Node | string | number | null | undefined | false;

export interface ElementOptions {
  className?: string;
  id?: string;
  text?: string;
  /** Attributes for ARIA and the like; values are set with setAttribute (never `on*`: use `on`). */
  attrs?: Record<string, string>;
  /** Element properties (`value`, `disabled`, `type`…). */
  props?: Record<string, unknown>;
  on?: Record<string, (event: Event) => void>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElementOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  if (options.id) element.id = options.id;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (/^on/i.test(name)) throw new Error(`event handler attributes are not allowed: ${name}`);
    element.setAttribute(name, value);
  }
  for (const [name, value] of Object.entries(options.props ?? {})) (element as unknown as Record<string, unknown>)[name] = value;
  for (const [name, listener] of Object.entries(options.on ?? {})) element.addEventListener(name, listener);
  if (options.text !== undefined) element.textContent = options.text;
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

let nextId = 0;
/** Ids for label/aria wiring, generated here so no provider string ever becomes an id. */
export function uniqueId(prefix: string): string {
  return `${prefix}-${++nextId}`;
}
