import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { decodePng, distinctSampledColours } from './png';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where screenshots go: `$ARTIFACTS_DIR/demo` (`.ci/run` sets it), else `<repo>/.ci/artifacts/demo`. */
export const SCREENSHOT_DIR = path.join(process.env.ARTIFACTS_DIR || path.join(REPO, '.ci/artifacts'), 'demo');

/** The README's screenshots, rewritten by the tests when `UPDATE_SCREENSHOTS=1`. */
export const DOCS_DIR = path.join(REPO, 'apps/demo/docs');

/** Smallest plausible screenshot of the rendered page, in bytes (a blank 1280×720 PNG is about 4 KB). */
const MIN_BYTES = 8_000;

/** Options of {@link screenshot}. */
export interface ScreenshotOptions {
  /** Shoot this element only. @default the whole page */
  readonly element?: Locator;
  /** With the whole page: everything (true) or only what the viewport shows (false). @default true */
  readonly fullPage?: boolean;
  /** Also write it to `apps/demo/docs/<docs>.png` when `UPDATE_SCREENSHOTS=1`. @default not a README screenshot */
  readonly docs?: string;
}

/**
 * Saves a screenshot of `page` as `<name>.png` and checks that it shows something: a real PNG
 * over a few KB whose sampled pixels are not all one colour. Returns the PNG.
 */
export async function screenshot(page: Page, name: string, options: ScreenshotOptions = {}): Promise<Buffer> {
  // Animations and the caret off, so the README's PNGs only change when the page does.
  const settings = { animations: 'disabled', caret: 'hide' } as const;
  const png = options.element
    ? await options.element.screenshot(settings)
    : await page.screenshot({ ...settings, fullPage: options.fullPage ?? true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  writeFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), png);
  expect(png.length, `${name}.png size`).toBeGreaterThan(options.element ? MIN_BYTES / 4 : MIN_BYTES);
  expect(distinctSampledColours(decodePng(png)), `${name}.png colours`).toBeGreaterThan(4);
  if (options.docs && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_DIR, { recursive: true });
    writeFileSync(path.join(DOCS_DIR, `${options.docs}.png`), png);
  }
  return png;
}
