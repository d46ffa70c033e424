import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { decodePng, distinctSampledColours } from './png';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

/** Where screenshots go: `$ARTIFACTS_DIR/demo` (`.ci/run` sets it), else `<repo>/.ci/artifacts/demo`. */
export const SCREENSHOT_DIR = path.join(process.env.ARTIFACTS_DIR || path.join(REPO, '.ci/artifacts'), 'demo');

/** Smallest plausible screenshot of the rendered page, in bytes (a blank 1280×720 PNG is about 4 KB). */
const MIN_BYTES = 8_000;

/**
 * Saves a screenshot of `page` as `<name>.png` and checks that it shows something: a real PNG
 * over a few KB whose sampled pixels are not all one colour. Returns the PNG.
 */
export async function screenshot(page: Page, name: string): Promise<Buffer> {
  const png = await page.screenshot({ fullPage: true });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  writeFileSync(path.join(SCREENSHOT_DIR, `${name}.png`), png);
  expect(png.length, `${name}.png size`).toBeGreaterThan(MIN_BYTES);
  expect(distinctSampledColours(decodePng(png)), `${name}.png colours`).toBeGreaterThan(4);
  return png;
}
