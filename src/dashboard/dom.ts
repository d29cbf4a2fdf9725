/** Attributes of {@link h}: strings become attributes, `on*` functions become listeners. */
export type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;
/** A child of {@link h}: text (escaped by the DOM), a node, or nothing. */
export type Child = Node | string | number | null | undefined | false;

/**
 * Builds an element. Text always goes through text nodes, so data never becomes markup.
 *
 * @example
 * h('button', { type: 'button', onclick: () => go() }, 'Refresh');
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/**
 * An identifier (an error code, a model name) that may wrap only after its separators
 * (`_ / - . :`): each part a text node, a `<wbr>` after each separator, so a narrow column shows
 * `OPENROUTER_REQUEST_` / `FAILED` rather than `OPENROUTER_REQUEST_FAI` / `LED`.
 *
 * @example
 * h('td', {}, breakable('GEMINI_REQUEST_TIMEOUT'));
 */
export function breakable(text: string): DocumentFragment {
  const fragment = document.createDocumentFragment();
  for (const part of text.split(/(?<=[_/.:-])/)) {
    if (fragment.lastChild) fragment.appendChild(document.createElement('wbr'));
    fragment.appendChild(document.createTextNode(part));
  }
  return fragment;
}

/** Appends children, skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Builds an SVG element. */
export function s(
  tag: string,
  attrs: Record<string, string | number> = {},
  ...children: (Node | string)[]
): SVGElement {
  const el = document.createElementNS(SVG_NS, tag) as SVGElement;
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children)
    el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  return el;
}
