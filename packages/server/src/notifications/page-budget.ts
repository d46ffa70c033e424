import type { NotificationPage } from '@oxidite/protocol';

/**
 * Most bytes of JSON one page may carry. A page of 100 notifications at their size limits could
 * exceed the 1 MiB a client decodes in one frame, so a page stops early instead: it holds at most
 * `limit` items and, after the first, no more than this. `next` continues from where it stopped.
 */
export const MAX_PAGE_BYTES = 512 * 1024;

/** Cuts `page` to {@link MAX_PAGE_BYTES} of JSON (never below one item). */
export function fitPage(page: NotificationPage, maxBytes: number = MAX_PAGE_BYTES): NotificationPage {
  let bytes = 0;
  for (const [index, item] of page.items.entries()) {
    bytes += Buffer.byteLength(JSON.stringify(item));
    if (bytes > maxBytes && index > 0) {
      const items = page.items.slice(0, index);
      return { items, next: items[index - 1]?.id };
    }
  }
  return page;
}
