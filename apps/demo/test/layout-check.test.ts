import { hasChromium, requireService } from '@oxidite/test-utils';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { layoutProblems, wrappedHeaderItems } from './support/layout';

// The layout checks of test/layout.test.ts, shown to catch what issue #24 found on a phone: a
// check that never fails would make that suite pass for nothing.
describe.skipIf(!requireService('chromium', hasChromium()))('the layout checks', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('find words broken mid-word, clipped timestamps, small text, overflow and a wrapped header', async () => {
    await page.setContent(`
      <header style="display:flex;width:200px"><b>Oxidite Realtime</b><span>reconnecting in 2 s</span></header>
      <p style="width:30px;overflow-wrap:anywhere;font-size:16px">&lt;script&gt;alert(1)&lt;/script&gt;</p>
      <p style="width:40px;font-size:12px;white-space:nowrap;overflow:hidden">08:56 AM</p>
      <svg viewBox="0 0 600 100" width="340"><text x="0" y="20" font-size="11">60 min ago</text></svg>
      <div style="width:500px">too wide</div>`);
    const problems = await layoutProblems(page);
    expect(problems).toContain('horizontal overflow: scrollWidth 508 > innerWidth 390');
    expect(problems).toContain('word "alert(1)" broken across lines in <p>');
    expect(problems.some((p) => /^content wider than its box \(\d+ > 40\): <p> "08:56 AM"$/.test(p))).toBe(true);
    expect(problems.some((p) => p.startsWith('text under 11px (6.2px): <text> "60 min ago"'))).toBe(true);
    expect(await wrappedHeaderItems(page)).toContain('"Oxidite Realtime" on 2 lines');
  });

  it('accept a page that fits', async () => {
    await page.setContent(`
      <header style="display:flex;gap:8px"><b>Oxidite</b><span>live</span></header>
      <p style="width:120px">Hello Grace! Writing from a phone-sized window.</p>`);
    expect(await layoutProblems(page)).toEqual([]);
    expect(await wrappedHeaderItems(page)).toEqual([]);
  });
});
