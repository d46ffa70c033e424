import type { Page } from 'playwright-core';

/** Smallest rendered text size the page may use, in CSS px (issue #24). */
export const MIN_FONT_PX = 11;

/**
 * Words longer than this are user input (a pasted token or URL) that must break to fit; shorter
 * ones are ordinary words and timestamps, which may never be split across lines or clipped.
 */
export const LONGEST_NATURAL_WORD = 24;

/**
 * What is wrong with the layout of the page as shown, one line per problem (empty when fine):
 * horizontal overflow of the document, visible text under {@link MIN_FONT_PX} (SVG text scaled by
 * its transform), text elements whose content is wider than their box (`scrollWidth` >
 * `clientWidth`: clipped, like a cut-off timestamp) and ordinary words broken across lines.
 */
export function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(
    ({ minFont, longestWord }) => {
      const problems: string[] = [];
      const root = document.documentElement;
      if (root.scrollWidth > window.innerWidth) {
        problems.push(`horizontal overflow: scrollWidth ${root.scrollWidth} > innerWidth ${window.innerWidth}`);
      }
      const describe = (element: Element): string => {
        const id = element.getAttribute('data-testid');
        const cls = element.getAttribute('class');
        return `<${element.tagName.toLowerCase()}${id ? ` data-testid=${id}` : ''}${cls ? ` class="${cls}"` : ''}>`;
      };
      const isVisible = (element: Element): boolean => {
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) return false;
        const style = getComputedStyle(element);
        return style.visibility !== 'hidden' && style.display !== 'none' && Number(style.opacity) > 0;
      };
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const checked = new Set<Element>();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? '';
        const element = node.parentElement;
        if (!element || text.trim() === '' || !isVisible(element)) continue;
        const what = `${describe(element)} "${text.trim().slice(0, 40)}"`;
        if (!checked.has(element)) {
          checked.add(element);
          const style = getComputedStyle(element);
          let size = Number.parseFloat(style.fontSize);
          if (element instanceof SVGGraphicsElement) size *= element.getScreenCTM()?.a ?? 1;
          if (size < minFont - 0.05) problems.push(`text under ${minFont}px (${size.toFixed(1)}px): ${what}`);
          const block = style.display !== 'inline' && !(element instanceof SVGElement);
          if (block && element.scrollWidth > element.clientWidth + 1) {
            problems.push(`content wider than its box (${element.scrollWidth} > ${element.clientWidth}): ${what}`);
          }
        }
        // A word whose characters land on more than one line was broken mid-word. Hyphens, slashes
        // and angle brackets are where a browser may break a line anyway: `<script>alert(1)` may
        // wrap before `</script>`, but `alert(1)` itself must not become `al ert(1)` (issue #24).
        for (const match of text.matchAll(/[^\s\-/<>]+/g)) {
          if (match[0].length > longestWord) continue;
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
          if (tops.size > 1) problems.push(`word "${match[0]}" broken across lines in ${describe(element)}`);
        }
      }
      return problems;
    },
    { minFont: MIN_FONT_PX, longestWord: LONGEST_NATURAL_WORD },
  );
}

/**
 * What of the header does not sit on its one line: an item below the first one, or an item whose
 * own text wraps onto a second line. Empty when the header is one line.
 */
export function wrappedHeaderItems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const header = document.querySelector('header');
    if (!header) return ['no header'];
    const items = [...header.children].filter((child) => child.getBoundingClientRect().height > 0);
    const first = items[0]?.getBoundingClientRect();
    // Items on one line overlap vertically; a wrapped one starts below the first one's bottom.
    const below = items.filter((item) => first && item.getBoundingClientRect().top >= first.bottom - 1);
    const wrapped: string[] = below.map((item) => `${item.className} below the first line`);
    const walker = document.createTreeWalker(header, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if ((node.textContent ?? '').trim() === '') continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
      if (lines.size > 1) wrapped.push(`"${node.textContent?.trim()}" on ${lines.size} lines`);
    }
    return wrapped;
  });
}
