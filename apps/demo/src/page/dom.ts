/**
 * Tiny DOM helpers. Every string a user could have typed goes in through `textContent` (never
 * `innerHTML`), so a message like `<script>` stays text.
 */

/** The element with `data-testid="<id>"`; throws if the page shell lacks it (a build mistake, not user input). */
export function byTestId<E extends HTMLElement = HTMLElement>(id: string, root: ParentNode = document): E {
  const element = root.querySelector<E>(`[data-testid="${id}"]`);
  if (!element) throw new Error(`missing element [data-testid="${id}"]`);
  return element;
}

/** Attributes and text of a new element. */
export interface ElementInit {
  readonly className?: string;
  readonly text?: string;
  readonly testId?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

/** Creates an HTML element; `text` is set with textContent. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  init: ElementInit = {},
  children: readonly Node[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (init.className) element.className = init.className;
  if (init.testId) element.dataset['testid'] = init.testId;
  if (init.text !== undefined) element.textContent = init.text;
  for (const [name, value] of Object.entries(init.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** Creates an SVG element with attributes. */
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string | number>> = {},
): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  return element;
}

/**
 * The page's one time format: local 24-hour `14:03`, whatever the browser's locale. A fixed hour
 * cycle keeps a chat line, a notification and the dashboard from showing `08:56 AM` beside `8:57:06`.
 */
export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}
